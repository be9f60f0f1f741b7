package nlp

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/fabbisogni/fabbisogni"
)

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

// Trigger groups: a pattern group runs only on windows of text around its
// trigger words, found in one pass over the word starts of the text.
const (
	gContract = iota
	gEducation
	gExperience
	gLicence
	gForklift
	gSafety
	gHACCP
	gFirstAid
	gFire
	gShifts
	gLanguage // + index into languageNames
	nGroups   = gLanguage + 10
)

type trigHit struct {
	pos, n int
	word   string // the trigger found
}

type trigEntry struct {
	s     string
	group int
}

var trigByFirst = func() (t [256][]trigEntry) {
	add := func(g int, ws ...string) {
		for _, w := range ws {
			t[w[0]] = append(t[w[0]], trigEntry{w, g})
		}
	}
	add(gContract, contractTriggers...)
	add(gEducation, educationTriggers...)
	add(gExperience, "esperienz", "experience")
	add(gLicence, "patent", "licen", "cqc", "adr", "carta di qualificazione")
	add(gForklift, "mulett", "carrell", "forklift", "fork", "reach truck", "transpallet")
	add(gSafety, "sicurezza", "81", "safety", "d.lgs", "dlgs", "d. lgs", "attestato")
	add(gHACCP, "hac", "alimentarista", "igiene", "food")
	add(gFirstAid, "primo soccorso", "first aid")
	add(gFire, "antincendio", "fire")
	add(gShifts, "turn", "ciclo continuo", "notturn", "shift", "night", "rotating")
	for i, ln := range languageNames {
		if gLanguage+i < nGroups { // nGroups leaves room for 10 languages
			add(gLanguage+i, ln.triggers...)
		}
	}
	return t
}()

// hasTrigger reports whether one of the hits is one of the words.
func hasTrigger(hits []trigHit, words []string) bool {
	for _, h := range hits {
		for _, w := range words {
			if h.word == w {
				return true
			}
		}
	}
	return false
}

// scanTriggers finds the trigger words at word starts of the folded text f.
func scanTriggers(f string) *[nGroups][]trigHit {
	out := new([nGroups][]trigHit)
	for i := 0; i < len(f); i++ {
		if i > 0 && isWordByte(f[i-1]) {
			continue
		}
		for _, e := range trigByFirst[f[i]] {
			if strings.HasPrefix(f[i:], e.s) {
				out[e.group] = append(out[e.group], trigHit{i, len(e.s), e.s})
			}
		}
	}
	return out
}

