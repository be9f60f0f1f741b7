package nlp

import (
	"strings"
	"testing"
)

func TestLoadTaxonomy(t *testing.T) {
	tax := MustTaxonomy(t)
	if got, want := tax.Version(), "esco-1.1.1/en+1.0.8/it+lexicon-it-"; !strings.HasPrefix(got, want) {
		t.Errorf("Version() = %q, want prefix %q", got, want)
	}
	st := tax.Stats()
	if st.Skills != 13896 {
		t.Errorf("skills = %d, want 13896", st.Skills)
	}
	if st.Occupations < 3007 {
		t.Errorf("occupations = %d, want >= 3007", st.Occupations)
	}
	if st.Relations != 123855 {
		t.Errorf("occupation-skill relations = %d, want 123855", st.Relations)
	}
	if w := tax.Warnings(); len(w) > 0 {
		t.Errorf("warnings: %q", w)
	}
	// technical director: ISCO 2166 in the Italian v1.0.8 file, 2654 in v1.1.1; the newer wins.
	o, ok := tax.Occupation("http://data.europa.eu/esco/occupation/00030d09-2b3a-4efd-87cc-c4ea39d27c34")
	if !ok {
		t.Fatal("technical director not found")
	}
	if o.ISCO != "2654" {
		t.Errorf("ISCO = %q, want 2654 (v1.1.1 wins over v1.0.8)", o.ISCO)
	}
	if o.Label("en") != "technical director" || !strings.HasPrefix(o.Label("it"), "direttore tecnico") {
		t.Errorf("labels en=%q it=%q", o.Label("en"), o.Label("it"))
	}
	if len(o.Essential) == 0 {
		t.Error("no essential skills")
	}
	s, ok := tax.Skill("http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
	if !ok || s.Label("it") != "manage musical staff" || s.Type != "skill/competence" || len(s.Alt["en"]) == 0 {
		t.Errorf("skill = %+v %v", s, ok)
	}
	if _, ok := tax.Skill("http://data.europa.eu/esco/skill/nope"); ok {
		t.Error("unknown skill found")
	}
	g, ok := tax.ISCOGroup("7212")
	if !ok || g.Label("en") == "" || g.Label("it") == "" {
		t.Errorf("ISCO group 7212 = %+v %v", g, ok)
	}
	// collections
	digital := 0
	for _, s := range tax.skills {
		if contains(s.Collections, "digital") {
			digital++
		}
	}
	if digital < 1000 {
		t.Errorf("digital collection skills = %d", digital)
	}
}

// TestLexiconURIsExist checks every lexicon line against the taxonomy: the
// URI exists with the kind written, and the English check label is the
// concept's preferred label.
func TestLexiconURIsExist(t *testing.T) {
	tax := MustTaxonomy(t)
	lex, _, err := parseLexicon(lexiconTSV, "lexicon/it.tsv", "it")
	if err != nil {
		t.Fatal(err)
	}
	lexEN, _, err := parseLexicon(lexiconENTSV, "lexicon/en.tsv", "en")
	if err != nil {
		t.Fatal(err)
	}
	lex = append(lex, lexEN...)
	seen := map[string]int{}
	for _, e := range lex {
		key := e.Lang + "\t" + Normalize(e.Surface) + "\t" + e.URI
		if prev, ok := seen[key]; ok {
			t.Errorf("%s line %d: %q duplicates line %d", e.Lang, e.Line, e.Surface, prev)
		}
		seen[key] = e.Line
		switch e.Kind {
		case KindSkill:
			s, ok := tax.Skill(e.URI)
			if !ok {
				t.Errorf("line %d: skill %s (%q) not in ESCO", e.Line, e.URI, e.Surface)
				continue
			}
			if e.Check != s.Preferred["en"] {
				t.Errorf("line %d: check label %q, ESCO says %q", e.Line, e.Check, s.Preferred["en"])
			}
		case KindOccupation:
			o, ok := tax.Occupation(e.URI)
			if !ok {
				t.Errorf("line %d: occupation %s (%q) not in ESCO", e.Line, e.URI, e.Surface)
				continue
			}
			if want := o.Preferred["en"] + " [" + o.ISCO + "]"; e.Check != want {
				t.Errorf("line %d: check label %q, ESCO says %q", e.Line, e.Check, want)
			}
		}
	}
	if len(tax.Lexicon()) != len(lex) {
		t.Errorf("taxonomy kept %d of %d lexicon entries", len(tax.Lexicon()), len(lex))
	}
}

func TestLexiconSize(t *testing.T) {
	tax := MustTaxonomy(t)
	st := tax.Stats()
	t.Logf("lexicon: %d entries, %d distinct skills, %d occupations", st.LexiconEntries, st.LexiconSkills, st.LexiconOccupations)
	if st.LexiconSkills < 1000 {
		t.Errorf("lexicon covers %d distinct skills, want >= 1000", st.LexiconSkills)
	}
}
