package survey

import (
	"strings"
	"unicode"
)

// ValidPartitaIVA reports whether s is an Italian partita IVA: 11 digits
// (spaces and a leading "IT" allowed) whose last digit is the Luhn-style
// check digit of the first ten, and not all zeros.
func ValidPartitaIVA(s string) bool {
	p, ok := normPartitaIVA(s)
	return ok && p != ""
}

// normPartitaIVA returns the 11 digits of a valid partita IVA.
func normPartitaIVA(s string) (string, bool) {
	s = compactID(s)
	s = strings.TrimPrefix(s, "IT")
	if len(s) != 11 || s == "00000000000" {
		return "", false
	}
	sum := 0
	for i := 0; i < 11; i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return "", false
		}
		d := int(c - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if sum%10 != 0 {
		return "", false
	}
	return s, true
}

// ValidCodiceFiscale reports whether s is a codice fiscale: either the
// 11-digit one of a legal entity (same rule as the partita IVA) or the
// 16-character one of a person, omocodia letters included, with its check
// letter right.
func ValidCodiceFiscale(s string) bool {
	_, ok := normCodiceFiscale(s)
	return ok
}

func normCodiceFiscale(s string) (string, bool) {
	c := compactID(s)
	if len(c) == 11 {
		return normPartitaIVA(c)
	}
	if len(c) != 16 {
		return "", false
	}
	// Shape: 6 letters (surname, name), 2 digits (year), month letter,
	// 2 digits (day), letter + 3 digits (place), check letter. Digits may
	// be replaced by the omocodia letters LMNPQRSTUV.
	const omocodia = "LMNPQRSTUV"
	for i := 0; i < 16; i++ {
		r := c[i]
		isLetter := r >= 'A' && r <= 'Z'
		isDigit := r >= '0' && r <= '9'
		switch i {
		case 0, 1, 2, 3, 4, 5, 8, 11, 15:
			if !isLetter {
				return "", false
			}
		default:
			if !isDigit && !strings.ContainsRune(omocodia, rune(r)) {
				return "", false
			}
		}
	}
	if !strings.ContainsRune("ABCDEHLMPRST", rune(c[8])) {
		return "", false
	}
	sum := 0
	for i := 0; i < 15; i++ {
		r := c[i]
		var v int
		if r >= '0' && r <= '9' {
			v = int(r - '0')
		} else {
			v = int(r - 'A')
		}
		if i%2 == 0 { // odd position, 1-based
			sum += cfOdd[v]
		} else {
			sum += v
		}
	}
	if c[15] != byte('A'+sum%26) {
		return "", false
	}
	return c, true
}

// cfOdd is the value of a character in an odd (1-based) position of a
// codice fiscale, indexed by digit value or letter - 'A'.
var cfOdd = [26]int{1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23}

// compactID upper-cases s and drops spaces, dots, dashes and slashes.
func compactID(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '.' || r == '-' || r == '/' || r == '\u00a0' || r == '\t':
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// legalForms maps the spellings of Italian legal forms, after the name is
// upper-cased and its dots and spaces squeezed, to one spelling.
var legalForms = []struct{ from, to string }{
	{"S.R.L.S.", "SRLS"}, {"S.R.L.", "SRL"}, {"S.P.A.", "SPA"}, {"S.N.C.", "SNC"},
	{"S.A.S.", "SAS"}, {"S.A.P.A.", "SAPA"}, {"S.C.A.R.L.", "SCARL"}, {"S.C.R.L.", "SCRL"},
	{"S.C.", "SC"}, {"S.S.", "SS"}, {"SOC.COOP.", "SOC COOP"}, {"SOC. COOP.", "SOC COOP"},
	{"SOCIETA' COOPERATIVA", "SOC COOP"}, {"SOCIETÀ COOPERATIVA", "SOC COOP"},
	{"SOCIETA' AGRICOLA", "SOC AGR"}, {"SOCIETÀ AGRICOLA", "SOC AGR"}, {"SOC. AGR.", "SOC AGR"},
	{"SOCIETA' A RESPONSABILITA' LIMITATA", "SRL"}, {"SOCIETÀ A RESPONSABILITÀ LIMITATA", "SRL"},
	{"SOCIETA' PER AZIONI", "SPA"}, {"SOCIETÀ PER AZIONI", "SPA"},
}

// NormalizeFirmName upper-cases a firm name, writes its legal form one way
// ("S.r.l." and "s.r.l" become "SRL") and collapses spaces and stray
// punctuation: "Rossi Meccanica S.r.l." -> "ROSSI MECCANICA SRL".
func NormalizeFirmName(s string) string {
	u := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	// Legal forms written with dots, possibly with spaces between letters
	// ("S. R. L."), or without the last dot ("S.R.L").
	sq := squeezeDottedForms(u)
	for _, lf := range legalForms {
		sq = strings.ReplaceAll(sq, lf.from, " "+lf.to+" ")
	}
	var b strings.Builder
	for _, r := range sq {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '&' || r == '\'' || r == '+':
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// squeezeDottedForms removes spaces inside runs like "S. R. L." and adds the
// missing final dot to "S.R.L", so that legalForms matches them.
func squeezeDottedForms(u string) string {
	rs := []rune(u)
	var out []rune
	for i := 0; i < len(rs); i++ {
		out = append(out, rs[i])
		// "X. Y" where X and Y are single letters: drop the space.
		if rs[i] == '.' && i+2 < len(rs) && rs[i+1] == ' ' && unicode.IsLetter(rs[i+2]) &&
			(i+3 == len(rs) || rs[i+3] == '.') && i >= 1 && unicode.IsLetter(rs[i-1]) && (i < 2 || !unicode.IsLetter(rs[i-2])) {
			i++ // skip the space
		}
	}
	s := string(out)
	// Trailing dotted forms missing their last dot: "S.R.L" -> "S.R.L.".
	fields := strings.Fields(s)
	for i, f := range fields {
		if strings.Count(f, ".") >= 1 && !strings.HasSuffix(f, ".") && isDottedInitials(f+".") {
			fields[i] = f + "."
		}
	}
	return strings.Join(fields, " ")
}

func isDottedInitials(f string) bool {
	if len(f) < 4 {
		return false
	}
	for i, r := range f {
		if i%2 == 0 && !unicode.IsLetter(r) || i%2 == 1 && r != '.' {
			return false
		}
	}
	return true
}
