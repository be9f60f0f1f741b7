package survey_test

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/survey"
)

// The sample export of testdata/survey (written by survey/internal/gencampaign
// -firms 60): 91 data rows of 60 firms declaring 59 needs, of which 8 rows
// are bad on purpose: a partita IVA with a wrong check digit, one with 10
// digits, an unknown ATECO code (29.99.99), a missing and a negative number
// of hires, 31/02/2026, an unknown municipality, and one row exported twice.
const (
	sampleRows     = 91
	sampleAccepted = 83
	sampleRejected = 8
)

func TestImportSample(t *testing.T) {
	im := MustImporter(t)
	recs, rejects, st := importAll(t, im, testenv.Corpus(t, "survey", "campagna-autunno-2026.csv"))
	if st.Rows != sampleRows || st.Accepted != sampleAccepted || st.Rejected != sampleRejected {
		t.Errorf("stats = %+v, want rows %d accepted %d rejected %d", st, sampleRows, sampleAccepted, sampleRejected)
	}
	if len(recs) != st.Accepted || len(rejects) != st.Rejected {
		t.Errorf("emitted %d records and %d rejects, stats say %d and %d", len(recs), len(rejects), st.Accepted, st.Rejected)
	}
	for _, e := range rejects {
		t.Logf("%v", e)
	}
	wantReasons := []string{
		"partita IVA check digit is wrong",
		"partita IVA has 10 digits, want 11",
		"not an ATECO 2007 (2022 update) code",
		"missing number of hires",
		"-2 hires, want at least 1",
		"no day 31 in February 2026",
		`municipality "Torinello Superiore": not in the ISTAT list`,
		"duplicate of row",
	}
	for _, w := range wantReasons {
		n := 0
		for _, e := range rejects {
			if strings.Contains(e.Reason, w) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d rejects with reason %q, want 1", n, w)
		}
	}
	needs := 0
	firms, contacts := map[string]bool{}, map[string]bool{}
	districts := map[string]int{}
	outcomes := map[string]int{}
	for _, r := range recs {
		if err := r.Validate(); err != nil {
			t.Errorf("row %d: %v", r.Provenance.Row, err)
		}
		if !survey.ValidPartitaIVA(r.Firm.ID) {
			t.Errorf("row %d: firm id %q is not a partita IVA", r.Provenance.Row, r.Firm.ID)
		}
		if r.Firm.MunicipalityCode == "" || r.Firm.District == "" || r.Firm.ATECO == "" {
			t.Errorf("row %d: firm not coded: %+v", r.Provenance.Row, r.Firm)
		}
		if r.Provenance.Source != "test-2026" || r.Provenance.File != "campagna-autunno-2026.csv" || r.Provenance.Row < 4 || !r.Provenance.FetchedAt.Equal(fixedNow) {
			t.Errorf("provenance %+v", r.Provenance)
		}
		needs += len(r.Needs)
		firms[r.Firm.ID], contacts[r.Contact.ID] = true, true
		districts[r.Firm.District]++
		outcomes[r.Contact.Outcome]++
	}
	if needs != st.Needs {
		t.Errorf("records hold %d needs, stats say %d", needs, st.Needs)
	}
	// cmd's end-to-end demo test counts these rows in ClickHouse.
	if len(firms) != 60 || len(contacts) != 60 || needs != 59 {
		t.Errorf("%d firms, %d contacts, %d needs; want 60, 60, 59", len(firms), len(contacts), needs)
	}
	t.Logf("needs %d, districts %v, outcomes %v", needs, districts, outcomes)
	for _, d := range []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare"} {
		if districts[d] == 0 {
			t.Errorf("no firm in district %s", d)
		}
	}
	for _, o := range []string{fabbisogni.OutcomeReached, fabbisogni.OutcomeRefused, fabbisogni.OutcomeNoAnswer} {
		if outcomes[o] == 0 {
			t.Errorf("no contact with outcome %s", o)
		}
	}
}

func TestImportIdempotent(t *testing.T) {
	im := MustImporter(t)
	path := testenv.Corpus(t, "survey", "campagna-autunno-2026.csv")
	a, _, _ := importAll(t, im, path)
	b, _, _ := importAll(t, im, path)
	if len(a) != len(b) {
		t.Fatalf("%d then %d records", len(a), len(b))
	}
	ids := map[string]bool{}
	for i := range a {
		ja, _ := json.Marshal(a[i])
		jb, _ := json.Marshal(b[i])
		if string(ja) != string(jb) {
			t.Errorf("record %d differs between imports:\n%s\n%s", i, ja, jb)
		}
		for _, n := range a[i].Needs {
			if ids[n.ID] {
				t.Errorf("need id %s used twice", n.ID)
			}
			ids[n.ID] = true
		}
	}
}

