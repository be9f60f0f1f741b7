package nlp

// matcher finds the longest label matches over the stems of a token stream.
// The trie is one hash map from (node, stem id) to child node, which keeps
// ~100k labels in a few megabytes and a step in one map lookup; the root's
// children, where every walk starts and most stop, are a slice (freeze).
type matcher struct {
	lang  string
	stops map[string]bool
	st    *stemmer
	ids   map[string]int32 // stem -> id
	edges map[uint64]int32 // node<<32 | stem id -> child node
	term  map[int32][]target
	next  int32 // next free node id (0 is the root)
	// root and isTerm are set by freeze once every label is in: the root's
	// children by stem id (0 for none) and a bit per terminal node, so that
	// the first step of a walk and the test for a label's end read a slice,
	// not the maps
	root   []int32
	isTerm []uint64
	depth  map[int32]int
	// exact holds single-word labels matched on the folded word itself, not
	// its stem (English: "Python" must not match "python-like"; "engineering"
	// must not match "engineer").
	exact map[string][]target
	// withStop marks the content words of exact labels that also hold a
	// stop word ("check-in", "e-commerce"): such a label is looked up as
	// the word and its neighbouring stop word, which the stream skips.
	withStop map[string]bool
	// bit marks the words of exact labels (lexWord.exact) once the
	// extractor is built; 0 until then, when exactAt reads the map for
	// every word
	bit uint8
	// words, when not nil, holds every folded word of the labels added and
	// its plural in -s: a cheap test of whether a text can hold a label at
	// all before stemming it (English titles of Italian postings).
	words map[string]bool
}

// target is a concept a label leads to.
type target struct {
	concept int32   // index into the extractor's concept table
	joint   int32   // lexicon line naming several concepts at once (LexiconEntry.Joint), else 0
	quality float64 // how trustworthy the label is (lexiconQuality, prefQuality, ...)
	// coord: a label of the concept leading here holds a coordinator
	// ("food and beverages"), so a match over "and" or "or" reads it
	coord bool
}

func newMatcher(lang string, st *stemmer) *matcher {
	stops := stopIT
	if lang == "en" {
		stops = stopEN
	}
	return &matcher{lang: lang, stops: stops, st: st, ids: map[string]int32{}, edges: map[uint64]int32{}, term: map[int32][]target{}, next: 1, depth: map[int32]int{}, exact: map[string][]target{}}
}

// labelStems turns a label into the stem sequence the matcher walks,
// without stop words; nil if nothing is left.
func (m *matcher) labelStems(label string, buf []token) []string {
	toks := tokenize(label, buf[:0])
	var out []string
	for _, t := range toks {
		if m.stops[t.norm] {
			continue
		}
		if m.words != nil {
			m.words[t.norm] = true
			m.words[t.norm+"s"] = true
		}
		out = append(out, m.st.stem(t.norm))
	}
	return out
}

// add inserts a label for concept c; it returns the number of content tokens.
func (m *matcher) add(stems []string, tg target) {
	if len(stems) == 0 {
		return
	}
	node := int32(0)
	for _, s := range stems {
		id, ok := m.ids[s]
		if !ok {
			id = int32(len(m.ids))
			m.ids[s] = id
		}
		k := uint64(node)<<32 | uint64(uint32(id))
		child, ok := m.edges[k]
		if !ok {
			child = m.next
			m.next++
			m.edges[k] = child
		}
		node = child
	}
	m.depth[node] = len(stems)
	ts := m.term[node]
	for i := range ts {
		if ts[i].concept == tg.concept {
			if tg.quality > ts[i].quality {
				ts[i].quality = tg.quality
			}
			if tg.joint != 0 {
				ts[i].joint = tg.joint
			}
			ts[i].coord = ts[i].coord || tg.coord
			return
		}
	}
	m.term[node] = append(ts, tg)
}

// freeze builds root and isTerm; labels added after it are not matched
// until freeze runs again.
func (m *matcher) freeze() {
	m.root = make([]int32, len(m.ids))
	for k, child := range m.edges {
		if k>>32 == 0 {
			m.root[uint32(k)] = child
		}
	}
	m.isTerm = make([]uint64, (m.next+63)/64)
	for node := range m.term {
		m.isTerm[node/64] |= 1 << (node % 64)
	}
}

// child is the trie node below node by stem id; false when there is none.
func (m *matcher) child(node, id int32) (int32, bool) {
	if node == 0 && m.root != nil {
		c := m.root[id]
		return c, c != 0
	}
	c, ok := m.edges[uint64(node)<<32|uint64(uint32(id))]
	return c, ok
}

