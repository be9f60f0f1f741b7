package nlp

import (
	_ "embed"
	"strings"
)

// variantsITTSV lists classes of Italian words that name the same task in a
// posting: a noun and its verb that Snowball stems apart ("emissione"
// emission, "emettere" emett; "sanificazione" sanif, "sanificare" sanific)
// and a near-synonym postings use in its place ("selezione", "cernita").
// One class a line, its words separated by spaces; "#" starts a comment.
// See formVariants.
//
//go:embed lexicon/variants-it.tsv
var variantsITTSV string

// variantQuality is the quality of a label made by formVariants: below the
// lexicon line it comes from, so a real line met at the same place wins.
const variantQuality = 0.9

// variantClasses reads variants-it.tsv into the alternatives of each stem:
// every other stem of its class. A word whose stem is its class's stem
// already adds nothing. Besides the listed classes, a stem ending in -if
// and the same stem in -ific are alternatives ("pianif" from pianificazione,
// "pianific" from pianificare): Snowball takes -icazione off the noun and
// only -are off the verb, for every verb in -ificare.
func variantClasses(tsv string, st *stemmer) map[string][]string {
	out := map[string][]string{}
	for _, line := range strings.Split(tsv, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		var stems []string
		for _, w := range strings.Fields(line) {
			s := st.stem(Normalize(w))
			if s != "" && !contains(stems, s) {
				stems = append(stems, s)
			}
		}
		for _, s := range stems {
			for _, a := range stems {
				if a != s && !contains(out[s], a) {
					out[s] = append(out[s], a)
				}
			}
		}
	}
	return out
}

// alternatives returns the stems that may stand for s in a variant.
func alternatives(classes map[string][]string, s string) []string {
	alt := classes[s]
	switch {
	case len(s) >= 7 && strings.HasSuffix(s, "ific"):
		alt = append(alt[:len(alt):len(alt)], s[:len(s)-2])
	case len(s) >= 5 && strings.HasSuffix(s, "if"):
		alt = append(alt[:len(alt):len(alt)], s+"ic")
	}
	return alt
}

// formVariants adds to m, for every multi-word form (its stems and target),
// the forms made by replacing one of its stems by an alternative
// (variantClasses): "emissione fatture" is read in "emettere le fatture"
// too. A variant that is a label of its own is not added: the
// lexicon's own line for those words decides. It returns the number of
// variants added.
func formVariants(m *matcher, forms []variantSource, classes map[string][]string) int {
	type variant struct {
		stems []string
		tg    target
	}
	var vs []variant
	for _, f := range forms {
		for k, s := range f.stems {
			for _, a := range alternatives(classes, s) {
				v := append([]string(nil), f.stems...)
				v[k] = a
				if m.hasLabel(v) {
					continue
				}
				tg := f.tg
				tg.quality, tg.joint = variantQuality, 0
				vs = append(vs, variant{v, tg})
			}
		}
	}
	// every variant is checked against the labels before any is added, so
	// that two variants meeting at the same words both stand
	for _, v := range vs {
		m.add(v.stems, v.tg)
	}
	return len(vs)
}

// variantSource is a multi-word lexicon form formVariants varies.
type variantSource struct {
	stems []string
	tg    target
}

// hasLabel reports whether stems are a label of m.
func (m *matcher) hasLabel(stems []string) bool {
	node := int32(0)
	for _, s := range stems {
		id, ok := m.ids[s]
		if !ok {
			return false
		}
		if node, ok = m.child(node, id); !ok {
			return false
		}
	}
	return m.terminal(node)
}
