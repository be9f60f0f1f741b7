package nlp

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// TestLoadSkillsIT merges a small skills_it.csv in ESCO's own CSV format
// (testdata/, written for this test: three real concepts with Italian labels
// and one row without a URI) with the English bundle.
func TestLoadSkillsIT(t *testing.T) {
	d := testenv.SharedData(t)
	fixture := filepath.Join("testdata", "ESCO dataset - v1.1.1 - classification - it - csv")
	tax, err := LoadTaxonomy(filepath.Join(d, "esco-v1.1.1-en"), filepath.Join(d, "esco-v1.0.8-it"), fixture)
	if err != nil {
		t.Fatal(err)
	}
	if got := tax.Version(); !strings.HasPrefix(got, "esco-1.1.1/en+1.0.8/it+1.1.1/it+lexicon-it-") {
		t.Errorf("Version() = %q", got)
	}
	s, ok := tax.Skill("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
	if !ok {
		t.Fatal("skill missing")
	}
	if s.Label("it") != "gestire il personale musicale" || s.Label("en") != "manage musical staff" {
		t.Errorf("labels it=%q en=%q", s.Label("it"), s.Label("en"))
	}
	if len(s.Alt["it"]) != 2 || s.Alt["it"][1] != "coordinare le mansioni del personale musicale" {
		t.Errorf("alt it = %q", s.Alt["it"])
	}
	if len(s.Alt["en"]) == 0 || s.Type != "skill/competence" {
		t.Errorf("English data lost in the merge: %+v", s)
	}
	w := tax.Warnings()
	if len(w) != 1 || !strings.Contains(w[0], "skills_it.csv row 5 (line 9)") || !strings.Contains(w[0], "no conceptUri") {
		t.Errorf("warnings = %q, want one naming skills_it.csv row 5 (line 9)", w)
	}

	e, err := NewExtractor(tax, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	text := "Cerchiamo chi sappia coordinare le mansioni del personale musicale e sorvegliare telai tessili."
	x := e.Extract("it-1", "", text)
	want := map[string]bool{"gestire il personale musicale": false, "utilizzare macchine per tessitura": false}
	for _, m := range x.Skills {
		if _, ok := want[m.Label]; ok {
			want[m.Label] = true
		}
		if text[m.Start:m.End] != m.Text {
			t.Errorf("span %+v", m)
		}
	}
	for l, found := range want {
		if !found {
			t.Errorf("skill %q (Italian ESCO label) not found in %+v", l, x.Skills)
		}
	}
}

func TestLoadTaxonomyErrors(t *testing.T) {
	_, err := LoadTaxonomy(filepath.Join("testdata", "broken"))
	if err == nil || !strings.Contains(err.Error(), "skills_it.csv") || !strings.Contains(err.Error(), `missing column "conceptUri"`) || !fabbisogni.IsPermanent(err) {
		t.Errorf("broken header: %v", err)
	}
	_, err = LoadTaxonomy(filepath.Join("testdata", "does-not-exist"))
	if fabbisogni.ErrorCode(err) != fabbisogni.ENotFound {
		t.Errorf("missing path: %v", err)
	}
	// The lexicon alone loads (no ESCO file): entries are kept unchecked.
	tax, err := LoadTaxonomy()
	if err != nil || len(tax.Lexicon()) < 1000 || tax.Version() != "esco-none+lexicon-it-"+tax.lexVersion+"+en-"+tax.lexVersionEN {
		t.Errorf("lexicon-only taxonomy: %v %d %q", err, len(tax.Lexicon()), tax.Version())
	}
	e, err := NewExtractor(tax, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if x := e.Extract("1", "Carrellista", "Richiesto patentino muletto."); len(x.Skills) == 0 {
		t.Errorf("lexicon-only extractor found nothing: %+v", x)
	}
}

// TestLoadZipPath loads the publisher's classification zip given as a file
// path (no relations): skills and occupations load, relations are empty.
func TestLoadZipPath(t *testing.T) {
	zip := filepath.Join(testenv.SharedData(t), "esco-v1.1.1-en", "ESCO dataset - v1.1.1 - classification - en - csv.zip")
	tax, err := LoadTaxonomy(zip)
	if err != nil {
		t.Fatal(err)
	}
	st := tax.Stats()
	if st.Skills != 13896 || st.Occupations != 3007 || st.Relations != 0 {
		t.Errorf("stats %+v", st)
	}
	if v := tax.Version(); !strings.HasPrefix(v, "esco-1.1.1/en+lexicon-it-") {
		t.Errorf("Version() = %q", v)
	}
}
