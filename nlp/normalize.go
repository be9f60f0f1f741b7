package nlp

import (
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	itstem "github.com/blevesearch/snowballstem/italian"

	"github.com/blevesearch/snowballstem"
	"github.com/kljensen/snowball/english"
)

// token is one word of a text: its byte span in the original text and its
// folded form (lower case, accents removed, NFC-equivalent).
type token struct {
	start, end int
	norm       string
	brk        bool     // a boundary (. ; : ! ? , newline, bullet, bracket) precedes it
	lvl        uint8    // the strongest boundary before it: 0 none, 1 clause, 2 sentence, 3 line
	cap        bool     // written in upper case (at least one upper-case letter, no lower-case)
	initial    bool     // an upper-case first letter before lower-case ones ("Cuneo", "Excel")
	accent     bool     // ends in "à", or in "A'" as upper-case notices write it (futureIT)
	lw         *lexWord // what the extractor knows of the word, nil for words of no label
}

// lexWord is what the extractor precomputes for a word of its labels, cue
// and stop lists, so that a document's token costs one map lookup (the
// tokenizer's) instead of one per language for its stem, stop-word and cue
// status. Index 0 is Italian, 1 English.
type lexWord struct {
	norm   string
	stem   [2]string // the stem, when known[i]
	known  [2]bool
	stop   [2]bool
	cue    [2]bool
	boiler bool  // one of boilerTriggers
	exact  uint8 // the bits (matcher.bit) of the matchers with an exact label holding the word
}

// langIdx is the lexWord index of a language ("it" 0, "en" 1).
func langIdx(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// fold maps a rune to its lower-case, accent-free form; 0 drops it
// (combining marks, so decomposed "e\u0301" folds like "é").
func fold(r rune) rune {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			return r + 32
		}
		return r
	}
	if unicode.Is(unicode.Mn, r) {
		return 0
	}
	r = unicode.ToLower(r)
	switch r {
	case 'à', 'á', 'â', 'ä', 'ã', 'å', 'ā', 'ă', 'ą':
		return 'a'
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě':
		return 'e'
	case 'ì', 'í', 'î', 'ï', 'ī', 'į':
		return 'i'
	case 'ò', 'ó', 'ô', 'ö', 'õ', 'ø', 'ō', 'ő':
		return 'o'
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű':
		return 'u'
	case 'ç', 'ć', 'č':
		return 'c'
	case 'ñ', 'ń', 'ň':
		return 'n'
	case 'š', 'ś', 'ş':
		return 's'
	case 'ž', 'ź', 'ż':
		return 'z'
	case 'ý', 'ÿ':
		return 'y'
	case 'ł':
		return 'l'
	case 'ß':
		return 's'
	}
	return r
}

func isWordRune(r rune) bool {
	if r < 0x80 {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// breakLevel is the boundary a rune marks: 0 none, 1 clause, 2 sentence, 3 line.
func breakLevel(r rune) uint8 {
	switch r {
	case '\n', '\r', '•', '●', '▪', '\u2028', '\u2029':
		return 3
	case '.', ';', '!', '?':
		return 2
	case ':', ',', '(', ')', '[', ']', '{', '}', '|', '·', '–', '—', '"', '“', '”', '«', '»', '*', '\t':
		return 1
	}
	return 0
}

// genderSuffix lists the fragments after a slash that mark a gender or number
// variant of the word before it ("operaio/a", "operatore/trice", "addetti/e").
var genderSuffix = map[string]bool{
	"a": true, "o": true, "i": true, "e": true, "trice": true, "trici": true, "tore": true, "tori": true,
	"essa": true, "esse": true, "ice": true, "ici": true, "ia": true, "ie": true, "io": true, "ra": true,
	"re": true, "ri": true, "ta": true, "to": true, "ti": true, "te": true, "na": true, "no": true, "ne": true, "ni": true,
	"la": true, "lo": true, "li": true, "le": true, "ca": true, "ci": true, "che": true, "chi": true,
}

// tokenize splits text into word tokens with byte offsets. A hyphen or slash
// joins words without a break; a fragment after a slash that is a gender
// suffix ("operaio/a") is dropped; "c++" and "c#" keep their symbols.
func tokenize(text string, dst []token) []token { return tokenizeInterned(text, dst, nil) }

// interned returns the folded word in buf as a string, taken from intern
// when the word is there (the lookup allocates nothing), and what the
// extractor knows of it.
func interned(intern map[string]*lexWord, buf []byte) (string, *lexWord) {
	if lw := intern[string(buf)]; lw != nil {
		return lw.norm, lw
	}
	return string(buf), nil
}

// tokenizeInterned is tokenize that takes a token's folded form from intern
// when it is there, instead of allocating a new string for it.
func tokenizeInterned(text string, dst []token, intern map[string]*lexWord) []token {
	brk := true
	lvl := uint8(3)
	i := 0
	var buf []byte
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if l := breakLevel(r); l > 0 {
				// a dot between two word runes (3.5, node.js, S.p.A.) is not a boundary
				if r == '.' && i > 0 && i+1 < len(text) && isWordByte(text[i-1]) && isWordByte(text[i+1]) {
					i += size
					continue
				}
				brk = true
				if l > lvl {
					lvl = l
				}
			}
			i += size
			continue
		}
		start := i
		buf = buf[:0]
		// dotted abbreviations ("O.S.S.", "S.p.A.") become one token
		if n := dottedAbbrev(text[i:]); n > 0 {
			for k := 0; k < n; k++ {
				if c := text[i+k]; c != '.' {
					buf = append(buf, byte(fold(rune(c))))
				}
			}
			norm, lw := interned(intern, buf)
			dst = append(dst, token{start: start, end: i + n, norm: norm, brk: brk, lvl: lvl, cap: true, lw: lw})
			brk, lvl = false, 0
			i += n
			continue
		}
		upper, lower, first := false, false, false
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			if !isWordRune(r) {
				break
			}
			if unicode.IsUpper(r) {
				first = first || i == start
				upper = true
			} else if unicode.IsLower(r) {
				lower = true
			}
			if f := fold(r); f != 0 {
				buf = utf8.AppendRune(buf, f)
			}
			i += size
		}
		// c++, c#, f#
		if i < len(text) && (text[i] == '#' || strings.HasPrefix(text[i:], "++")) && i-start <= 2 {
			if text[i] == '#' {
				buf = append(buf, '#')
				i++
			} else {
				buf = append(buf, '+', '+')
				i += 2
			}
		}
		if len(buf) == 0 {
			continue
		}
		// gender suffix after a slash: "operaio/a", "operatore/trice"
		if start > 0 && text[start-1] == '/' && len(dst) > 0 && !brk && genderSuffix[string(buf)] && dst[len(dst)-1].end == start-1 {
			continue
		}
		norm, lw := interned(intern, buf)
		accent := strings.HasSuffix(text[start:i], "à") || strings.HasSuffix(text[start:i], "À") ||
			upper && !lower && text[i-1] == 'A' && i < len(text) && (text[i] == '\'' || strings.HasPrefix(text[i:], "’"))
		dst = append(dst, token{start: start, end: i, norm: norm, brk: brk, lvl: lvl, cap: upper && !lower, initial: first && lower, accent: accent, lw: lw})
		brk, lvl = false, 0
	}
	return dst
}

