package nlp

import (
	"sort"
	"strings"
)

// Skill is one ESCO skill or knowledge concept, its labels merged across the
// languages and versions loaded.
type Skill struct {
	URI         string
	Type        string              // "skill/competence" or "knowledge" ("" when the bundle does not say)
	ReuseLevel  string              // "transversal", "cross-sector", "sector-specific", "occupation-specific"
	Preferred   map[string]string   // language -> preferred label
	Alt         map[string][]string // language -> alternative labels
	Hidden      map[string][]string // language -> hidden labels (misspellings, old forms)
	Broader     []string            // broader skill or skill-group URIs
	Collections []string            // "digital", "green", "transversal", "language", "digcomp", "research"
}

// Label returns the preferred label in lang, else in English, else in any
// language loaded (the alphabetically first), else the URI.
func (s Skill) Label(lang string) string { return pickLabel(s.Preferred, lang, s.URI) }

// Occupation is one ESCO occupation with its ISCO-08 unit group.
type Occupation struct {
	URI       string
	ISCO      string // ISCO-08 4-digit unit group code
	Code      string // ESCO code, e.g. "7223.1"
	Preferred map[string]string
	Alt       map[string][]string
	Hidden    map[string][]string
	// Description is ESCO's description of the occupation by language
	// (what the workers do), when the bundle has the column.
	Description map[string]string
	Broader     []string // broader occupation or ISCO group URIs
	Essential   []string // essential skill URIs (occupationSkillRelations)
	Optional    []string // optional skill URIs
}

// Label returns the preferred label in lang, else English, else any.
func (o Occupation) Label(lang string) string { return pickLabel(o.Preferred, lang, o.URI) }

// ISCOGroupInfo is an ISCO-08 group (1 to 4 digits) with its labels.
type ISCOGroupInfo struct {
	URI       string
	Code      string
	Preferred map[string]string
}

// Label returns the group name in lang, else English, else any.
func (g ISCOGroupInfo) Label(lang string) string { return pickLabel(g.Preferred, lang, g.Code) }

func pickLabel(m map[string]string, lang, fallback string) string {
	if l, ok := m[lang]; ok && l != "" {
		return l
	}
	if l, ok := m["en"]; ok && l != "" {
		return l
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m[k] != "" {
			return m[k]
		}
	}
	return fallback
}

// Taxonomy is the merged ESCO classification plus the embedded Italian
// lexicon. It is read-only after LoadTaxonomy and safe for concurrent use.
type Taxonomy struct {
	skills       map[string]*Skill
	occupations  map[string]*Occupation
	groups       map[string]*ISCOGroupInfo // by code
	lexicon      []LexiconEntry
	lexVersion   string          // Italian lexicon
	lexVersionEN string          // English lexicon
	sources      []sourceVersion // in the order first seen
	warnings     []string
}

type sourceVersion struct {
	version, lang string
}

// Version identifies the taxonomy an extraction was made with, e.g.
// "esco-1.1.1/en+1.0.8/it+lexicon-it-4+en-1": the ESCO version of every
// language loaded, in load order, then the Italian and English lexicon versions.
func (t *Taxonomy) Version() string {
	var b strings.Builder
	b.WriteString("esco-")
	if len(t.sources) == 0 {
		b.WriteString("none")
	}
	for i, s := range t.sources {
		if i > 0 {
			b.WriteByte('+')
		}
		b.WriteString(s.version)
		b.WriteByte('/')
		b.WriteString(s.lang)
	}
	b.WriteString("+lexicon-it-")
	b.WriteString(t.lexVersion)
	b.WriteString("+en-")
	b.WriteString(t.lexVersionEN)
	return b.String()
}

// Skill returns the skill with the given concept URI.
func (t *Taxonomy) Skill(uri string) (Skill, bool) {
	s, ok := t.skills[uri]
	if !ok {
		return Skill{}, false
	}
	return *s, true
}

// Occupation returns the occupation with the given concept URI.
func (t *Taxonomy) Occupation(uri string) (Occupation, bool) {
	o, ok := t.occupations[uri]
	if !ok {
		return Occupation{}, false
	}
	return *o, true
}

// ISCOGroup returns the ISCO-08 group with the given code (1 to 4 digits).
func (t *Taxonomy) ISCOGroup(code string) (ISCOGroupInfo, bool) {
	g, ok := t.groups[code]
	if !ok {
		return ISCOGroupInfo{}, false
	}
	return *g, true
}

// Stats counts the concepts loaded.
type Stats struct {
	Skills, Occupations, ISCOGroups, Relations int
	LexiconEntries, LexiconSkills              int // lexicon entries (both languages), distinct skill URIs in the Italian lexicon
	LexiconOccupations                         int // distinct occupation URIs in the Italian lexicon
}

// Stats counts the concepts loaded.
func (t *Taxonomy) Stats() Stats {
	st := Stats{Skills: len(t.skills), Occupations: len(t.occupations), ISCOGroups: len(t.groups), LexiconEntries: len(t.lexicon)}
	for _, o := range t.occupations {
		st.Relations += len(o.Essential) + len(o.Optional)
	}
	sk, oc := map[string]bool{}, map[string]bool{}
	for _, e := range t.lexicon {
		if e.Lang != "it" {
			continue
		}
		if e.Kind == KindOccupation {
			oc[e.URI] = true
		} else {
			sk[e.URI] = true
		}
	}
	st.LexiconSkills, st.LexiconOccupations = len(sk), len(oc)
	return st
}

// Lexicon returns the lexicon entries merged into the taxonomy.
func (t *Taxonomy) Lexicon() []LexiconEntry { return append([]LexiconEntry(nil), t.lexicon...) }

// Warnings lists the rows that could not be loaded (file, row and reason),
// at most 100; loading goes on past them.
func (t *Taxonomy) Warnings() []string { return append([]string(nil), t.warnings...) }
