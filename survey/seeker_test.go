package survey_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/survey"
)

// testdata/survey/seekers/candidati-2026.csv (gencampaign -firms 150 -seed
// 11 -seekers ...): 150 pseudonymised profiles and 5 bad rows (an id that
// is a codice fiscale, an unknown municipality, ISCO "72A3", 30/02/2026, a
// duplicated row). About one profile in ten has a name in a Nominativo
// column, sometimes repeated in the skills text.
func TestImportSeekers(t *testing.T) {
	path := testenv.Corpus(t, "survey", "seekers", "candidati-2026.csv")
	var got []survey.JobSeeker
	var rejects []survey.RowError
	st, err := MustImporter(t).ImportSeekersFile(context.Background(), path, func(_ context.Context, s survey.JobSeeker) error {
		got = append(got, s)
		return nil
	}, func(e survey.RowError) { rejects = append(rejects, e) })
	if err != nil {
		t.Fatal(err)
	}
	want := survey.Stats{Rows: 155, Accepted: 150, Rejected: 5, Duplicates: 1}
	if st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	reasons := []string{"id is a codice fiscale", `municipality "Biellina Alta": not in the ISTAT list`, "not an ISCO-08 code", "no day 30 in February 2026", "duplicate of row"}
	for i, r := range reasons {
		n := 0
		for _, e := range rejects {
			if strings.Contains(e.Reason, r) {
				n++
				if i == 0 && e.Value != "[16 caratteri]" {
					t.Errorf("codice fiscale shown in the reject: %v", e)
				}
			}
		}
		if n != 1 {
			t.Errorf("%d rejects for %q, want 1", n, r)
		}
	}
	// Names from the Nominativo column appear nowhere.
	f, _ := os.Open(path)
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rows[1:] {
		names = append(names, strings.Fields(r[7])...)
	}
	if len(names) < 10 {
		t.Fatalf("only %d name words in the sample", len(names))
	}
	levels := map[int]int{}
	for _, s := range got {
		b, _ := json.Marshal(s)
		for _, n := range names {
			if strings.Contains(string(b), n) {
				t.Errorf("name %q in %s", n, b)
			}
		}
		if err := s.Validate(); err != nil || s.District == "" || s.LastISCO == "" || s.RegisteredAt.IsZero() {
			t.Errorf("profile %s: %v", b, err)
		}
		levels[s.EducationLevel]++
	}
	if levels[0] != 0 || levels[3] == 0 || levels[6] == 0 || levels[7] == 0 {
		t.Errorf("education levels %v", levels)
	}
}
