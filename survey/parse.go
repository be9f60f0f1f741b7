package survey

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

var italianMonths = map[string]time.Month{
	"gennaio": 1, "gen": 1, "febbraio": 2, "feb": 2, "marzo": 3, "mar": 3, "aprile": 4, "apr": 4,
	"maggio": 5, "mag": 5, "giugno": 6, "giu": 6, "luglio": 7, "lug": 7, "agosto": 8, "ago": 8,
	"settembre": 9, "set": 9, "sett": 9, "ottobre": 10, "ott": 10, "novembre": 11, "nov": 11,
	"dicembre": 12, "dic": 12,
}

var (
	reDMY      = regexp.MustCompile(`^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?$`)
	reISO      = regexp.MustCompile(`(?i)^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?$`)
	reWordDate = regexp.MustCompile(`^(?:(?:lun|mar|mer|gio|ven|sab|dom)[a-zì]*\s+)?(\d{1,2})(?:°|º)?\s+([a-z]+)\.?\s+(\d{4})$`)
	reSerial   = regexp.MustCompile(`^\d{5}(?:\.\d+)?$`)
)

// parseDate reads a date as Italian exports write it: 02/09/2026, 2/9/26,
// 02.09.2026, 2026-09-02, "2 settembre 2026", "lunedì 2 settembre 2026",
// and Excel serial day numbers (46267). Two-digit years are 20yy.
func parseDate(s string) (time.Time, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return time.Time{}, errors.New("missing date")
	}
	var y, m, d int
	switch {
	case reISO.MatchString(s):
		p := reISO.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case reDMY.MatchString(s):
		p := reDMY.FindStringSubmatch(s)
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
		if len(p[3]) == 2 {
			y += 2000
		}
	case reWordDate.MatchString(s):
		p := reWordDate.FindStringSubmatch(s)
		mo, ok := italianMonths[p[2]]
		if !ok {
			return time.Time{}, fmt.Errorf("unknown month %q", p[2])
		}
		d, m, y = atoi(p[1]), int(mo), atoi(p[3])
	case reSerial.MatchString(s):
		f, _ := strconv.ParseFloat(s, 64)
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(f))
		if t.Year() < 1990 || t.Year() > 2100 {
			return time.Time{}, fmt.Errorf("spreadsheet day number %s out of range", s)
		}
		return t, nil
	default:
		return time.Time{}, errors.New("not a date (want dd/mm/yyyy, yyyy-mm-dd or \"2 settembre 2026\")")
	}
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1990 || y > 2100 {
		return time.Time{}, errors.New("day, month or year out of range")
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, fmt.Errorf("no day %d in %s %d", d, time.Month(m), y)
	}
	return t, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// parseOutcome maps the outcomes operators write to the root constants.
func parseOutcome(s string) (string, error) {
	k := fabbisogni.PlaceKey(s)
	switch {
	case k == "":
		return "", errors.New("missing outcome")
	case hasAny(k, "numero errato", "numero inesistente", "numero sbagliato", "wrong number", "non attivo", "azienda cessata", "cessata"):
		return fabbisogni.OutcomeWrongNumber, nil
	case hasAny(k, "richiam", "call back", "da ricontattare", "ricontattare", "occupato", "appuntamento"):
		return fabbisogni.OutcomeCallBack, nil
	case k == "ok" || k == "esito ok" || k == "si":
		return fabbisogni.OutcomeReached, nil
	case hasAny(k, "non contattat", "non raggiunt", "non risponde", "nessuna risposta", "no risposta", "senza risposta", "non raggiungibile", "irraggiungibile", "no answer", "segreteria"):
		return fabbisogni.OutcomeNoAnswer, nil
	case hasAny(k, "rifiut", "non interessat", "non disponibile", "non vuole", "refused", "declined"):
		return fabbisogni.OutcomeRefused, nil
	case hasAny(k, "raggiunt", "contattat", "intervist", "completat", "positivo", "interessat", "esito ok", "reached", "completed", "compilato", "fabbisogno", "nessun fabbisogno"):
		return fabbisogni.OutcomeReached, nil
	}
	return "", errors.New("unknown outcome (want raggiunta, rifiuta, non risponde, numero errato, da richiamare)")
}

func hasAny(k string, subs ...string) bool {
	for _, s := range subs {
		if k == s || strings.HasPrefix(k, s) || strings.Contains(k, " "+s) || strings.Contains(k, s) && len(s) > 4 {
			return true
		}
	}
	return false
}

var numberWords = map[string]int{
	"un": 1, "una": 1, "uno": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6,
	"sette": 7, "otto": 8, "nove": 9, "dieci": 10, "dodici": 12, "quindici": 15, "venti": 20,
}

var reLeadingInt = regexp.MustCompile(`^([+-]?\d+)(?:[.,]0+)?(?:\s*(?:-|a|/)\s*(\d+))?(?:\s+.*)?$`)

// parseHires reads a number of hires: "3", "3 unità", "2-3" (the lower
// bound: what the firm committed to), "due". It must be at least 1.
func parseHires(s string) (int, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	if k == "" {
		return 0, errors.New("missing number of hires")
	}
	if n, ok := numberWords[strings.Fields(k)[0]]; ok {
		return n, nil
	}
	p := reLeadingInt.FindStringSubmatch(k)
	if p == nil {
		return 0, errors.New("not a number of hires")
	}
	n, err := strconv.Atoi(p[1])
	if err != nil {
		return 0, errors.New("not a number of hires")
	}
	if n < 1 {
		return 0, fmt.Errorf("%d hires, want at least 1", n)
	}
	if n > 10000 {
		return 0, fmt.Errorf("%d hires is not plausible", n)
	}
	return n, nil
}

