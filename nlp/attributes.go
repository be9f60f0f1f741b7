package nlp

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fabbisogni/fabbisogni"
)

// foldCaseKeep returns text when folding kept byte offsets (so that a
// case-sensitive pattern's offsets are valid in the folded text), else "".
func foldCaseKeep(text, folded string) string {
	if len(text) == len(folded) {
		return text
	}
	return ""
}

// foldText lower-cases and strips accents, keeping punctuation, for the
// attribute patterns.
func foldText(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		if r == utf8.RuneError {
			b = append(b, ' ')
			continue
		}
		if f := fold(r); f != 0 {
			if f == '’' || f == '`' {
				f = '\''
			}
			b = utf8.AppendRune(b, f)
		}
	}
	return string(b)
}

// Every pattern group has trigger substrings: the regular expression runs
// only on texts that contain one, which keeps attribute extraction cheap
// (Go's regexp engine is the slowest part of extraction otherwise).
func anyIn(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

var contractTriggers = []string{"tempo", "t.", "permanent", "open", "termine", "fixed", "temporary", "apprendist", "apprentice", "somministr", "interinal", "leasing", "tirocin", "stage", "intern", "trainee", "part", "full"}

var educationTriggers = []string{"laurea", "laureat", "dottorat", "ph", "doctor", "master", "msc", "m.sc", "bachelor", "bsc", "degree", "diploma", "maturit", "perito", "istituto", "ifts", "qualifica", "attestato", "vocational", "licenza", "obbligo", "media"}

var contractPatterns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"tempo_indeterminato", regexp.MustCompile(`\btempo\s+indeterminato|\bt\.\s?i\.|\bpermanent (?:contract|position|role)|\bopen[- ]ended contract`)},
	{"tempo_determinato", regexp.MustCompile(`\btempo\s+determinato|\bt\.\s?d\.|\bcontratto a termine|\bfixed[- ]term|\btemporary contract`)},
	{"apprendistato", regexp.MustCompile(`\bapprendistato|\bapprenticeship`)},
	{"somministrazione", regexp.MustCompile(`\bsomministrazione|\binterinale|\bstaff leasing`)},
	{"tirocinio", regexp.MustCompile(`\btirocini|\bstage\b|\binternship|\btraineeship`)},
	{"part_time", regexp.MustCompile(`\bpart[- ]?time`)},
	{"full_time", regexp.MustCompile(`\bfull[- ]?time|\btempo pieno`)},
}

// Education levels as EQF; the lowest level mentioned is the one required.
var educationPatterns = []struct {
	eqf int
	re  *regexp.Regexp
}{
	{8, regexp.MustCompile(`\bdottorato(?: di ricerca)?|\bph\.?d\b|\bdoctorate`)},
	{7, regexp.MustCompile(`\blaurea (?:magistrale|specialistica)(?: in [a-z]+)?|\blaurea a ciclo unico|\bmaster'?s degree|\bmsc\b|\bm\.sc\.?`)},
	{6, regexp.MustCompile(`\blaurea(?: triennale| breve)?(?: in [a-z]+)?|\blaureat[oaie]\b|\bbachelor'?s?(?: degree)?|\bbsc\b|\bdegree in [a-z]+|\buniversity degree`)},
	{5, regexp.MustCompile(`\bdiploma its\b|\bistituto tecnico superiore|\bifts\b`)},
	{4, regexp.MustCompile(`\bdiploma(?: (?:di|in) (?:perito|maturita|scuola|istruzione|ragioneria|geometra|tecnico)(?: [a-z]+)?| tecnico(?: [a-z]+)?| professionale)?|\bmaturita\b|\bperito [a-z]+|\bhigh school diploma|\bdiplomat[oaie]\b`)},
	{3, regexp.MustCompile(`\bqualifica professionale|\bqualifica triennale|\battestato di qualifica|\bvocational qualification`)},
	{2, regexp.MustCompile(`\blicenza media|\bscuola dell'obbligo|\bobbligo scolastico|\bterza media`)},
}