// terminal reports whether a label ends at node.
func (m *matcher) terminal(node int32) bool {
	if m.isTerm != nil {
		return m.isTerm[node/64]&(1<<(node%64)) != 0
	}
	_, ok := m.term[node]
	return ok
}

// addExact inserts a single-word label matched on its folded form.
func (m *matcher) addExact(word string, tg target) {
	ts := m.exact[word]
	for i := range ts {
		if ts[i].concept == tg.concept {
			ts[i].quality = max(ts[i].quality, tg.quality)
			if tg.joint != 0 {
				ts[i].joint = tg.joint
			}
			return
		}
	}
	m.exact[word] = append(ts, tg)
}

// stream is a document's tokens as one matcher sees them: content tokens
// only, each with its stem id (-1 when the stem is in no label).
type stream struct {
	idx []int   // index into the document tokens
	ids []int32 // stem id
	brk []bool  // a boundary precedes this content token
}

// stream maps the document tokens to stem ids; stems holds each token's
// stem in the matcher's language ("" for stop words).
func (m *matcher) stream(toks []token, stems []string) stream {
	return m.streamInto(stream{}, toks, stems)
}

// streamInto is stream reusing the slices of s.
func (m *matcher) streamInto(s stream, toks []token, stems []string) stream {
	if cap(s.idx) < len(toks) {
		s = stream{idx: make([]int, 0, len(toks)), ids: make([]int32, 0, len(toks)), brk: make([]bool, 0, len(toks))}
	}
	s.idx, s.ids, s.brk = s.idx[:0], s.ids[:0], s.brk[:0]
	pending := false
	for i, t := range toks {
		if t.brk {
			pending = true
		}
		if stems[i] == "" {
			continue
		}
		id, ok := m.ids[stems[i]]
		if !ok {
			id = -1
		}
		s.idx = append(s.idx, i)
		s.ids = append(s.ids, id)
		s.brk = append(s.brk, pending)
		pending = false
	}
	return s
}

// hit is a label match: content tokens [from, to) of a stream.
type hit struct {
	from, to int
	targets  []target
	gap      int // 1 + the content token read over (gapAfter); 0 for none
}

// match returns the leftmost-longest non-overlapping label matches that do
// not cross a boundary. covered, if not nil, marks document tokens already
// matched by another matcher; hits never include them.
func (m *matcher) match(s stream, toks []token, covered []bool) []hit {
	var out []hit
	n := len(s.ids)
	for i := 0; i < n; {
		if covered != nil && covered[s.idx[i]] {
			i++
			continue
		}
		if m.lang == "it" {
			if e, en := m.ellipsisAt(s, toks, covered, i); e > 0 {
				out = append(out, hit{from: i, to: e, targets: curated(m.term[en])})
			}
		}
		if s.ids[i] < 0 {
			if ts, ok := m.exactAt(toks, s.idx[i]); ok {
				out = append(out, hit{from: i, to: i + 1, targets: curated(ts)})
			}
			i++
			continue
		}
		best, bestNode, j, node := m.walk(s, covered, 0, i, false)
		if m.lang == "it" && j > i {
			if e, en := m.gapAfter(s, toks, covered, node, j); e > 0 {
				out = append(out, hit{from: i, to: e, targets: curated(m.term[en]), gap: j + 1})
			}
		}
		if best < 0 || best == i+1 {
			if ts, ok := m.exactAt(toks, s.idx[i]); ok {
				out = append(out, hit{from: i, to: i + 1, targets: curated(ts)})
				i++
				continue
			}
		}
		if best < 0 {
			i++
			continue
		}
		out = append(out, hit{from: i, to: best, targets: curated(m.term[bestNode])})
		if m.lang == "it" {
			out = m.sharedHeadAt(out, s, toks, covered, i, best)
		}
		// a label starting inside this one and reaching past its end
		// ("manutenzione di [impianti idrico-sanitari]"): both are named
		next := best
		for k := i + 1; k < best; k++ {
			if e, en := m.longestAt(s, covered, k); e > best {
				out = append(out, hit{from: k, to: e, targets: curated(m.term[en])})
				next = e
				break
			}
		}
		i = next
	}
	return out
}

// exactAt looks up the exact labels of document token k: the word alone, or
// with the stop word next to it for a label that holds one ("check-in").
func (m *matcher) exactAt(toks []token, k int) ([]target, bool) {
	if m.bit != 0 && (toks[k].lw == nil || toks[k].lw.exact&m.bit == 0) {
		return nil, false // the word of no exact label
	}
	w := toks[k].norm
	if m.withStop[w] {
		if k+1 < len(toks) && !toks[k+1].brk && m.stops[toks[k+1].norm] {
			if ts, ok := m.exact[w+" "+toks[k+1].norm]; ok {
				return ts, true
			}
		}
		if k > 0 && !toks[k].brk && m.stops[toks[k-1].norm] {
			if ts, ok := m.exact[toks[k-1].norm+" "+w]; ok {
				return ts, true
			}
		}
	}
	ts, ok := m.exact[w]
	return ts, ok
}

