package nlp

import (
	"testing"

	"github.com/fabbisogni/fabbisogni"
)

func TestDescIndex(t *testing.T) {
	st := &stemmer{lang: "it"}
	stem := func(w string) string {
		if stopIT[w] {
			return ""
		}
		return st.stem(w)
	}
	x := newDescIndex([]int32{10, 11, 12, 13},
		[]string{
			"Preparano le pareti, stendono lo stucco e la pittura su superfici interne ed esterne degli edifici.",
			"Lavano, tagliano e acconciano i capelli dei clienti; applicano colore e trattamenti.",
			"Registrano le fatture, tengono la contabilità e preparano i bilanci.",
			"", // no description: not indexed
		},
		[][]string{{"pittore edile"}, {"parrucchiere"}, {"contabile"}, {"senza descrizione"}}, stem)
	doc := func(s string) ([]token, []string) {
		toks := tokenize(s, nil)
		stems := make([]string, len(toks))
		for i, tk := range toks {
			stems[i] = stem(tk.norm)
		}
		return toks, stems
	}
	for _, c := range []struct {
		text string
		want int32 // concept, -1 for none
	}{
		{"PREPARAZIONE PARETI PER PITTURA E STUCCATURA", 10},
		{"lavaggio e taglio capelli", 11},
		{"registrazione fatture e contabilità", 12},
		{"MANSIONI PROPRIE DELLA QUALIFICA", -1}, // boilerplate only
		{"pittura", -1},                          // one shared word is chance
		{"senza descrizione", -1},                // the undescribed occupation is not indexed
	} {
		toks, stems := doc(c.text)
		top := x.top(toks, stems, 1)
		got := int32(-1)
		if len(top) > 0 {
			got = top[0].concept
			if top[0].sim <= 0 || top[0].sim > 1.0001 {
				t.Errorf("%q: similarity %v not in (0,1]", c.text, top[0].sim)
			}
		}
		if got != c.want {
			t.Errorf("%q: nearest description %d, want %d (%v)", c.text, got, c.want, top)
		}
	}
	if newDescIndex([]int32{1}, []string{""}, [][]string{{"x"}}, stem) != nil {
		t.Error("an index without descriptions should be nil")
	}
}

// A task list naming no occupation gets, as a last resort, the minor group of
// the occupation with the nearest ESCO description, with a score no higher
// than the similarity: unsure, and saying so.
func TestExtractNearestDescription(t *testing.T) {
	e := MustExtractor(t)
	text := "installazione e configurazione di nuovi componenti hardware e software, gestione di eventuali aggiornamenti e cambiamenti di sistemi operativi"
	x := e.Extract("t", "", text)
	if len(x.Occupations) != 0 || x.ISCOGroup == nil {
		t.Fatalf("want an ISCO group only, got %+v / %+v", x.Occupations, x.ISCOGroup)
	}
	toks := tokenize(text, nil)
	top := e.desc[0].top(toks, e.skills["it"].stems(toks), 1)
	if len(top) == 0 {
		t.Fatal("no nearest description")
	}
	if len(x.ISCOGroup.Code) > 3 || x.ISCOGroup.Code[0] != '2' && x.ISCOGroup.Code[0] != '3' || x.ISCOGroup.Score <= 0 || x.ISCOGroup.Score > round3(top[0].sim) {
		t.Errorf("group %+v, want an ICT professionals' or technicians' group of at most 3 digits scored at most the similarity %.3f", *x.ISCOGroup, top[0].sim)
	}
	if x := e.Extract("t", "", "PROPRIE DELLA QUALIFICA"); x.ISCOGroup != nil || len(x.Occupations) != 0 {
		t.Errorf("boilerplate coded as %+v / %+v", x.Occupations, x.ISCOGroup)
	}
}

// A one-line task list without a title: the occupation labels that name a
// task ("gestione cassa" for the cashier) code the job but leave their words
// to the skills; a worker's name ("saldatore") still keeps its words.
func TestTaskLabelsKeepSkills(t *testing.T) {
	e := MustExtractor(t)
	has := func(x fabbisogni.Extraction, label string) bool {
		for _, s := range x.Skills {
			if s.Label == label {
				return true
			}
		}
		return false
	}
	x := e.Extract("t", "", "GESTIONE CASSA, RIFORNIMENTO SCAFFALI")
	if !has(x, "operate cash register") || !has(x, "stock shelves") {
		t.Errorf("task list lost its skills: %+v", x.Skills)
	}
	if x.BestISCO() == "" {
		t.Error("task list lost its occupation")
	}
	x = e.Extract("t", "", "ATTIVITA' DI BACK OFFICE")
	if has(x, "use microsoft office") {
		t.Errorf("back office read as Microsoft Office: %+v", x.Skills)
	}
}

// English postings use ESCO's English descriptions the same way.
func TestDescIndexEnglish(t *testing.T) {
	e := MustExtractor(t)
	x := e.desc[1]
	if x == nil {
		t.Fatal("no English description index")
	}
	text := "Duties: washing dishes, pots and pans, cleaning the kitchen and taking out the rubbish."
	toks := tokenize(text, nil)
	top := x.top(toks, e.skills["en"].stems(toks), 3)
	if len(top) == 0 {
		t.Fatal("no nearest English description")
	}
	if isco := e.concepts[top[0].concept].isco; isco[:2] != "94" && isco[:2] != "91" {
		t.Errorf("nearest %s (%s), want a kitchen or cleaning helper (94, 91)", e.concepts[top[0].concept].labelEN, isco)
	}
}
