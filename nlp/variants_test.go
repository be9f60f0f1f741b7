package nlp

import (
	"slices"
	"testing"
)

func TestVariantClasses(t *testing.T) {
	st := &stemmer{lang: "it"}
	classes := variantClasses("# comment\nemissione emettere # a noun and its verb\n\nselezione selezionare cernita\n", st)
	if got := classes["emission"]; !slices.Equal(got, []string{"emett"}) {
		t.Errorf("emission -> %q, want [emett]", got)
	}
	// "selezione" and "selezionare" share a stem: the class has two stems
	if got := classes["selezion"]; !slices.Equal(got, []string{"cern"}) {
		t.Errorf("selezion -> %q, want [cern]", got)
	}
	// Snowball's -ificazione / -ificare split, for words in no class
	for _, w := range [][2]string{{"pianificazione", "pianificare"}, {"certificazione", "certificare"}} {
		n, v := st.stem(w[0]), st.stem(w[1])
		if n == v {
			t.Fatalf("%s and %s share stem %q: the rule is not needed", w[0], w[1], n)
		}
		if !slices.Contains(alternatives(classes, n), v) || !slices.Contains(alternatives(classes, v), n) {
			t.Errorf("%q and %q are not alternatives of each other", n, v)
		}
	}
	// too short to be a verb's stem in -ificare
	if alt := alternatives(classes, "naif"); len(alt) != 0 {
		t.Errorf("naif -> %q: a stem in -if under five letters must not vary", alt)
	}
}

func TestFormVariants(t *testing.T) {
	cases := []struct{ text, uri string }{
		// lexicon "emissione fatture"
		{"La risorsa dovrà emettere le fatture ai clienti e seguire gli incassi.", "http://data.europa.eu/esco/skill/e3e42d54-78bd-4337-aa87-bb31a7670c9a"},
		// lexicon "pulizia del bancone"
		{"Cercasi barista: servire ai tavoli e tenere pulito il bancone.", "http://data.europa.eu/esco/skill/c611304c-2b99-4d56-b267-55e403925736"},
	}
	on := unfilteredExtractor(t)
	off := extractorWith(t, "unfiltered, no variants", func(c *Config) { c.MinReliability, c.FormVariants = 0, false })
	for _, c := range cases {
		has := func(e *Extractor) bool {
			for _, m := range e.Extract("v", "", c.text).Skills {
				if m.URI == c.uri {
					return true
				}
			}
			return false
		}
		if !has(on) {
			t.Errorf("%q: %s not found through a variant", c.text, c.uri)
		}
		if has(off) {
			t.Errorf("%q: %s found without variants: the case does not test them", c.text, c.uri)
		}
	}
	if on.String() == off.String() || on.version == off.version {
		t.Errorf("the version does not tell variants on from off: %q", on.version)
	}
}