// ellipsisAt matches an Italian label across a coordinated noun of action:
// in "installazione e manutenzione di caldaie" the object belongs to both
// nouns, so the label "installazione caldaie" is read over "e manutenzione".
// It returns the end of the longest such match starting at content token i
// (its first word, a noun of action, then what follows the second) and its
// trie node; -1 when there is none.
func (m *matcher) ellipsisAt(s stream, toks []token, covered []bool, i int) (int, int32) {
	n := len(s.ids)
	if i+2 >= n || s.ids[i] < 0 || s.brk[i+1] || s.brk[i+2] {
		return -1, 0
	}
	a, b := s.idx[i], s.idx[i+1]
	if b != a+2 || !coordinatorsIT[toks[a+1].norm] || !actionNounIT(toks[a].norm) || !actionNounIT(toks[b].norm) {
		return -1, 0
	}
	return m.walkFromHead(s, covered, i, i+2)
}

// sharedHeadAt matches Italian labels across coordinated objects: in
// "installazione di prese e interruttori" the noun of action heads both
// objects, so after the label "installazione prese" (content tokens [i,
// end)) the label "installazione interruttori" is read over "prese e"; a
// list goes on over commas ("installazione di prese, interruttori e punti
// luce"; any clause break, a colon, bracket or dash too, since tokens keep
// only its level), each item read with the head, until an item is not a
// label with it. It appends those matches to out.
//
// A head that is not a noun of action shares itself with coordinated
// adjectives only: after "circuiti oleodinamici" (a label), "circuiti
// oleodinamici e pneumatici" also reads "circuiti pneumatici". Both words
// must look like adjectives (adjectiveIT) and each item must complete a
// label of exactly the head and that word. Coordinated nouns after such a
// head ("uso di calibro e micrometro", "pulizia stalla e cuccette") are
// left to their own labels: read with the head, they were wrong more
// often than right on the read gold batches. The head may also end a
// longer label ("lettura degli [schemi elettrici] e pneumatici").
func (m *matcher) sharedHeadAt(out []hit, s stream, toks []token, covered []bool, i, end int) []hit {
	action := actionNounIT(toks[s.idx[i]].norm)
	if end > i+2 && adjectiveIT(toks[s.idx[end-1]].norm) {
		i, action = end-2, false
	}
	if end != i+2 {
		return out
	}
	for end < len(s.ids) && s.ids[end] >= 0 {
		a, b := s.idx[end-1], s.idx[end]
		switch {
		case b == a+2 && !s.brk[end] && coordinatorsIT[toks[a+1].norm]:
		case b == a+1 && s.brk[end] && toks[b].lvl == 1:
		default:
			return out
		}
		if !action && (!adjectiveIT(toks[a].norm) || !adjectiveIT(toks[b].norm)) {
			return out
		}
		e, en := m.walkFromHead(s, covered, i, end)
		if e < 0 || !action && e != end+1 {
			return out
		}
		out = append(out, hit{from: i, to: e, targets: curated(m.term[en])})
		end = e
	}
	return out
}

// walkFromHead reads a label whose first word is content token i and whose
// other words start at content token from (the words between are skipped):
// the end of the longest such match and its trie node, -1 when there is
// none.
func (m *matcher) walkFromHead(s stream, covered []bool, i, from int) (int, int32) {
	node, ok := m.child(0, s.ids[i])
	if !ok {
		return -1, 0
	}
	best, bestNode, _, _ := m.walk(s, covered, node, from, false)
	return best, bestNode
}

// adjectiveIT reports whether w ends like an Italian relational adjective
// ("pneumatici", "microbiologiche", "tangenziale", "produttivi").
func adjectiveIT(w string) bool {
	return hasLongSuffix(w, "ico", "ici", "ica", "iche", "ale", "ali", "ivo", "ivi", "iva", "ive", "ario", "ari", "aria", "arie")
}

// coordinatorsIT join two nouns of action that share their object, or two
// objects that share their noun of action.
var coordinatorsIT = setOf(`e ed o od`)

// longestAt returns the end of the longest multi-word label match starting
// at content token i and its trie node; -1 when there is none.
func (m *matcher) longestAt(s stream, covered []bool, i int) (int, int32) {
	best, bestNode, _, _ := m.walk(s, covered, 0, i, false)
	if best <= i+1 {
		return -1, 0
	}
	return best, bestNode
}

