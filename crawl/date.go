package crawl

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

var months = map[string]time.Month{}

func init() {
	for i, names := range [][]string{
		{"gennaio", "gen", "january", "jan"}, {"febbraio", "feb", "february"}, {"marzo", "mar", "march"},
		{"aprile", "apr", "april"}, {"maggio", "mag", "may"}, {"giugno", "giu", "june", "jun"},
		{"luglio", "lug", "july", "jul"}, {"agosto", "ago", "august", "aug"}, {"settembre", "set", "sett", "september", "sep", "sept"},
		{"ottobre", "ott", "october", "oct"}, {"novembre", "nov", "november"}, {"dicembre", "dic", "december", "dec"},
	} {
		for _, n := range names {
			months[n] = time.Month(i + 1)
		}
	}
}

var (
	reISO      = regexp.MustCompile(`(?i)(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?`)
	reNumeric  = regexp.MustCompile(`\b(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})\b`)
	reDayMonth = regexp.MustCompile(`\b(\d{1,2})(?:°|º|st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})\b`)
	reMonthDay = regexp.MustCompile(`\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
)

// ParseDate reads a date in the forms Italian and English job pages use:
// "2026-08-21" (with an optional time and zone), "21/08/2026", "21.08.26",
// "21 agosto 2026", "lunedì 21 ago. 2026", "1° settembre 2026",
// "21 August 2026", "August 21, 2026". The date may be embedded in other
// text ("Pubblicato il 21 agosto 2026"). Dates without a zone are taken at
// midnight UTC; dates with one are converted to UTC. Numeric dates are read
// day first, as in Italy. An unreadable or impossible date is an EInvalid
// error quoting the input.
func ParseDate(s string) (time.Time, error) {
	orig := s
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return time.Time{}, fabbisogni.Errorf(fabbisogni.EInvalid, "date: empty")
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		y, mo, d := atoi(m[1]), atoi(m[2]), atoi(m[3])
		if m[4] == "" {
			return mkDate(orig, y, mo, d)
		}
		t, err := mkDate(orig, y, mo, d)
		if err != nil {
			return t, err
		}
		h, mi, sec := atoi(m[4]), atoi(m[5]), atoi(m[6])
		if h > 23 || mi > 59 || sec > 60 {
			return time.Time{}, fabbisogni.Errorf(fabbisogni.EInvalid, "date %q: bad time of day", orig)
		}
		loc := time.UTC
		if z := strings.ReplaceAll(m[7], ":", ""); z != "" && z != "z" {
			off := (atoi(z[1:3])*60 + atoi(z[3:5])) * 60
			if z[0] == '-' {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
		return time.Date(y, time.Month(mo), d, h, mi, sec, 0, loc).UTC(), nil
	}
	if m := reNumeric.FindStringSubmatch(s); m != nil {
		y := atoi(m[3])
		if len(m[3]) == 2 {
			y += 2000
		}
		return mkDate(orig, y, atoi(m[2]), atoi(m[1]))
	}
	s = foldDate(s)
	for _, m := range reDayMonth.FindAllStringSubmatch(s, -1) {
		if mo, ok := months[m[2]]; ok {
			return mkDate(orig, atoi(m[3]), int(mo), atoi(m[1]))
		}
	}
	for _, m := range reMonthDay.FindAllStringSubmatch(s, -1) {
		if mo, ok := months[m[1]]; ok {
			return mkDate(orig, atoi(m[3]), int(mo), atoi(m[2]))
		}
	}
	return time.Time{}, fabbisogni.Errorf(fabbisogni.EInvalid, "date %q: no known date form", orig)
}

func foldDate(s string) string {
	r := strings.NewReplacer("ì", "i", "è", "e", "é", "e", "à", "a", "ò", "o", "ù", "u", "\u00a0", " ")
	return r.Replace(s)
}

func mkDate(orig string, y, mo, d int) (time.Time, error) {
	if y < 1990 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, fabbisogni.Errorf(fabbisogni.EInvalid, "date %q: out of range", orig)
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fabbisogni.Errorf(fabbisogni.EInvalid, "date %q: no such day", orig)
	}
	return t, nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
