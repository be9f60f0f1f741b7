package nlp

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// descIndex finds the ESCO occupations whose description and labels in one
// language share the most words with a posting (tf-idf cosine over stems).
// It answers the long tail of task descriptions that name no occupation
// ("Preparazione pareti per pittura con stuccatura e rasatura"): the
// occupation coder uses it only for its ISCO-group fallback, never for a
// 4-digit answer.
type descIndex struct {
	terms map[string]int32 // stem -> term id
	idf   []float32        // by term id
	post  [][]descPosting  // by term id: the occupations using the term
	occ   []int32          // by posting's occupation index: concept id
	pool  sync.Pool        // *descScratch
}

type descPosting struct {
	occ int32   // index into descIndex.occ
	w   float32 // the term's weight in the occupation's unit vector
}

// descMaxDF is the share of descriptions above which a word is left out of
// the index: it tells no occupation from another, and its postings would
// cost the most to read.
const descMaxDF = 0.2

// descMaxTerms is how many of a posting's distinct words, the rarest in
// the descriptions first, are looked up.
const descMaxTerms = 16

// descLabelWeight is how many times a label word counts against a word of
// the description.
const descLabelWeight = 2

// newDescIndex builds the index from the occupations' descriptions and
// labels in one language; stem gives a folded word's stem in that language,
// "" for stop words. Returns nil when no occupation has a description.
func newDescIndex(ids []int32, texts []string, labels [][]string, stem func(string) string) *descIndex {
	x := &descIndex{terms: map[string]int32{}}
	type tf struct {
		term int32
		n    float64
	}
	docs := make([][]tf, 0, len(ids))
	df := []int{}
	var buf []token
	for k, id := range ids {
		if texts[k] == "" {
			continue
		}
		counts := map[int32]float64{}
		add := func(s string, w float64) {
			buf = tokenize(s, buf[:0])
			for _, t := range buf {
				st := descStem(t.norm, stem)
				if st == "" {
					continue
				}
				tid, ok := x.terms[st]
				if !ok {
					tid = int32(len(x.terms))
					x.terms[st] = tid
					df = append(df, 0)
				}
				counts[tid] += w
			}
		}
		add(texts[k], 1)
		for _, l := range labels[k] {
			add(l, descLabelWeight)
		}
		d := make([]tf, 0, len(counts))
		for tid, n := range counts {
			d = append(d, tf{tid, n})
			df[tid]++
		}
		slices.SortFunc(d, func(a, b tf) int { return int(a.term - b.term) })
		docs = append(docs, d)
		x.occ = append(x.occ, id)
	}
	if len(docs) == 0 {
		return nil
	}
	n := float64(len(docs))
	x.idf = make([]float32, len(df))
	for tid, f := range df {
		x.idf[tid] = float32(math.Log(n / float64(f)))
	}
	x.post = make([][]descPosting, len(df))
	for tid, f := range df {
		if f > 10 && float64(f) > n*descMaxDF {
			x.idf[tid] = 0 // in too many descriptions to tell them apart
		}
	}
	for oi, d := range docs {
		norm := 0.0
		for _, t := range d {
			w := (1 + math.Log(t.n)) * float64(x.idf[t.term])
			norm += w * w
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for _, t := range d {
			w := (1 + math.Log(t.n)) * float64(x.idf[t.term]) / norm
			if w > 0 {
				x.post[t.term] = append(x.post[t.term], descPosting{int32(oi), float32(w)})
			}
		}
	}
	return x
}

// descStem is the index term of a folded word: its stem, "" for stop words
// and the words descWord leaves out.
func descStem(norm string, stem func(string) string) string {
	if !descWord(norm) {
		return ""
	}
	return stem(norm)
}

// descWord reports whether a folded word can be an index term: not
// boilerplate, not a number, three letters or more.
func descWord(norm string) bool {
	return len(norm) >= 3 && !descStop[norm] && strings.IndexFunc(norm, unicode.IsLetter) >= 0
}

// descStop are the words of job-posting boilerplate, English and Italian
// ("mansioni proprie della qualifica", "possesso del diploma", "experience
// required"):
// they say nothing of the job, and the few ESCO descriptions that use them
// would be picked for it.
var descStop = setOf(`experience required skills skill candidate candidates role team work working company job jobs opportunity apply knowledge ability able years ` + `mansioni mansione proprie proprio propria tipiche tipica qualifica qualifiche richiesta richieste richiesto richiesti requisiti requisito esperienza esperienze capacità capacita competenze competenza conoscenza conoscenze candidato candidata candidati risorsa risorse figura figure profilo azienda aziende ricerca ricerchiamo cercasi cerca possesso diploma laurea titolo studio patente automunito automunita disponibilità disponibilita orario turni contratto tempo determinato indeterminato settore attività attivita lavoro lavori lavorare gestione supporto svolgere svolgimento inerenti relative relativa varie vari generale generali`)

// descMinTerms is how many distinct words a posting must share with the
// nearest description for it to count.
const descMinTerms = 2

// descMatch is an occupation and its similarity to a posting.
type descMatch struct {
	concept int32
	sim     float64
	boost   float64 // added by the caller's re-ranking, not a similarity
}

// descScratch is top's working memory, reused through descIndex.pool.
type descScratch struct {
	score   []float32 // by occupation index, zero between calls
	touched []int32   // occupations with a non-zero score
	q       []descQuery
}

type descQuery struct {
	term int32
	w    float32
}

// top returns the k occupations most similar to the document whose stems
// in the index's language are given ("" for stop words), best first, ties by index; an
// occupation sharing fewer than descMinTerms words with the document is
// left out.
func (x *descIndex) top(toks []token, stems []string, k int) []descMatch {
	sc, _ := x.pool.Get().(*descScratch)
	if sc == nil {
		sc = &descScratch{score: make([]float32, len(x.occ))}
	}
	defer x.pool.Put(sc)
	q := sc.q[:0]
	for i, st := range stems {
		if st == "" || !descWord(toks[i].norm) {
			continue
		}
		tid, ok := x.terms[st]
		if !ok {
			continue
		}
		j := 0
		for j < len(q) && q[j].term != tid {
			j++
		}
		if j == len(q) {
			q = append(q, descQuery{tid, 0})
		}
		q[j].w++ // a count until weighted below
	}
	sc.q = q
	if len(q) == 0 {
		return nil
	}
	if len(q) > descMaxTerms {
		// a long posting: its rarest words decide, and the common ones cost
		// the most to read
		slices.SortFunc(q, func(a, b descQuery) int {
			if x.idf[a.term] != x.idf[b.term] {
				return cmp.Compare(x.idf[b.term], x.idf[a.term])
			}
			return cmp.Compare(a.term, b.term)
		})
		q = q[:descMaxTerms]
	}
	norm := 0.0
	for j := range q {
		w := (1 + math.Log(float64(q[j].w))) * float64(x.idf[q[j].term])
		q[j].w = float32(w)
		norm += w * w
	}
	if norm == 0 {
		return nil
	}
	inv := float32(1 / math.Sqrt(norm))
	touched := sc.touched[:0]
	score := sc.score
	for _, t := range q {
		w := t.w * inv
		for _, p := range x.post[t.term] {
			s := &score[p.occ]
			if *s == 0 {
				touched = append(touched, p.occ)
			}
			*s += w * p.w
		}
	}
	// better: a higher score, or the same and a lower index (deterministic
	// whatever the order of touched)
	better := func(s float64, oi int32, m descMatch) bool {
		return s > m.sim || s == m.sim && oi < m.concept
	}
	out := make([]descMatch, 0, k+1)
	for _, oi := range touched {
		s := float64(sc.score[oi])
		sc.score[oi] = 0
		if s <= 0 || len(out) == k && !better(s, oi, out[k-1]) {
			continue
		}
		j := len(out)
		if j < k {
			out = append(out, descMatch{})
		} else {
			j = k - 1
		}
		for j > 0 && better(s, oi, out[j-1]) {
			out[j] = out[j-1]
			j--
		}
		out[j] = descMatch{concept: oi, sim: s}
	}
	sc.touched = touched
	// a single shared word is chance ("CURA DELLE PERSONA")
	n := 0
	for _, m := range out {
		shared := 0
		for _, t := range q {
			ps := x.post[t.term]
			if _, ok := slices.BinarySearchFunc(ps, m.concept, func(p descPosting, oi int32) int { return int(p.occ - oi) }); ok {
				shared++
			}
		}
		if shared >= descMinTerms {
			out[n] = descMatch{concept: x.occ[m.concept], sim: m.sim}
			n++
		}
	}
	return out[:n]
}
