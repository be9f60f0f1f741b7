package crawl

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabbisogni/fabbisogni"
)

// posting is a vacancy as read from a page, before source-specific
// finishing (id prefix, gazetteer, district, provenance).
type posting struct {
	v         fabbisogni.Vacancy
	ident     string // the posting's own identifier, "" if none
	place     string // place of work as published
	province  string // province hint as published (code, abbreviation or name)
	canonical string // canonical URL, if the page gives one
	via       string // "json-ld", "microdata" or "selectors"
}

// ParsePage extracts the vacancies of one HTML page: schema.org JobPosting
// JSON-LD first, then microdata, then the CSS selectors. body may be in any
// charset a page declares (or Windows-1252 when undeclared and not UTF-8).
// Each vacancy's ID is the posting's own identifier or, without one, "url-"
// plus a hash of the canonical URL's path and query; Crawl prefixes it with
// the source name.
// Places are as published (not coded: that needs the Gazetteer, see
// Crawler.Page). A page without a vacancy returns an empty slice and nil; a
// page that cannot be read at all is an EInvalid error naming the URL.
func ParsePage(pageURL string, body []byte, sel Selectors) ([]fabbisogni.Vacancy, error) {
	ps, err := parsePostings(pageURL, body, "", sel)
	if err != nil {
		return nil, err
	}
	out := make([]fabbisogni.Vacancy, len(ps))
	for i, p := range ps {
		v := p.v
		v.ID = p.ident
		if v.MunicipalityName == "" {
			v.MunicipalityName = p.place
		}
		out[i] = v
	}
	return out, nil
}

func parsePostings(pageURL string, body []byte, contentType string, sel Selectors) ([]posting, error) {
	body = toUTF8(body, contentType)
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "parse %s: %v", pageURL, err)
	}
	base, _ := url.Parse(pageURL)
	canonical := ""
	if href, ok := doc.Find(`link[rel="canonical"]`).First().Attr("href"); ok && base != nil {
		if cu, err := base.Parse(strings.TrimSpace(href)); err == nil {
			canonical = cu.String()
		}
	}
	ps := jsonLDPostings(doc)
	if len(ps) == 0 {
		ps = microdataPostings(doc, base)
	}
	if len(ps) == 0 {
		ps = selectorPostings(doc.Selection, sel)
	}
	for i := range ps {
		p := &ps[i]
		if p.canonical == "" {
			p.canonical = canonical
		}
		if p.ident == "" && sel.ID != "" {
			p.ident = selectText(doc.Selection, sel.ID)
		}
		p.ident = cleanIdent(p.ident)
		if p.ident == "" {
			key := p.canonical
			if key == "" {
				key = canonicalURL(pageURL)
			}
			if len(ps) > 1 {
				key += "#" + strconv.Itoa(i)
			}
			p.ident = "url-" + shortHash([]byte(urlKey(key)))
		}
		if p.v.Openings <= 0 {
			p.v.Openings = 1
		}
	}
	return ps, nil
}

var identClean = regexp.MustCompile(`^(?i)(rif\.?|ref\.?|riferimento|codice|id)\s*[:.]?\s*`)

func cleanIdent(s string) string {
	s = strings.TrimSpace(identClean.ReplaceAllString(strings.TrimSpace(s), ""))
	return strings.Join(strings.Fields(s), "-")
}

// canonicalURL drops the fragment and a trailing "index.html"-free form is
// kept as is; scheme and host are lower-cased.
func canonicalURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Fragment = ""
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return u.String()
}

// urlKey is the part of a URL that identifies a page within a source: path
// and query. Scheme and host are left out so that an id survives a move to
// https or a new host name (the source name already scopes the id).
func urlKey(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	k := u.EscapedPath()
	if u.RawQuery != "" {
		k += "?" + u.RawQuery
	}
	return k
}

func shortHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

func contentHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:16])
}

// ---- JSON-LD ----

func jsonLDPostings(doc *goquery.Document) []posting {
	var roots []any
	doc.Find(`script[type="application/ld+json"], script[type="application/json+ld"]`).Each(func(_ int, s *goquery.Selection) {
		if v, ok := decodeJSONLD(s.Text()); ok {
			roots = append(roots, v)
		}
	})
	return postingsFromJSONLD(roots)
}

// decodeJSONLD decodes one script body, tolerating raw control characters
// inside strings and HTML comment wrappers, which real pages carry.
func decodeJSONLD(s string) (any, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "<!--")
	s = strings.TrimSuffix(s, "-->")
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), ";"))
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return v, true
	}
	if err := json.Unmarshal(escapeControls(s), &v); err == nil {
		return v, true
	}
	return nil, false
}