// windows returns the parts of f around the trigger hits (before and after
// bytes of context), merged and joined by " ¦ ", so that the patterns run on
// a few hundred bytes instead of the whole posting.
func windows(f string, hits []trigHit, before, after int) string {
	if len(hits) == 0 {
		return ""
	}
	spans := make([][2]int, 0, len(hits))
	for _, h := range hits {
		a, b := max(0, h.pos-before), min(len(f), h.pos+h.n+after)
		for a > 0 && !utf8.RuneStart(f[a]) {
			a--
		}
		for b < len(f) && !utf8.RuneStart(f[b]) {
			b++
		}
		spans = append(spans, [2]int{a, b})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	var sb strings.Builder
	cur := spans[0]
	flush := func() {
		if sb.Len() > 0 {
			sb.WriteString(" ¦ ")
		}
		sb.WriteString(f[cur[0]:cur[1]])
	}
	for _, sp := range spans[1:] {
		if sp[0] <= cur[1] {
			cur[1] = max(cur[1], sp[1])
			continue
		}
		flush()
		cur = sp
	}
	flush()
	return sb.String()
}

var contractTriggers = func() (out []string) {
	seen := map[string]bool{}
	for _, p := range contractPatterns {
		for _, t := range p.triggers {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}()

var educationTriggers = []string{"laurea", "laureat", "dottorat", "ph", "doctor", "master", "msc", "m.sc", "bachelor", "bsc", "degree", "diploma", "maturit", "perito", "istituto", "ifts", "qualifica", "attestato", "vocational", "licenza", "obbligo", "media"}

// Each contract pattern runs only around its own trigger words.
var contractPatterns = []struct {
	name     string
	triggers []string
	re       *regexp.Regexp
}{
	{"tempo_indeterminato", []string{"tempo", "t.", "permanent", "open"}, regexp.MustCompile(`\btempo\s+indeterminato|\bt\.\s?i\.|\bpermanent (?:contract|position|role)|\bopen[- ]ended contract`)},
	{"tempo_determinato", []string{"tempo", "t.", "contratto", "fixed", "temporary"}, regexp.MustCompile(`\btempo\s+determinato|\bt\.\s?d\.|\bcontratto a termine|\bfixed[- ]term|\btemporary contract`)},
	{"apprendistato", []string{"apprendist", "apprentice"}, regexp.MustCompile(`\bapprendistato|\bapprenticeship`)},
	{"somministrazione", []string{"somministr", "interinal", "staff"}, regexp.MustCompile(`\bsomministrazione|\binterinale|\bstaff leasing`)},
	{"tirocinio", []string{"tirocin", "stage", "intern", "trainee"}, regexp.MustCompile(`\btirocini|\bstage\b|\binternship|\btraineeship`)},
	{"part_time", []string{"part"}, regexp.MustCompile(`\bpart[- ]?time`)},
	{"full_time", []string{"full", "tempo"}, regexp.MustCompile(`\bfull[- ]?time|\btempo pieno`)},
}

// Education levels as EQF; the lowest level mentioned is the one required.
var educationPatterns = []struct {
	eqf      int
	triggers []string // educationTriggers one of which every match contains
	re       *regexp.Regexp
}{
	{8, []string{"dottorat", "ph", "doctor"}, regexp.MustCompile(`\bdottorato(?: di ricerca)?|\bph\.?d\b|\bdoctorate`)},
	{7, []string{"laurea", "master", "msc", "m.sc"}, regexp.MustCompile(`\blaurea (?:magistrale|specialistica)(?: in [a-z]+)?|\blaurea a ciclo unico|\bmaster'?s degree|\bmsc\b|\bm\.sc\.?`)},
	{6, []string{"laurea", "laureat", "bachelor", "bsc", "degree"}, regexp.MustCompile(`\blaurea(?: triennale| breve)?(?: in [a-z]+)?|\blaureat[oaie]\b|\bbachelor'?s?(?: degree)?|\bbsc\b|\bdegree in [a-z]+|\buniversity degree`)},
	{5, []string{"diploma", "istituto", "ifts"}, regexp.MustCompile(`\bdiploma its\b|\bistituto tecnico superiore|\bifts\b`)},
	{4, []string{"diploma", "maturit", "perito"}, regexp.MustCompile(`\bdiploma(?: (?:di|in) (?:perito|maturita|scuola|istruzione|ragioneria|geometra|tecnico)(?: [a-z]+)?| tecnico(?: [a-z]+)?| professionale)?|\bmaturita\b|\bperito [a-z]+|\bhigh school diploma|\bdiplomat[oaie]\b`)},
	{3, []string{"qualifica", "attestato", "vocational"}, regexp.MustCompile(`\bqualifica professionale|\bqualifica triennale|\battestato di qualifica|\bvocational qualification`)},
	{2, []string{"licenza", "obbligo", "media"}, regexp.MustCompile(`\blicenza media|\bscuola dell'obbligo|\bobbligo scolastico|\bterza media`)},
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

	licenceRe  = regexp.MustCompile(`\b(?:patente|patenti|licenza di guida|driving licen[cs]e|driver'?s licen[cs]e)\s*(?:di guida\s*)?(?:di\s+)?(?:tipo\s+|categoria\s+|cat\.?\s*|categorie\s+)?((?:(?:[abcde]{1,2}|c\s*\+\s*e|ce|cqc|adr)(?:\s*[,/e]\s*|\s+)?)+)`)
	licenceTok = regexp.MustCompile(`c\s*\+\s*e|cqc|adr|ce|de|[abcd]1?\b`)
	cqcRe      = regexp.MustCompile(`\bcqc\b|carta di qualificazione del conducente`)
	adrRe      = regexp.MustCompile(`\badr\b|patentino adr`)
	forkliftRe = regexp.MustCompile(`muletto|mulettista|carrellista|carrello elevatore|carrelli elevatori|patentino (?:per )?(?:il )?(?:muletto|carrello)|forklift|fork[- ]lift|reach truck|transpallet elettrico`)
	safetyRe   = regexp.MustCompile(`formazione (?:generale e specifica |specifica |generale )?(?:sulla |in materia di |per la )?sicurezza|corso (?:sulla |di |per la )?sicurezza|d\.?\s?lgs\.?\s*81|81/0?8|attestato (?:di )?sicurezza|safety training`)
	haccpRe    = regexp.MustCompile(`\bhaccp\b|\bhacpp\b|\bhacp\b|alimentarista|igiene alimentare|food hygiene|food safety certificate`)
	// shiftsRe: work in shifts is a condition of the job, reported as an
	// attribute and not as the ESCO skill "work in shifts" (nonSkills)
	shiftsRe      = regexp.MustCompile(`\b(?:turni\b|turno (?:di notte|notturno|serale|spezzato)|turnist|turnazion|ciclo continuo|notturn[oia]\b|shifts?\b|shift work|night work|rotating shifts?)`)
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
	languageContext = regexp.MustCompile(`lingua|essential|required|desirable|helpful|a plus|richiest|indispensabil|gradit|conoscenza|parlat|scritt|livello|fluent|speak|spoken|written|proficien|madrelingua|native|\b[abc][12]\b|language|buon|ottim|preferenzial|basic|\bbase\b|discret|scolastic|advantage|\bplus\b|\bgood\b|excellent|\bstrong\b|conversational|\bsolid\b|\bconfident\b|\bcompetent\b|intermediate|advanced|business|working knowledge|command of|\b(?:working|some) (?:italian|english|french|german|spanish)\b|\bin (inglese|francese|tedesco|spagnolo|russo|cinese|arabo|english|french|german|spanish)\b`)
)

// extractAttributes reads the structured facts of a posting.
func extractAttributes(text string) fabbisogni.Attributes {
	var a fabbisogni.Attributes
	f := foldText(text)
	trig := scanTriggers(f)
	for _, p := range contractPatterns {
		var hits []trigHit
		for _, h := range trig[gContract] {
			for _, w := range p.triggers {
				if h.word == w {
					hits = append(hits, h)
				}
			}
		}
		if len(hits) > 0 && p.re.MatchString(windows(f, hits, 5, 30)) {
			a.Contract = append(a.Contract, p.name)
		}
	}
	// Levels from the highest down; a lower level inside a higher one's match
	// ("laurea" in "laurea magistrale") does not count. The lowest level left
	// is the minimum asked ("diploma o laurea" asks for a diploma).
	var taken [][]int
	fe := windows(f, trig[gEducation], 40, 60)
	fits := ""
	if strings.Contains(text, "ITS") {
		fits = text
	}
	for _, p := range educationPatterns {
		if fe == "" && fits == "" {
			break
		}
		var locs [][]int
		src := fe
		if fe != "" && hasTrigger(trig[gEducation], p.triggers) {
			locs = p.re.FindAllStringIndex(fe, -1)
		}
		if p.eqf == 5 && fits != "" && len(locs) == 0 && itsRe.MatchString(fits) {
			// "ITS" as written; the folded window text does not hold it
			locs, src = [][]int{{0, 3}}, "its"
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
			if src == "its" {
				a.EQF, a.Education = p.eqf, "ITS"
				continue
			}
			taken = append(taken, loc)
			a.EQF, a.Education = p.eqf, strings.TrimSpace(src[loc[0]:loc[1]])
		}
	}
	fx := windows(f, trig[gExperience], 60, 80)
	hasUnit := strings.Contains(fx, "ann") || strings.Contains(fx, "mes") || strings.Contains(fx, "year") || strings.Contains(fx, "month")
	hasAdj := strings.Contains(fx, "ennale") || strings.Contains(fx, "annuale")
	for i, re := range expPatterns {
		if fx == "" {
			break
		}
		if i < 2 && !hasUnit || i == 2 && !hasAdj {
			continue // the pattern cannot match without its unit or adjective
		}
		for _, m := range re.FindAllStringSubmatch(fx, -1) {
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
	fl := windows(f, trig[gLicence], 20, 60)
	hasLic := fl != ""
	for _, m := range licenceRe.FindAllStringSubmatch(fl, -1) {
		for _, l := range licenceTok.FindAllString(m[1], -1) {
			l = strings.ToUpper(strings.NewReplacer(" ", "", "+", "").Replace(l))
			lic[l] = true
		}
	}
	if hasLic && cqcRe.MatchString(fl) {
		lic["CQC"] = true
	}
	if hasLic && adrRe.MatchString(fl) {
		lic["ADR"] = true
	}
	for l := range lic {
		a.DrivingLicences = append(a.DrivingLicences, l)
	}
	sort.Strings(a.DrivingLicences)
	a.Forklift = forkliftRe.MatchString(windows(f, trig[gForklift], 20, 40))
	a.Shifts = shiftsRe.MatchString(windows(f, trig[gShifts], 0, 30))
	if safetyRe.MatchString(windows(f, trig[gSafety], 40, 60)) {
		a.Certificates = append(a.Certificates, "formazione_sicurezza")
	}
	if haccpRe.MatchString(windows(f, trig[gHACCP], 10, 40)) {
		a.Certificates = append(a.Certificates, "haccp")
	}
	if len(trig[gFirstAid]) > 0 {
		a.Certificates = append(a.Certificates, "primo_soccorso")
	}
	if fireRe.MatchString(windows(f, trig[gFire], 10, 30)) {
		a.Certificates = append(a.Certificates, "antincendio")
	}
	for i, ln := range languageNames {
		if gLanguage+i >= nGroups {
			break
		}
		f := windows(f, trig[gLanguage+i], 60, 60)
		if f == "" {
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