// futureIT gives the stem of an Italian verb in the future's third person
// singular ("preparerà", "GESTIRA'"), whose folded form ("preparera") the
// Snowball stemmer no longer reads as a verb: "preparerà i primi piatti" is
// the task "preparare i primi piatti". Nouns in -ità keep their folded stem.
func futureIT(st *stemmer, t token) (string, bool) {
	n := t.norm
	if !t.accent || !(strings.HasSuffix(n, "era") || strings.HasSuffix(n, "ira") || strings.HasSuffix(n, "ara")) {
		return "", false
	}
	return st.stem(n[:len(n)-1] + "à"), true
}

// dottedAbbrev returns the byte length of a dotted abbreviation of single
// ASCII letters at the start of s ("O.S.S.", "S.p.A", "d.lgs" is not one), or 0.
func dottedAbbrev(s string) int {
	n, letters := 0, 0
	for n+1 < len(s) && isASCIILetter(s[n]) && s[n+1] == '.' && (n+2 >= len(s) || !isWordByte(s[n+2]) || (n+3 < len(s) && s[n+3] == '.') || (n+3 == len(s))) {
		n += 2
		letters++
	}
	// a final letter without its dot: "S.p.A"
	if letters >= 2 && n < len(s) && isASCIILetter(s[n]) && (n+1 == len(s) || !isWordByte(s[n+1])) {
		n++
		letters++
	}
	if letters < 2 {
		return 0
	}
	return n
}

func isASCIILetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

func isWordByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// Normalize returns the folded form of s as the matcher sees it: tokens in
// lower case without accents, elisions split ("dell'auto" -> "dell auto"),
// gender variants dropped ("operaio/a" -> "operaio"), joined by single spaces.
func Normalize(s string) string {
	if folded(s) {
		return s // most ESCO labels: tokenizing them would give them back
	}
	return normalizeTokens(s)
}

// folded reports whether s is already its own Normalize: lower-case ASCII
// letters and digits in words joined by single spaces, which tokenize
// gives back word for word (no fold, abbreviation, elision or gender
// suffix applies).
func folded(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == ' ' && i > 0 && i+1 < len(s) && s[i+1] != ' ':
		default:
			return false
		}
	}
	return true
}

// normalizeTokens is Normalize by tokenizing s.
func normalizeTokens(s string) string {
	toks := tokenize(s, nil)
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.norm)
	}
	return b.String()
}

// Stop words are left out of matching on both sides, so that "lettura del
// disegno" matches "LETTURA DISEGNO" and elided articles ("dell'", "l'") vanish.
var stopIT = setOf(`a ad al allo ai agli all alla alle col coi con d da dal dallo dai dagli dall dalla dalle de dei del degli dell della delle dello di e ed gli i il in l la le lo nei negli nel nell nella nelle nello o od per su sul sull sulla sulle sullo sui sugli tra fra un una uno un' c s`)