// TestRowErrorNamesEverything checks that a reject names file, row, column,
// value and reason, and that personal data in a rejected value is masked.
func TestRowErrorNamesEverything(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "errori.csv")
	body := "Ragione sociale;Partita IVA;Codice ATECO;Comune;Esito contatto;Data contatto;Figura professionale ricercata;N. assunzioni previste;Entro quando;Referente;Telefono\n" +
		"Alfa Meccanica srl;12345678901;29.32.09;Torino;Raggiunta;02/09/2026;Saldatore;2;entro 3 mesi;Gualtiero Brusasco;011 555 0101\n" +
		"Beta Tessile srl;12345678903;13.20.00;Biella;Raggiunta;2/9/26;Tessitore per Gualtiero Brusasco tel 333 1234567;tre;subito;Gualtiero Brusasco;011 555 0101\n" +
		"Gamma Carni srl;12345678903;10.13.00;Cuneo;Raggiunta;32/09/2026;Macellaio;1;entro 3 mesi;;\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, rejects, st := importAll(t, MustImporter(t), path)
	if st.Accepted != 1 || st.Rejected != 2 {
		t.Fatalf("stats %+v, want 1 accepted and 2 rejected", st)
	}
	want := []string{
		`survey: errori.csv row 2 column "Partita IVA" value "12345678901": partita IVA check digit is wrong`,
		`survey: errori.csv row 4 column "Data contatto" value "32/09/2026": day, month or year out of range`,
	}
	for i, w := range want {
		if got := rejects[i].Error(); got != w {
			t.Errorf("reject %d:\n got %s\nwant %s", i, got, w)
		}
	}
}

var (
	rePhoneLike = regexp.MustCompile(`\d[\d .\-/]{7,}\d`)
	reEmailLike = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+`)
)

// TestNoPersonalData imports the sample, whose Referente, Telefono and
// Email columns and Note texts are full of personal data, and checks that no
// record and no reject carries any of it.
func TestNoPersonalData(t *testing.T) {
	path := testenv.Corpus(t, "survey", "campagna-autunno-2026.csv")
	recs, rejects, _ := importAll(t, MustImporter(t), path)
	names, phones, emails := personalValues(t, path)
	if len(names) < 10 || len(phones) < 10 || len(emails) < 10 {
		t.Fatalf("sample has too little personal data to test: %d names, %d phones, %d e-mails", len(names), len(phones), len(emails))
	}
	var out []string
	for _, r := range recs {
		b, _ := json.Marshal(r)
		out = append(out, string(b))
	}
	for _, e := range rejects {
		out = append(out, e.Error())
	}
	for _, s := range out {
		for _, w := range names {
			if strings.Contains(strings.ToLower(s), strings.ToLower(w)) {
				t.Errorf("name %q in %s", w, s)
			}
		}
		for _, p := range phones {
			if strings.Contains(s, p) || strings.Contains(s, digitsOnly(p)) {
				t.Errorf("phone %q in %s", p, s)
			}
		}
		if m := reEmailLike.FindString(s); m != "" {
			t.Errorf("e-mail %q in %s", m, s)
		}
	}
	// The free text of needs may not hold anything shaped like a phone.
	for _, r := range recs {
		for _, n := range r.Needs {
			for _, txt := range []string{n.OccupationText, n.SkillsText, n.Contract, n.DifficultyReason, r.Contact.Channel} {
				if m := rePhoneLike.FindString(txt); m != "" {
					t.Errorf("row %d: phone-like %q in %q", r.Provenance.Row, m, txt)
				}
			}
		}
	}
}

func digitsOnly(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// personalValues reads the Referente, Telefono and Email columns of the
// sample directly: the words of names, phone numbers and e-mails.
func personalValues(t *testing.T, path string) (names, phones, emails []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	idx := map[string]int{}
	for _, row := range rows {
		if len(idx) < 3 {
			for i, c := range row {
				if c == "Referente" || c == "Telefono" || c == "Email" {
					idx[c] = i
				}
			}
			continue
		}
		for _, w := range strings.Fields(row[idx["Referente"]]) {
			if !seen[w] {
				seen[w] = true
				names = append(names, w)
			}
		}
		if p := row[idx["Telefono"]]; p != "" && !seen[p] {
			seen[p] = true
			phones = append(phones, p)
		}
		if e := row[idx["Email"]]; e != "" && !seen[e] {
			seen[e] = true
			emails = append(emails, e)
		}
	}
	return names, phones, emails
}