var (
	reMonths    = regexp.MustCompile(`(\d+)\s*(?:-|a|/|e)?\s*(\d+)?\s*mes`)
	reYear      = regexp.MustCompile(`\b(20\d\d)\b`)
	reQuarter   = regexp.MustCompile(`(?:^|\s)(?:q([1-4])|([1-4])\s*(?:o\s*)?trim\w*|([1-4])\s*(?:°|º)\s*trim\w*)`)
	reShortYear = regexp.MustCompile(`\b(?:q[1-4]|trim\w*)\s*(\d\d)\b`)
)

// parseHorizon maps "Entro quando / Periodo" to a root horizon constant,
// relative to the contact date: "entro 3 mesi", "3-6 mesi", "subito",
// "entro fine anno", "dicembre 2026", "Q1 2027", "oltre 12 mesi", or a date.
func parseHorizon(s string, contact time.Time) (string, error) {
	raw := strings.ToLower(strings.TrimSpace(s))
	k := fabbisogni.PlaceKey(strings.ReplaceAll(raw, "°", " "))
	if k == "" {
		return "", errors.New("missing horizon")
	}
	byMonths := func(n int) string {
		switch {
		case n <= 3:
			return fabbisogni.Horizon3Months
		case n <= 12:
			return fabbisogni.Horizon12Months
		}
		return fabbisogni.HorizonBeyond
	}
	until := func(t time.Time) (string, error) {
		months := (t.Year()-contact.Year())*12 + int(t.Month()) - int(contact.Month())
		if months < 0 {
			return "", errors.New("horizon before the contact date")
		}
		return byMonths(months), nil
	}
	switch {
	case hasAny(k, "subito", "immediat", "urgente", "al piu presto", "asap", "breve termine", "entro il mese", "prossimo mese", "prossime settimane"):
		return fabbisogni.Horizon3Months, nil
	case hasAny(k, "oltre", "piu di", "lungo termine", "oltre l anno", "prossimo anno", "anno prossimo"):
		if m := reMonths.FindStringSubmatch(k); m != nil && m[2] == "" && atoi(m[1]) < 12 {
			return byMonths(atoi(m[1]) + 1), nil
		}
		if strings.Contains(k, "anno") && !strings.Contains(k, "mes") {
			if hasAny(k, "prossimo anno", "anno prossimo") {
				return until(time.Date(contact.Year()+1, 12, 1, 0, 0, 0, 0, time.UTC))
			}
		}
		return fabbisogni.HorizonBeyond, nil
	case hasAny(k, "fine anno", "entro l anno", "entro anno", "in corso d anno"):
		return until(time.Date(contact.Year(), 12, 1, 0, 0, 0, 0, time.UTC))
	case hasAny(k, "medio termine", "entro l estate", "entro l autunno"):
		return fabbisogni.Horizon12Months, nil
	}
	if m := reMonths.FindStringSubmatch(k); m != nil {
		n := atoi(m[1])
		if m[2] != "" {
			n = atoi(m[2]) // "3-6 mesi": the need is met by the end of the range
		}
		if n < 0 {
			return "", errors.New("negative horizon")
		}
		return byMonths(n), nil
	}
	d := raw
	for _, p := range []string{"entro il ", "entro ", "a partire dal ", "dal ", "da ", "per il ", "per "} {
		d = strings.TrimPrefix(d, p)
	}
	if t, err := parseDate(d); err == nil {
		return until(t)
	}
	for w, n := range map[string]string{"primo": "1", "secondo": "2", "terzo": "3", "quarto": "4", "i": "1", "ii": "2", "iii": "3", "iv": "4"} {
		k = strings.ReplaceAll(" "+k+" ", " "+w+" trim", " "+n+" trim")
		k = strings.TrimSpace(k)
	}
	// "dicembre 2026", "entro marzo 2027", "Q1 2027", "1° trimestre 2027".
	year := 0
	if y := reYear.FindStringSubmatch(k); y != nil {
		year = atoi(y[1])
	} else if y := reShortYear.FindStringSubmatch(k); y != nil {
		year = 2000 + atoi(y[1])
	}
	if q := reQuarter.FindStringSubmatch(k); q != nil {
		n := atoi(q[1] + q[2] + q[3])
		if year == 0 {
			year = contact.Year()
		}
		return until(time.Date(year, time.Month(3*n), 1, 0, 0, 0, 0, time.UTC))
	}
	for _, w := range strings.Fields(k) {
		if mo, ok := italianMonths[w]; ok && len(w) > 3 {
			if year == 0 {
				year = contact.Year()
				if mo < contact.Month() {
					year++
				}
			}
			return until(time.Date(year, mo, 1, 0, 0, 0, 0, time.UTC))
		}
	}
	if year != 0 {
		return until(time.Date(year, 12, 1, 0, 0, 0, 0, time.UTC))
	}
	return "", errors.New("unknown horizon (want \"entro 3 mesi\", \"6-12 mesi\", \"oltre 12 mesi\", a month or a date)")
}

// parseDifficulty maps "Difficoltà di reperimento" to 0 (unknown) .. 3.
func parseDifficulty(s string) (int, error) {
	k := fabbisogni.PlaceKey(s)
	switch k {
	case "":
		return 0, nil
	case "alta", "elevata", "molto alta", "si", "sì", "difficile", "molto difficile", "high", "3":
		return 3, nil
	case "media", "medio", "moderata", "abbastanza difficile", "medium", "2":
		return 2, nil
	case "bassa", "basso", "nessuna", "no", "facile", "low", "1", "scarsa":
		return 1, nil
	case "non so", "n d", "nd", "non indicato", "0":
		return 0, nil
	}
	return 0, errors.New("unknown difficulty (want alta, media, bassa, sì, no)")
}