var (
	numWord     = `(\d+(?:[.,]\d+)?|un|uno|una|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|one|two|three|four|five|six|seven|eight|nine|ten)`
	expPatterns = []*regexp.Regexp{
		regexp.MustCompile(`\b` + numWord + `\+?\s*(anni|anno|mesi|mese|years?|months?)\s+(?:di\s+|of\s+)?(?:comprovata\s+|consolidata\s+|maturata\s+|documentata\s+)?(?:esperienza|experience|lavoro)`),
		regexp.MustCompile(`(?:esperienza|experience)[^.;\n]{0,40}?(?:di almeno|di minimo|almeno|minimo|di|of at least|of)\s+` + numWord + `\+?\s*(anni|anno|mesi|mese|years?|months?)`),
		regexp.MustCompile(`(?:esperienza|experience)[^.;\n]{0,20}?(?:almeno|at least)?\s*(?:biennale|triennale|quinquennale|annuale)`),
	}
	numbers = map[string]float64{"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8, "nove": 9, "dieci": 10,
		"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
	adjYears = map[string]float64{"annuale": 1, "biennale": 2, "triennale": 3, "quinquennale": 5}

	licenceRe     = regexp.MustCompile(`\b(?:patente|patenti|licenza di guida|driving licen[cs]e|driver'?s licen[cs]e)\s*(?:di guida\s*)?(?:di\s+)?(?:tipo\s+|categoria\s+|cat\.?\s*|categorie\s+)?((?:(?:[abcde]{1,2}|c\s*\+\s*e|ce|cqc|adr)(?:\s*[,/e]\s*|\s+)?)+)`)
	licenceTok    = regexp.MustCompile(`c\s*\+\s*e|cqc|adr|ce|de|[abcd]1?\b`)
	cqcRe         = regexp.MustCompile(`\bcqc\b|carta di qualificazione del conducente`)
	adrRe         = regexp.MustCompile(`\badr\b|patentino adr`)
	forkliftRe    = regexp.MustCompile(`muletto|mulettista|carrellista|carrello elevatore|carrelli elevatori|patentino (?:per )?(?:il )?(?:muletto|carrello)|forklift|fork[- ]lift|reach truck|transpallet elettrico`)
	safetyRe      = regexp.MustCompile(`formazione (?:generale e specifica |specifica |generale )?(?:sulla |in materia di |per la )?sicurezza|corso (?:sulla |di |per la )?sicurezza|d\.?\s?lgs\.?\s*81|81/0?8|attestato (?:di )?sicurezza|safety training`)
	haccpRe       = regexp.MustCompile(`\bhaccp\b|\bhacpp\b|\bhacp\b|alimentarista|igiene alimentare|food hygiene|food safety certificate`)
	firstAidRe    = regexp.MustCompile(`primo soccorso|first aid`)
	fireRe        = regexp.MustCompile(`antincendio|fire (?:safety|warden)`)
	itsRe         = regexp.MustCompile(`\bITS\b`) // upper case only: "its" is an English word
	cefrRe        = regexp.MustCompile(`\b([abc][12])\b`)
	motherRe      = regexp.MustCompile(`madrelingua|mother tongue|native`)
	languageNames = []struct {
		code     string
		triggers []string
		re       *regexp.Regexp
	}{
		{"en", []string{"ingles", "english"}, regexp.MustCompile(`\b(?:lingua inglese|inglese|english)\b`)},
		{"fr", []string{"frances", "french"}, regexp.MustCompile(`\b(?:lingua francese|francese|french)\b`)},
		{"de", []string{"tedesc", "german"}, regexp.MustCompile(`\b(?:lingua tedesca|tedesco|german)\b`)},
		{"es", []string{"spagnol", "spanish"}, regexp.MustCompile(`\b(?:lingua spagnola|spagnolo|spanish)\b`)},
		{"it", []string{"italian"}, regexp.MustCompile(`\b(?:lingua italiana|italiano|italian)\b`)},
		{"zh", []string{"cinese", "chinese", "mandarin"}, regexp.MustCompile(`\b(?:lingua cinese|cinese|chinese|mandarin)\b`)},
		{"ru", []string{"russ"}, regexp.MustCompile(`\b(?:lingua russa|russo|russian)\b`)},
		{"ar", []string{"arab"}, regexp.MustCompile(`\b(?:lingua araba|arabo|arabic)\b`)},
		{"pt", []string{"portoghese", "portuguese"}, regexp.MustCompile(`\b(?:lingua portoghese|portoghese|portuguese)\b`)},
		{"ro", []string{"rumen", "romanian"}, regexp.MustCompile(`\b(?:lingua rumena|rumeno|romanian)\b`)},
	}
	languageContext = regexp.MustCompile(`lingua|conoscenza|parlat|scritt|livello|fluent|speak|spoken|written|proficien|madrelingua|native|\b[abc][12]\b|language|buon|ottim`)
)

// extractAttributes reads the structured facts of a posting.
func extractAttributes(text string) fabbisogni.Attributes {
	var a fabbisogni.Attributes
	f := foldText(text)
	for _, p := range contractPatterns {
		if !anyIn(f, contractTriggers...) {
			break
		}
		if p.re.MatchString(f) {
			a.Contract = append(a.Contract, p.name)
		}
	}
	// Levels from the highest down; a lower level inside a higher one's match
	// ("laurea" in "laurea magistrale") does not count. The lowest level left
	// is the minimum asked ("diploma o laurea" asks for a diploma).
	var taken [][]int
	hasEdu, hasITS := anyIn(f, educationTriggers...), strings.Contains(text, "ITS")
	for _, p := range educationPatterns {
		if !hasEdu && !hasITS {
			break
		}
		var locs [][]int
		if hasEdu {
			locs = p.re.FindAllStringIndex(f, -1)
		}
		if p.eqf == 5 && hasITS {
			locs = append(locs, itsRe.FindAllStringIndex(foldCaseKeep(text, f), -1)...)
		}
		for _, loc := range locs {
			inside := false
			for _, t := range taken {
				if loc[0] < t[1] && loc[1] > t[0] {
					inside = true
					break
				}
			}
			if inside {
				continue
			}
			taken = append(taken, loc)
			a.EQF, a.Education = p.eqf, strings.TrimSpace(f[loc[0]:loc[1]])
		}
	}
	for _, re := range expPatterns {
		if !anyIn(f, "esperienz", "experience") {
			break
		}
		for _, m := range re.FindAllStringSubmatch(f, -1) {
			var y float64
			if len(m) >= 3 {
				y = parseNumber(m[1])
				if strings.HasPrefix(m[2], "mes") || strings.HasPrefix(m[2], "month") {
					y /= 12
				}
			} else {
				for adj, v := range adjYears {
					if strings.Contains(m[0], adj) {
						y = v
					}
				}
			}
			if y > 0 && y <= 40 && (a.ExperienceYears == 0 || y < a.ExperienceYears) {
				a.ExperienceYears = round3(y)
			}
		}
		if a.ExperienceYears > 0 {
			break
		}
	}
	lic := map[string]bool{}
	hasLic := anyIn(f, "patent", "licen", "cqc", "adr", "carta di qualificazione")
	for _, m := range licenceRe.FindAllStringSubmatch(f, -1) {
		if !hasLic {
			break
		}
		for _, l := range licenceTok.FindAllString(m[1], -1) {
			l = strings.ToUpper(strings.NewReplacer(" ", "", "+", "").Replace(l))
			lic[l] = true
		}
	}
	if hasLic && cqcRe.MatchString(f) {
		lic["CQC"] = true
	}
	if hasLic && adrRe.MatchString(f) {
		lic["ADR"] = true
	}
	for l := range lic {
		a.DrivingLicences = append(a.DrivingLicences, l)
	}
	sort.Strings(a.DrivingLicences)
	a.Forklift = anyIn(f, "mulett", "carrell", "forklift", "fork-lift", "fork lift", "reach truck", "transpallet") && forkliftRe.MatchString(f)
	if anyIn(f, "sicurezza", "81", "safety") && safetyRe.MatchString(f) {
		a.Certificates = append(a.Certificates, "formazione_sicurezza")
	}
	if anyIn(f, "hac", "alimentarista", "igiene alimentare", "food") && haccpRe.MatchString(f) {
		a.Certificates = append(a.Certificates, "haccp")
	}
	if anyIn(f, "soccorso", "first aid") && firstAidRe.MatchString(f) {
		a.Certificates = append(a.Certificates, "primo_soccorso")
	}
	if anyIn(f, "antincendio", "fire") && fireRe.MatchString(f) {
		a.Certificates = append(a.Certificates, "antincendio")
	}
	for _, ln := range languageNames {
		if !anyIn(f, ln.triggers...) {
			continue
		}
		for _, loc := range ln.re.FindAllStringIndex(f, -1) {
			lo, hi := max(0, loc[0]-40), min(len(f), loc[1]+40)
			win := f[lo:hi]
			if !strings.Contains(f[loc[0]:loc[1]], "lingua") && !languageContext.MatchString(win) {
				continue
			}
			ll := fabbisogni.LanguageLevel{Language: ln.code}
			after := f[loc[1]:min(len(f), loc[1]+40)]
			before := f[max(0, loc[0]-25):loc[0]]
			if m := cefrRe.FindString(after); m != "" {
				ll.CEFR = strings.ToUpper(m)
			} else if m := cefrRe.FindString(before); m != "" {
				ll.CEFR = strings.ToUpper(m)
			} else if motherRe.MatchString(win) {
				ll.CEFR = "C2"
			}
			a.Languages = appendLanguage(a.Languages, ll)
		}
	}
	return a
}

func appendLanguage(ls []fabbisogni.LanguageLevel, l fabbisogni.LanguageLevel) []fabbisogni.LanguageLevel {
	for i := range ls {
		if ls[i].Language == l.Language {
			if ls[i].CEFR == "" {
				ls[i].CEFR = l.CEFR
			}
			return ls
		}
	}
	return append(ls, l)
}

func parseNumber(s string) float64 {
	if v, ok := numbers[s]; ok {
		return v
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		return 0
	}
	return v
}