var stopEN = setOf(`a an and as at by for from in into of on or the to with s`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// Language-detection cue words (folded): frequent function words.
var cueIT = setOf(`il lo la gli le di del della delle dei degli per con che non una uno sono nel nella alla alle dal dalla anche come sul sulla ed essere siamo cerchiamo ricerca offre richiesta esperienza lavoro azienda nostro nostra sede turni contratto mansioni addetto operaio si e`)
var cueEN = setOf(`the and of to for with we you our are is will be in on as this that your an have has experience work team skills ability who what about strong knowledge role job`)

// detectLanguage guesses "it", "en" or "other" from function words.
func detectLanguage(toks []token) string {
	it, en := 0, 0
	for _, t := range toks {
		if t.lw != nil {
			if t.lw.cue[0] {
				it++
			}
			if t.lw.cue[1] {
				en++
			}
			continue
		}
		if cueIT[t.norm] {
			it++
		}
		if cueEN[t.norm] {
			en++
		}
	}
	if it+en < 3 {
		// Few function words (a terse title or task list): Italian content
		// words end in a vowel, English ones mostly do not.
		words, vowel := 0, 0
		for _, t := range toks {
			if len(t.norm) < 4 {
				continue
			}
			words++
			switch t.norm[len(t.norm)-1] {
			case 'a', 'e', 'i', 'o':
				vowel++
			}
		}
		if words >= 2 && vowel*10 >= words*7 {
			it += 2
		}
	}
	switch {
	case it == 0 && en == 0:
		return "other"
	case it+en == 1:
		// one function word ("in", "a") in a terse notice says nothing:
		// "PULIZIE IN RSA", "TECNICO IN COMPUTER GRAFICA"
		return "other"
	case it >= en:
		return "it"
	default:
		return "en"
	}
}

// stemmer stems folded words of one language, caching results (bounded) so
// that the Snowball algorithm runs once per distinct word.
type stemmer struct {
	lang   string
	frozen map[string]string // words stemmed while building: read-only afterwards, no locking
	cache  sync.Map          // string -> string, words met later
	n      atomic.Int64
}

// freeze moves the words stemmed so far into the lock-free map; call it once
// the labels are built and before concurrent use.
func (s *stemmer) freeze() {
	s.frozen = make(map[string]string, s.n.Load())
	s.cache.Range(func(k, v any) bool {
		s.frozen[k.(string)] = v.(string)
		return true
	})
	s.cache.Clear()
	s.n.Store(0)
}

const stemCacheMax = 1 << 20

func (s *stemmer) stem(w string) string {
	if v, ok := s.frozen[w]; ok {
		return v
	}
	return s.stemUnfrozen(w)
}

// stemUnfrozen is stem for a word known not to be in frozen.
func (s *stemmer) stemUnfrozen(w string) string {
	if v, ok := s.cache.Load(w); ok {
		return v.(string)
	}
	st := stemWord(s.lang, w)
	if s.n.Load() < stemCacheMax {
		if _, loaded := s.cache.LoadOrStore(w, st); !loaded {
			s.n.Add(1)
		}
	}
	return st
}

// stemWord applies the Snowball stemmer of lang to a folded word. Words with
// digits or symbols and words of three letters or fewer are kept as they are.
// For Italian, agent nouns in -trice/-trici are mapped to -tore/-tori first so
// that "operatrice" and "operatore" share a stem.
func stemWord(lang, w string) string {
	if len(w) <= 3 {
		return w
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; c < 0x80 && (c < 'a' || c > 'z') {
			return w
		}
	}
	switch lang {
	case "it":
		if strings.HasSuffix(w, "trice") {
			w = w[:len(w)-5] + "tore"
		} else if strings.HasSuffix(w, "trici") {
			w = w[:len(w)-5] + "tori"
		}
		env := snowballstem.NewEnv(w)
		itstem.Stem(env)
		return env.Current()
	case "en":
		st := english.Stem(w, false)
		if agentNounEN(w, st) {
			return st + "~"
		}
		return st
	}
	return w
}

// agentNounEN reports whether an English word is an agent noun whose
// Snowball stem lost the agent suffix ("manager" -> "manag", as in
// "management"; "operator", "operatives" -> "oper", as in "operation";
// "engineer", "designer", "customer"). Such words get a stem of their own so
// that a person is never matched as the activity: "report to the project
// manager" is not *project management*, "warehouse operatives" not
// *warehouse operations*. Words that keep the suffix in the stem ("worker",
// "order", "driver") are left alone.
func agentNounEN(w, st string) bool {
	base := strings.TrimSuffix(w, "s")
	switch {
	case strings.HasSuffix(base, "er") || strings.HasSuffix(base, "or"):
		return !strings.HasSuffix(st, "er") && !strings.HasSuffix(st, "or")
	case strings.HasSuffix(base, "ive"):
		return !strings.HasSuffix(st, "iv")
	}
	return false
}
