package nlp

import "testing"

// TestProseSentences checks that prose's sentence starts become sentence
// boundaries on the right tokens, that a full stop prose does not split at
// ("Dr. Rossi") becomes a clause boundary, and that line breaks stay.
func TestProseSentences(t *testing.T) {
	text := "Experience with Java is required. Dr. Rossi will train you.\nPython is a plus"
	toks := tokenize(text, nil)
	if err := proseSentences(text, toks); err != nil {
		t.Fatal(err)
	}
	lvl := map[string]uint8{}
	for _, tk := range toks {
		if tk.start < 0 || tk.end > len(text) || tk.start >= tk.end {
			t.Fatalf("token %q offsets [%d,%d) outside the text", tk.norm, tk.start, tk.end)
		}
		lvl[tk.norm] = tk.lvl
	}
	for w, want := range map[string]uint8{"dr": 2, "rossi": 1, "python": 3, "required": 0} {
		if lvl[w] != want {
			t.Errorf("boundary level before %q = %d, want %d", w, lvl[w], want)
		}
	}
}

// TestExtractProseSentences: with Config.ProseSentences the cues still
// scope to the sentence prose finds.
func TestExtractProseSentences(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ProseSentences = true
	e, err := NewExtractor(MustTaxonomy(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := e.Extract("", "", "Knowledge of Python is required. Experience with Java is a plus.")
	got := map[string][2]bool{}
	for _, s := range x.Skills {
		got[s.Text] = [2]bool{s.Required, s.Preferred}
	}
	if g, ok := got["Python"]; !ok || !g[0] || g[1] {
		t.Errorf("Python: %v (present %v), want required only; skills %+v", g, ok, x.Skills)
	}
	if g, ok := got["Java"]; !ok || g[0] || !g[1] {
		t.Errorf("Java: %v (present %v), want preferred only; skills %+v", g, ok, x.Skills)
	}
}

// FuzzProseSentences: re-levelling by prose never panics, never moves a
// token, and keeps line breaks.
func FuzzProseSentences(f *testing.F) {
	for _, s := range []string{"", "Dr. Rossi. Ok.", "a\nb. c", "Requisiti: patente B. Gradito HACCP.\n- inglese", "é\u0301. x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := tokenize(s, nil)
		before := append([]token(nil), toks...)
		if err := proseSentences(s, toks); err != nil {
			t.Fatal(err)
		}
		for i := range toks {
			if toks[i].start != before[i].start || toks[i].end != before[i].end || toks[i].norm != before[i].norm {
				t.Fatalf("token %d moved: %+v -> %+v", i, before[i], toks[i])
			}
			if (before[i].lvl == 3) != (toks[i].lvl == 3) || toks[i].lvl > 3 {
				t.Fatalf("token %d line level changed: %d -> %d", i, before[i].lvl, toks[i].lvl)
			}
		}
	})
}
