package nlp

import (
	"sort"
	"testing"
)

func TestWithinOneEdit(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"giariniere", "giardiniere", true}, // deletion
		{"magazzziniere", "magazziniere", true},
		{"archiaviazione", "archiviazione", true},
		{"saldatira", "saldatura", false}, // substitution: not corrected
		{"sladatura", "saldatura", true},  // transposition
		{"saldatura", "saldatura", false}, // equal is not a typo
		{"cucina", "cucire", false},       // two substitutions
		{"abc", "abcde", false},
	}
	for _, c := range cases {
		if got := withinOneEdit(c.a, c.b); got != c.want {
			t.Errorf("withinOneEdit(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestSpeller(t *testing.T) {
	s := newSpeller()
	for _, w := range []string{"giardiniere", "saldatura", "carrellista", "imballaggio", "imballaggi"} {
		s.add(w)
	}
	cases := map[string]string{
		"giariniere":  "giardiniere",
		"saldatira":   "",
		"saldatrua":   "saldatura", // transposition
		"carellista":  "carrellista",
		"giardiniere": "", // known word
		"saldat":      "", // too short
		"imbalaggio":  "imballaggio",
		"xyzxyzxyz":   "",
	}
	keys := make([]string, 0, len(cases))
	for k := range cases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if got := s.correct(k); got != cases[k] {
			t.Errorf("correct(%q) = %q, want %q", k, got, cases[k])
		}
	}
}

func TestExtractTypos(t *testing.T) {
	e := MustExtractor(t)
	x := e.Extract("lazio", "", "GIARINIERE, MANUTENTORE DEL VERDE")
	if got := x.BestISCO(); len(got) < 2 || got[:2] != "92" && got[:2] != "61" {
		t.Errorf("BestISCO = %q (%+v %+v), want a gardener group", got, x.Occupations, x.ISCOGroup)
	}
}