// escapeControls escapes raw control characters inside JSON strings.
func escapeControls(s string) []byte {
	var b bytes.Buffer
	in, esc := false, false
	for _, r := range s {
		switch {
		case esc:
			esc = false
		case in && r == '\\':
			esc = true
		case r == '"':
			in = !in
		case in && r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.Bytes()
}

func postingsFromJSONLD(roots []any) []posting {
	ids := map[string]map[string]any{}
	var jobs []map[string]any
	var walk func(v any, depth int)
	walk = func(v any, depth int) {
		if depth > 32 {
			return
		}
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, depth+1)
			}
		case map[string]any:
			if id, ok := x["@id"].(string); ok && len(x) > 1 {
				if _, dup := ids[id]; !dup {
					ids[id] = x
				}
			}
			if hasType(x, "JobPosting") {
				jobs = append(jobs, x)
			}
			for k, e := range x {
				if k != "@context" {
					walk(e, depth+1)
				}
			}
		}
	}
	for _, r := range roots {
		walk(r, 0)
	}
	resolve := func(v any) any {
		if m, ok := v.(map[string]any); ok && len(m) == 1 {
			if id, ok := m["@id"].(string); ok {
				if full, ok := ids[id]; ok {
					return full
				}
			}
		}
		return v
	}
	out := make([]posting, 0, len(jobs))
	for _, j := range jobs {
		p := postingFromMap(j, resolve)
		p.via = "json-ld"
		out = append(out, p)
	}
	return out
}

func hasType(m map[string]any, t string) bool {
	match := func(s string) bool {
		s = strings.TrimSuffix(s, "/")
		if i := strings.LastIndexAny(s, "/:"); i >= 0 {
			s = s[i+1:]
		}
		return strings.EqualFold(s, t)
	}
	switch x := m["@type"].(type) {
	case string:
		return match(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && match(s) {
				return true
			}
		}
	}
	return false
}

// postingFromMap maps a schema.org JobPosting (from JSON-LD or microdata).
func postingFromMap(j map[string]any, resolve func(any) any) posting {
	var p posting
	v := &p.v
	v.Title = oneLine(str(j["title"], resolve))
	if v.Title == "" {
		v.Title = oneLine(str(j["name"], resolve))
	}
	v.Description = richText(str(j["description"], resolve))
	p.ident = identOf(j["identifier"], resolve)
	p.canonical = str(j["url"], resolve)
	v.FirmName = oneLine(nameOf(j["hiringOrganization"], resolve))
	p.place, p.province = placeOf(j["jobLocation"], resolve)
	if t, err := ParseDate(str(j["datePosted"], resolve)); err == nil {
		v.DatePosted = t
	}
	if t, err := ParseDate(str(j["validThrough"], resolve)); err == nil {
		v.ValidThrough = t
	}
	v.EmploymentType = strings.Join(strs(j["employmentType"], resolve), ", ")
	v.OccupationalCategory = strings.Join(strs(j["occupationalCategory"], resolve), ", ")
	v.Openings = firstInt(str(j["totalJobOpenings"], resolve))
	for _, s := range strs(j["skills"], resolve) {
		v.PublishedSkills = append(v.PublishedSkills, splitList(s)...)
	}
	salaryOf(j["baseSalary"], resolve, v)
	return p
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// str reads a text value: a string, a number, {"@value"}, {"name"},
// {"value"}, or the first of an array.
func str(v any, resolve func(any) any) string {
	v = resolve(v)
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		for _, k := range []string{"@value", "name", "value", "codeValue"} {
			if s := str(x[k], resolve); s != "" {
				return s
			}
		}
	case []any:
		for _, e := range x {
			if s := str(e, resolve); s != "" {
				return s
			}
		}
	}
	return ""
}