// walk follows the trie from node over content tokens from, from+1, ...
// while they go on with a label (in one clause, none covered). It returns
// the end of the longest label reached and its node (-1 when none; with
// lexOnly, only labels all of whose targets are the lexicon's), and the
// token and node where the walk stopped.
func (m *matcher) walk(s stream, covered []bool, node int32, from int, lexOnly bool) (best int, bestNode int32, stop int, at int32) {
	best = -1
	j := from
	for ; j < len(s.ids); j++ {
		if j > from && s.brk[j] || s.ids[j] < 0 || (covered != nil && covered[s.idx[j]]) {
			break
		}
		child, ok := m.child(node, s.ids[j])
		if !ok {
			break
		}
		node = child
		if m.terminal(node) && (!lexOnly || lexiconOnly(m.term[node])) {
			best, bestNode = j+1, node
		}
	}
	return best, bestNode, j, node
}

// Label qualities: how far a label alone is trusted to name its concept.
const (
	lexiconQuality  = 0.95 // lexicon entries
	prefQuality     = 0.9  // ESCO preferred labels
	altQuality      = 0.8  // ESCO alternative labels
	verblessQuality = 0.7  // English labels without their leading verb
	hiddenQuality   = 0.6  // ESCO hidden labels
)

// curated keeps only the lexicon's targets when a label has any: the
// lexicon records the sense a posting means ("magazziniere" is the warehouse
// worker, not the clothing-store stock clerk that shares the ESCO label).
func curated(ts []target) []target {
	n := 0
	for _, t := range ts {
		if t.quality >= lexiconQuality {
			n++
		}
	}
	if n == 0 || n == len(ts) {
		return ts
	}
	out := make([]target, 0, n)
	for _, t := range ts {
		if t.quality >= lexiconQuality {
			out = append(out, t)
		}
	}
	return out
}

// stems returns the stem of every token in the matcher's language, "" for
// stop words; computed once per document and language.
func (m *matcher) stems(toks []token) []string { return m.stemsInterned(toks, false) }

// stemsInterned is stems; interned says toks came from tokenizeInterned
// with the extractor's table, where a word without a lexWord is neither a
// stop word nor one stemmed while building, so its stem is read straight
// from the stemmer's cache.
func (m *matcher) stemsInterned(toks []token, interned bool) []string {
	out := make([]string, len(toks))
	li := langIdx(m.lang)
	for i, t := range toks {
		if m.lang == "it" {
			if st, ok := futureIT(m.st, t); ok {
				out[i] = st
				continue
			}
		}
		if lw := t.lw; lw != nil {
			switch {
			case lw.stop[li]:
			case lw.known[li]:
				out[i] = lw.stem[li]
			default:
				out[i] = m.st.stem(t.norm)
			}
			continue
		}
		if interned {
			out[i] = m.st.stemUnfrozen(t.norm)
		} else if !m.stops[t.norm] {
			out[i] = m.st.stem(t.norm)
		}
	}
	return out
}

// gapAfter goes on with a label walk that stopped at content token j, at
// trie node node, by skipping token j: a lexicon label of two or more words
// is read over one word inside it ("gestione quotidiana della cassa" for
// "gestione cassa"), not over a coordination ("check-in e check-out",
// "trattori e macchine": ellipsisAt reads those) nor over a word written
// with a capital and lower-case letters that no label holds, which in
// running text is a name ("vendita di Cuneo un capo" is not "vendita dei
// capi"; the job centres' "Servizo di Assistenza clienti" still reads as
// "servizio clienti"). It returns the end and
// node of the longest such match, -1 when there is none.
func (m *matcher) gapAfter(s stream, toks []token, covered []bool, node int32, j int) (int, int32) {
	n := len(s.ids)
	if j+1 >= n || s.brk[j] || s.brk[j+1] || s.ids[j+1] < 0 {
		return -1, 0
	}
	if _, ok := m.child(node, s.ids[j+1]); !ok {
		return -1, 0 // the common case: nothing to read after the skip
	}
	for k := s.idx[j-1] + 1; k < s.idx[j+1]; k++ {
		if coordinatorsIT[toks[k].norm] || toks[k].initial && toks[k].lw == nil {
			return -1, 0
		}
	}
	best, bestNode, _, _ := m.walk(s, covered, node, j+1, true)
	return best, bestNode
}

// lexiconOnly reports whether every target comes from the lexicon.
func lexiconOnly(ts []target) bool {
	for _, t := range ts {
		if t.quality < lexiconQuality {
			return false
		}
	}
	return true
}
