package nlp

import (
	"sync"
	"sync/atomic"
)

// speller corrects one-letter typos of long Italian words ("GIARINIERE",
// "archiaviazione") to a word of the lexicon or of ESCO's Italian labels,
// with a symmetric-delete index: a word and all its one-letter deletions
// point to the vocabulary words they come from. A correction is made only
// when exactly one vocabulary word is within one edit (insertion, deletion,
// substitution or swap of neighbours); short words are never corrected.
type speller struct {
	vocab   map[string]bool
	deletes map[string][]string
	cache   sync.Map // word -> corrected word ("" for none)
	n       atomic.Int64
}

// minTypoLen is the shortest word the speller corrects: below it, real
// words one letter apart are too common ("cucire", "cucina").
const minTypoLen = 8

func newSpeller() *speller {
	return &speller{vocab: map[string]bool{}, deletes: map[string][]string{}}
}

func isLowerASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < 'a' || w[i] > 'z' {
			return false
		}
	}
	return true
}

// add puts a folded vocabulary word in the index.
func (s *speller) add(w string) {
	if len(w) < minTypoLen-1 || !isLowerASCIIWord(w) || s.vocab[w] {
		return
	}
	s.vocab[w] = true
	s.deletes[w] = append(s.deletes[w], w)
	for i := 0; i < len(w); i++ {
		d := w[:i] + w[i+1:]
		s.deletes[d] = append(s.deletes[d], w)
	}
}

// correct returns the vocabulary word w is a typo of, or "".
func (s *speller) correct(w string) string {
	if len(w) < minTypoLen || s.vocab[w] || !isLowerASCIIWord(w) {
		return ""
	}
	if v, ok := s.cache.Load(w); ok {
		return v.(string)
	}
	found := ""
	ambiguous := false
	consider := func(c string) {
		if c == found || ambiguous || !withinOneEdit(w, c) {
			return
		}
		if found != "" {
			ambiguous = true
			return
		}
		found = c
	}
	for _, c := range s.deletes[w] { // w is a vocabulary word with one letter missing... or more
		consider(c)
	}
	for i := 0; i < len(w) && !ambiguous; i++ {
		d := w[:i] + w[i+1:]
		for _, c := range s.deletes[d] {
			consider(c)
		}
	}
	if ambiguous {
		found = ""
	}
	if s.n.Load() < stemCacheMax {
		if _, loaded := s.cache.LoadOrStore(w, found); !loaded {
			s.n.Add(1)
		}
	}
	return found
}

// withinOneEdit reports whether a and b differ by one insertion, deletion,
// substitution or transposition of neighbouring letters.
func withinOneEdit(a, b string) bool {
	if a == b {
		return false
	}
	la, lb := len(a), len(b)
	if la-lb > 1 || lb-la > 1 {
		return false
	}
	i := 0
	for i < la && i < lb && a[i] == b[i] {
		i++
	}
	switch {
	case la == lb:
		// substitutions are left out: they turn words into other real words
		// too often ("cintura"/"tintura", "rottura"/"cottura")
		return i+1 < la && a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:] // transposition
	case la > lb:
		return a[i+1:] == b[i:]
	default:
		return a[i:] == b[i+1:]
	}
}
