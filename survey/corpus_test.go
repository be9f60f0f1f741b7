package survey_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/survey"
)

// The corpus of testdata/survey/corpus, written by
//
//	go run ./survey/internal/gencampaign -firms 320 -seed 7 -dir testdata/survey/corpus
//
// holds one campaign of 320 firms in three layouts. The CSV and XLSX hold
// 460 data rows each (a row per declared need, one per firm without needs),
// of which 8 are bad: partita IVA with a wrong check digit, partita IVA of
// 10 digits, ATECO 29.99.99, missing and negative hires, 31/02/2026, an
// unknown municipality, and one duplicated row. The numbered-groups file
// (tab separated, Latin-1, one row per firm) holds the first 106 firms, 4
// of them bad.
var corpusFiles = []struct {
	name                                  string
	rows, accepted, rejected, needs, dups int
	firms                                 int
}{
	{"campagna-2026-tre-distretti.csv", 460, 452, 8, 322, 1, 320},
	{"campagna-2026-tre-distretti.xlsx", 460, 452, 8, 322, 1, 320},
	{"campagna-2026-gruppi.txt", 106, 102, 4, 103, 0, 102},
}

func TestImportCorpus(t *testing.T) {
	im := MustImporter(t)
	needsOf := map[string]map[string][]string{} // file -> firm -> needs
	for _, tc := range corpusFiles {
		t.Run(tc.name, func(t *testing.T) {
			recs, rejects, st := importAll(t, im, testenv.Corpus(t, "survey", "corpus", tc.name))
			want := survey.Stats{Rows: tc.rows, Accepted: tc.accepted, Rejected: tc.rejected, Needs: tc.needs, Duplicates: tc.dups}
			if st != want {
				t.Errorf("stats %+v, want %+v", st, want)
			}
			for _, e := range rejects {
				if e.File != tc.name || e.Row < 2 || e.Reason == "" {
					t.Errorf("reject without position or reason: %#v", e)
				}
			}
			firms := map[string][]string{}
			for _, r := range recs {
				if err := r.Validate(); err != nil {
					t.Errorf("%s row %d: %v", r.Provenance.Sheet, r.Provenance.Row, err)
				}
				if r.Firm.District == "" || r.Firm.MunicipalityCode == "" {
					t.Errorf("%s row %d: firm not placed: %+v", r.Provenance.Sheet, r.Provenance.Row, r.Firm)
				}
				if strings.ContainsRune(r.Firm.MunicipalityName, '\uFFFD') {
					t.Errorf("row %d: encoding lost: %q", r.Provenance.Row, r.Firm.MunicipalityName)
				}
				fs := firms[r.Firm.ID]
				for _, n := range r.Needs {
					fs = append(fs, fmt.Sprintf("%s|%d|%s|%d", n.OccupationText, n.Hires, n.Horizon, n.Difficulty))
				}
				firms[r.Firm.ID] = fs
			}
			if len(firms) != tc.firms {
				t.Errorf("%d firms, want %d", len(firms), tc.firms)
			}
			needsOf[tc.name] = firms
		})
	}
	// The three layouts of one campaign say the same thing about each firm.
	csv, xlsx, groups := needsOf[corpusFiles[0].name], needsOf[corpusFiles[1].name], needsOf[corpusFiles[2].name]
	for id, a := range csv {
		b := xlsx[id]
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(a, b) {
			t.Errorf("firm %s: CSV needs %v, XLSX needs %v", id, a, b)
		}
	}
	for id, g := range groups {
		a := csv[id]
		slices.Sort(g)
		if !slices.Equal(a, g) {
			t.Errorf("firm %s: CSV needs %v, numbered groups %v", id, a, g)
		}
	}
}

// TestImportCorpusEncodingDamage checks the two damaged rows of the CSV:
// line 35 is written in Latin-1 inside the UTF-8 file, line 36 is UTF-8
// read as Windows-1252 and saved again ("MondovÃ¬"). Both read right.
func TestImportCorpusEncodingDamage(t *testing.T) {
	recs, _, _ := importAll(t, MustImporter(t), testenv.Corpus(t, "survey", "corpus", "campagna-2026-tre-distretti.csv"))
	// gencampaign's "latin1 row index=31" and "mojibake row index=32",
	// after the title, the blank line and the header.
	for _, line := range []int{35, 36} {
		found := false
		for _, r := range recs {
			if r.Provenance.Row != line {
				continue
			}
			found = true
			if !strings.ContainsAny(r.Firm.MunicipalityName, "ìè") || !utf8.ValidString(r.Firm.Name) || r.Firm.MunicipalityCode == "" {
				t.Errorf("line %d read as %q / %q", line, r.Firm.Name, r.Firm.MunicipalityName)
			}
			for _, n := range r.Needs {
				if strings.ContainsAny(n.SkillsText+n.DifficultyReason, "Ãâ") {
					t.Errorf("line %d: damaged text left: %q %q", line, n.SkillsText, n.DifficultyReason)
				}
			}
		}
		if !found {
			t.Errorf("line %d not accepted", line)
		}
	}
}
