package survey

import (
	"regexp"
	"strings"
	"unicode"
)

// Masks that replace personal data in free text.
const (
	maskEmail = "[email]"
	maskPhone = "[telefono]"
	maskName  = "[nome]"
	maskField = "[dato personale omesso]"
)

var (
	reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}`)
	// Phone numbers: an optional +39 / 0039, then at least 8 digits with
	// spaces, dots, dashes or slashes between groups.
	rePhone = regexp.MustCompile(`(?:\+|00)?\d(?:[\s./\-]?\(?\d\)?){7,14}`)
	// A title or a phrase that introduces a person, then one to three
	// capitalised words: "sig.ra Bianchi", "parlato con Mario Rossi".
	reTitled = regexp.MustCompile(`(\b(?:[Ss]ig\.ra|[Ss]ig\.a|[Ss]ig\.|[Ss]ignora|[Ss]ignor|[Ss]ig|[Dd]ott\.ssa|[Dd]ott\.|[Dd]ottoressa|[Dd]ottor|[Ii]ng\.|[Gg]eom\.|[Rr]ag\.|[Aa]vv\.|[Pp]er\.\s?[Ii]nd\.|[Rr]eferente:?|[Rr]ef\.|[Pp]arlato con|[Cc]hiedere di|[Cc]ercare|[Cc]ontattare|[Rr]esponsabile HR:?|[Tt]itolare:?|[Aa]ttn\.?)\s+)((?:[A-ZÀ-Ý][a-zà-ÿ']+|[A-ZÀ-Ý]\.)(?:\s+(?:[Dd][ei]\s+|[Dd]ella\s+)?[A-ZÀ-Ý][a-zà-ÿ']+){0,2})`)
)

// scrubber masks personal data in free text: e-mail addresses, phone
// numbers, names after a title, and the words of the row's own personal
// columns wherever they appear.
type scrubber struct {
	words []string // from the row's personal columns, at least 3 letters
}

// newScrubber collects the words to mask from the row's personal values.
func newScrubber(personal []string) scrubber {
	var s scrubber
	for _, v := range personal {
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && r != '\'' }) {
			if len([]rune(w)) >= 3 && !stopWord[strings.ToLower(w)] {
				s.words = append(s.words, w)
			}
		}
	}
	return s
}

// stopWord are words of personal columns that are not names ("Ufficio
// personale", "sig.ra") and must not be masked everywhere.
var stopWord = map[string]bool{
	"sig": true, "sig.ra": true, "dott": true, "ssa": true, "ing": true, "geom": true, "rag": true,
	"ufficio": true, "personale": true, "risorse": true, "umane": true, "titolare": true,
	"responsabile": true, "amministrazione": true, "produzione": true, "direzione": true,
	"the": true, "and": true, "del": true, "della": true, "per": true, "com": true, "info": true,
}

// clean masks personal data in s.
func (sc scrubber) clean(s string) string {
	if s == "" {
		return s
	}
	if strings.IndexByte(s, '@') >= 0 {
		s = reEmail.ReplaceAllString(s, maskEmail)
	}
	if countDigits(s) >= 8 {
		s = rePhone.ReplaceAllStringFunc(s, maskPhones)
	}
	if mayHaveTitle(s) {
		s = reTitled.ReplaceAllString(s, "${1}"+maskName)
	}
	for _, w := range sc.words {
		s = replaceWord(s, w, maskName)
	}
	for strings.Contains(s, maskName+" "+maskName) {
		s = strings.ReplaceAll(s, maskName+" "+maskName, maskName)
	}
	return s
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}

// titleWords are the lower-case starts of reTitled's introducers, a cheap
// test before the regular expression runs.
var titleWords = []string{"sig", "dott", "ing.", "geom.", "rag.", "avv.", "per.", "ref", "parlato", "chiedere", "cercare", "contattare", "responsabile", "titolare", "attn"}

func mayHaveTitle(s string) bool {
	l := strings.ToLower(s)
	for _, w := range titleWords {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func maskPhones(m string) string {
	if countDigits(m) < 8 {
		return m
	}
	return maskPhone
}

// cleanValue masks personal data in a value shown in a RowError: e-mails
// and names always, phone numbers only when the value has letters or is
// not shaped like a code, a date or a count (so a wrong partita IVA or
// date is shown as written).
func (sc scrubber) cleanValue(s string) string {
	if reStructured.MatchString(strings.TrimSpace(s)) {
		return s
	}
	return sc.clean(s)
}

// reStructured matches identifiers, codes, dates and counts: digits with
// at most the separators such values use, no spaces between groups.
var reStructured = regexp.MustCompile(`^(?:IT)?[+-]?[0-9]+(?:[./\-][0-9]+)*$`)

// replaceWord replaces whole-word, case-insensitive occurrences of w.
func replaceWord(s, w, with string) string {
	lw := strings.ToLower(w)
	ls := strings.ToLower(s)
	if !strings.Contains(ls, lw) || len(ls) != len(s) {
		if len(ls) != len(s) { // case mapping changed byte lengths: use a regexp
			re, err := regexp.Compile(`(?i)\b` + regexp.QuoteMeta(w) + `\b`)
			if err != nil {
				return s
			}
			return re.ReplaceAllString(s, with)
		}
		return s
	}
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(ls[i:], lw)
		if j < 0 {
			b.WriteString(s[i:])
			return b.String()
		}
		j += i
		end := j + len(lw)
		if isWordBoundary(s, j-1) && isWordBoundary(s, end) {
			b.WriteString(s[i:j])
			b.WriteString(with)
		} else {
			b.WriteString(s[i:end])
		}
		i = end
	}
}

func isWordBoundary(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return true
	}
	c := s[i]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80)
}
