package nlp

import "strings"

// Cue words (folded, matched as word prefixes) that mark a requirement, a
// preference or a negation. A cue in the same clause decides first, then one
// in the same sentence, then the section the line is in ("Requisiti",
// "Titoli preferenziali", "Nice to have").
var (
	requiredCues = newPrefixSet("richiest", "richied", "indispensabil", "requisit", "obbligatori", "necessari", "essenzial",
		"imprescindibil", "fondamental", "must", "required", "requirement", "essential", "mandatory", "necessary", "need")
	preferredCues = newPrefixSet("preferenzial", "preferibil", "gradit", "graditissim", "apprezzat", "gradimento", "plus",
		"preferred", "preferabl", "desirabl", "advantage", "vantaggio", "bonus", "ideally", "idealment", "positivament")
	negationCues = setOf(`non no nessun nessuna nessuno senza not without neither nor`)
	// after the mention: "esperienza non necessaria", "experience not required"
	negatedAfter = newPrefixSet("necessari", "richiest", "indispensabil", "obbligatori", "required", "needed", "necessary", "mandatory", "essential")

	headingRequired  = []string{"requisit", "richiediamo", "chiediamo", "profilo", "candidato", "requirement", "qualification", "looking", "must", "competenze richieste"}
	headingPreferred = []string{"preferenzial", "gradit", "nice", "plus", "preferred", "bonus"}
	headingNeutral   = []string{"mansion", "attivita", "responsabilit", "offriamo", "offre", "offer", "benefit", "descrizione", "chi siamo", "about", "task", "you will", "what you", "contratto", "sede"}
)

// cueScanner answers, for a token span, whether it is required, preferred or
// negated.
type cueScanner struct {
	toks    []token
	clause  []int  // clause index of each token
	sent    []int  // sentence index of each token
	line    []int  // line index of each token
	section []int8 // by line
	reqCl   []bool // by clause
	prefCl  []bool
	reqSen  []bool // by sentence
	prefSen []bool
}

// prefixSet holds word prefixes bucketed by their first byte, so that a
// word is compared only with the prefixes that can start it. A prefix ending
// in "$" matches only the whole word ("moda$": "moda", not "modalita").
type prefixSet [256][]string

func newPrefixSet(ps ...string) *prefixSet {
	s := new(prefixSet)
	for _, p := range ps {
		if p != "" {
			s[p[0]] = append(s[p[0]], p)
		}
	}
	return s
}

// match reports whether w starts with one of the prefixes, or is one of the
// whole words.
func (s *prefixSet) match(w string) bool {
	if w == "" {
		return false
	}
	for _, p := range s[w[0]] {
		if n := len(p) - 1; p[n] == '$' {
			if w == p[:n] {
				return true
			}
		} else if strings.HasPrefix(w, p) {
			return true
		}
	}
	return false
}

// section modes
const (
	secNone int8 = iota
	secRequired
	secPreferred
)

func newCueScanner(toks []token) *cueScanner {
	n := len(toks)
	c := &cueScanner{toks: toks, clause: make([]int, n), sent: make([]int, n), line: make([]int, n),
		section: make([]int8, n), reqCl: make([]bool, n), prefCl: make([]bool, n), reqSen: make([]bool, n), prefSen: make([]bool, n)}
	cl, se, li := -1, -1, -1
	for i, t := range toks {
		if i == 0 || t.lvl >= 1 {
			cl++
		}
		if i == 0 || t.lvl >= 2 {
			se++
		}
		if i == 0 || t.lvl >= 3 {
			li++
		}
		c.clause[i], c.sent[i], c.line[i] = cl, se, li
		// "nice to have", "a plus" are two words; "plus" alone is enough, "nice" needs "have"
		switch {
		case preferredCues.match(t.norm) || t.norm == "nice" && i+2 < len(toks) && toks[i+2].norm == "have":
			c.prefCl[cl], c.prefSen[se] = true, true
		case requiredCues.match(t.norm):
			c.reqCl[cl], c.reqSen[se] = true, true
		}
	}
	// Sections: a short line made of a heading sets the mode of the lines after it.
	mode := secNone
	for i := 0; i < len(toks); {
		j := i
		for j < len(toks) && c.line[j] == c.line[i] {
			j++
		}
		if j-i <= 5 {
			var words []string
			for k := i; k < j; k++ {
				words = append(words, toks[k].norm)
			}
			h := strings.Join(words, " ")
			switch {
			case containsAny(h, headingPreferred):
				mode = secPreferred
			case containsAny(h, headingRequired):
				mode = secRequired
			case containsAny(h, headingNeutral):
				mode = secNone
			}
		}
		c.section[c.line[i]] = mode
		i = j
	}
	return c
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// classify returns the cues of the tokens [from, to).
func (c *cueScanner) classify(from, to int) (required, preferred, negated bool) {
	if from >= len(c.toks) || to <= from {
		return false, false, false
	}
	cl, se := c.clause[from], c.sent[from]
	// negation: a negation word up to five tokens before, in the same sentence
	for k := from - 1; k >= 0 && k >= from-5 && c.sent[k] == se; k-- {
		if negationCues[c.toks[k].norm] {
			negated = true
			break
		}
	}
	// or "non" + "necessario/richiesto" right after, in the same clause
	for k := to; k < len(c.toks) && k < to+3 && c.clause[k] == c.clause[to-1]; k++ {
		if negationCues[c.toks[k].norm] && k+1 < len(c.toks) && negatedAfter.match(c.toks[k+1].norm) {
			negated = true
		}
	}
	switch {
	case c.prefCl[cl]:
		return false, true, negated
	case c.reqCl[cl]:
		return true, false, negated
	case c.prefSen[se]:
		return false, true, negated
	case c.reqSen[se]:
		return true, false, negated
	}
	switch c.section[c.line[from]] {
	case secRequired:
		return true, false, negated
	case secPreferred:
		return false, true, negated
	}
	return false, false, negated
}