// strs reads every text value of a property.
func strs(v any, resolve func(any) any) []string {
	v = resolve(v)
	if a, ok := v.([]any); ok {
		var out []string
		for _, e := range a {
			if s := str(e, resolve); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	if s := str(v, resolve); s != "" {
		return []string{s}
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range regexp.MustCompile(`[,;\n•]+`).Split(s, -1) {
		part = oneLine(strings.TrimLeft(strings.TrimSpace(part), "-* "))
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func identOf(v any, resolve func(any) any) string {
	v = resolve(v)
	switch x := v.(type) {
	case map[string]any:
		if s := str(x["value"], resolve); s != "" {
			return s
		}
		return str(x["@id"], resolve)
	default:
		return str(v, resolve)
	}
}

func nameOf(v any, resolve func(any) any) string {
	v = resolve(v)
	switch x := v.(type) {
	case map[string]any:
		if s := str(x["name"], resolve); s != "" {
			return s
		}
		return str(x["legalName"], resolve)
	case []any:
		for _, e := range x {
			if s := nameOf(e, resolve); s != "" {
				return s
			}
		}
		return ""
	}
	return str(v, resolve)
}

// placeOf reads jobLocation: a Place (or array of them) with an address
// that is a PostalAddress or a string.
func placeOf(v any, resolve func(any) any) (place, province string) {
	v = resolve(v)
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if p, pr := placeOf(e, resolve); p != "" {
				return p, pr
			}
		}
	case string:
		return oneLine(x), ""
	case map[string]any:
		if hasType(x, "PostalAddress") {
			return oneLine(str(x["addressLocality"], resolve)), oneLine(str(x["addressRegion"], resolve))
		}
		addr := resolve(x["address"])
		switch a := addr.(type) {
		case map[string]any:
			return oneLine(str(a["addressLocality"], resolve)), oneLine(str(a["addressRegion"], resolve))
		case string:
			return oneLine(a), ""
		}
		return oneLine(str(x["name"], resolve)), ""
	}
	return "", ""
}

func salaryOf(v any, resolve func(any) any, out *fabbisogni.Vacancy) {
	v = resolve(v)
	switch x := v.(type) {
	case float64:
		out.SalaryMin, out.SalaryMax = x, x
	case string:
		if f, ok := parseAmount(x); ok {
			out.SalaryMin, out.SalaryMax = f, f
		}
	case map[string]any:
		out.SalaryCurrency = strings.ToUpper(str(x["currency"], resolve))
		val := resolve(x["value"])
		if m, ok := val.(map[string]any); ok {
			lo, okLo := parseAmount(str(m["minValue"], resolve))
			hi, okHi := parseAmount(str(m["maxValue"], resolve))
			one, okOne := parseAmount(str(m["value"], resolve))
			switch {
			case okLo || okHi:
				if !okLo {
					lo = hi
				}
				if !okHi {
					hi = lo
				}
				out.SalaryMin, out.SalaryMax = lo, hi
			case okOne:
				out.SalaryMin, out.SalaryMax = one, one
			}
			out.SalaryUnit = strings.ToUpper(str(m["unitText"], resolve))
		} else if f, ok := parseAmount(str(val, resolve)); ok {
			out.SalaryMin, out.SalaryMax = f, f
		}
		if u := strings.ToUpper(str(x["unitText"], resolve)); u != "" && out.SalaryUnit == "" {
			out.SalaryUnit = u
		}
	}
	if out.SalaryMin == 0 && out.SalaryMax == 0 {
		out.SalaryCurrency, out.SalaryUnit = "", ""
	}
}

// parseAmount reads "1700", "1.700,50", "1,700.50", "€ 1.700".
func parseAmount(s string) (float64, bool) {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if (r >= '0' && r <= '9') || r == '.' || r == ',' {
			return r
		}
		return -1
	}, s))
	if s == "" {
		return 0, false
	}
	lastDot, lastComma := strings.LastIndexByte(s, '.'), strings.LastIndexByte(s, ',')
	switch {
	case lastComma > lastDot: // Italian: 1.700,50
		s = strings.ReplaceAll(s, ".", "")
		s = strings.Replace(s, ",", ".", 1)
	case lastDot > lastComma && lastComma >= 0: // 1,700.50
		s = strings.ReplaceAll(s, ",", "")
	case lastDot < 0 && lastComma >= 0 && (strings.Count(s, ",") > 1 || len(s)-lastComma-1 == 3):
		s = strings.ReplaceAll(s, ",", "") // 1,700: thousands
	case lastComma < 0 && lastDot >= 0 && (strings.Count(s, ".") > 1 || len(s)-lastDot-1 == 3):
		s = strings.ReplaceAll(s, ".", "") // 1.700 and 1.700.000: thousands
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, false
	}
	return f, true
}

var reInt = regexp.MustCompile(`\d+`)

func firstInt(s string) int {
	m := reInt.FindString(s)
	if m == "" || len(m) > 6 {
		return 0
	}
	return atoi(m)
}

// ---- selectors ----

func selectorPostings(doc *goquery.Selection, sel Selectors) []posting {
	if sel.Title == "" {
		return nil
	}
	title := selectText(doc, sel.Title)
	if title == "" {
		return nil
	}
	p := posting{via: "selectors"}
	v := &p.v
	v.Title = title
	if sel.Description != "" {
		css, _ := splitSelector(sel.Description)
		v.Description = nodesText(doc.Find(css))
	}
	v.FirmName = selectText(doc, sel.Firm)
	p.place = selectText(doc, sel.Place)
	p.province = selectText(doc, sel.Province)
	if t, err := ParseDate(selectText(doc, sel.DatePosted)); err == nil {
		v.DatePosted = t
	}
	if t, err := ParseDate(selectText(doc, sel.ValidThrough)); err == nil {
		v.ValidThrough = t
	}
	v.EmploymentType = selectText(doc, sel.EmploymentType)
	v.Openings = firstInt(selectText(doc, sel.Openings))
	v.PublishedSkills = selectAll(doc, sel.Skills)
	return []posting{p}
}
