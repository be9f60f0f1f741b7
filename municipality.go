package fabbisogni

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Municipality is an Italian comune as listed by ISTAT.
type Municipality struct {
	Code         string // ISTAT alphanumeric code, 6 digits ("001272" Torino)
	Name         string // Italian name
	ProvinceCode string // ISTAT province code, 3 digits ("001")
	ProvinceName string // "Torino", "Biella"
	ProvinceAbbr string // sigla automobilistica ("TO")
	Region       string
}

// Gazetteer codes place names to ISTAT municipalities, tolerant of case,
// accents, apostrophes and a leading "Comune di". It is safe for concurrent
// use once loaded.
type Gazetteer struct {
	byName    map[string][]Municipality
	byCode    map[string]Municipality
	provinces map[string]string // folded code, abbreviation or name -> province code
}

// LoadGazetteer reads ISTAT's Elenco-comuni-italiani.csv (Latin-1 or UTF-8,
// ';' separated) from path.
func LoadGazetteer(path string) (*Gazetteer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	g, err := ReadGazetteer(f)
	if err != nil {
		return nil, fmt.Errorf("gazetteer %s: %w", path, err)
	}
	return g, nil
}

// ReadGazetteer reads the ISTAT municipality list from r.
func ReadGazetteer(r io.Reader) (*Gazetteer, error) {
	cr := csv.NewReader(latin1Reader(bufio.NewReader(r)))
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.Join(strings.Fields(h), " "))] = i
	}
	find := func(prefix string) (int, error) {
		for h, i := range col {
			if strings.HasPrefix(h, prefix) {
				return i, nil
			}
		}
		return 0, fmt.Errorf("no column starting with %q", prefix)
	}
	var idx [6]int
	for i, p := range []string{"codice comune formato alfanumerico", "denominazione in italiano", "codice provincia", "denominazione dell'unità territoriale sovracomunale", "sigla automobilistica", "denominazione regione"} {
		if idx[i], err = find(p); err != nil {
			return nil, err
		}
	}
	g := &Gazetteer{byName: map[string][]Municipality{}, byCode: map[string]Municipality{}, provinces: map[string]string{}}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", line, err)
		}
		if len(rec) <= idx[5] {
			continue
		}
		m := Municipality{
			Code:         strings.TrimSpace(rec[idx[0]]),
			Name:         strings.TrimSpace(rec[idx[1]]),
			ProvinceCode: strings.TrimSpace(rec[idx[2]]),
			ProvinceName: strings.TrimSpace(rec[idx[3]]),
			ProvinceAbbr: strings.TrimSpace(rec[idx[4]]),
			Region:       strings.TrimSpace(rec[idx[5]]),
		}
		if m.Code == "" || m.Name == "" {
			continue
		}
		g.byCode[m.Code] = m
		for _, p := range []string{m.ProvinceCode, m.ProvinceAbbr, m.ProvinceName} {
			if p != "" {
				g.provinces[PlaceKey(p)] = m.ProvinceCode
			}
		}
		k := PlaceKey(m.Name)
		g.byName[k] = append(g.byName[k], m)
	}
	if len(g.byCode) == 0 {
		return nil, fmt.Errorf("no municipalities")
	}
	return g, nil
}

// Len is the number of municipalities.
func (g *Gazetteer) Len() int { return len(g.byCode) }

// Province returns the ISTAT code of a province given by code ("096"),
// abbreviation ("BI") or name ("Biella"); a trailing "(BI)" in a place name
// is read as the province too, so that a place not in the list (a
// municipality merged away, a hamlet) still lands in its province.
func (g *Gazetteer) Province(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '('); i >= 0 && strings.HasSuffix(s, ")") {
		s = s[i+1 : len(s)-1]
	}
	code, ok := g.provinces[PlaceKey(s)]
	return code, ok
}

// ByCode returns the municipality with the ISTAT code.
func (g *Gazetteer) ByCode(code string) (Municipality, bool) {
	m, ok := g.byCode[code]
	return m, ok
}

// Lookup codes a place name. province, if not empty, disambiguates: a
// province code ("004"), abbreviation ("CN") or name ("Cuneo"). A name shared
// by several municipalities without a deciding province is an EInvalid error
// that lists the candidates; an unknown name is ENotFound. A trailing
// "(TO)" in name is read as the province.
func (g *Gazetteer) Lookup(name, province string) (Municipality, error) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexByte(name, '('); i > 0 && strings.HasSuffix(name, ")") {
		if province == "" {
			province = name[i+1 : len(name)-1]
		}
		name = name[:i]
	}
	k := PlaceKey(name)
	cands := g.byName[k]
	if len(cands) == 0 {
		return Municipality{}, Errorf(ENotFound, "municipality %q: not in the ISTAT list", name)
	}
	if province != "" {
		p := PlaceKey(province)
		var hit []Municipality
		for _, m := range cands {
			if p == m.ProvinceCode || p == strings.ToLower(m.ProvinceAbbr) || p == PlaceKey(m.ProvinceName) {
				hit = append(hit, m)
			}
		}
		if len(hit) == 1 {
			return hit[0], nil
		}
		if len(hit) == 0 && len(cands) == 1 {
			return Municipality{}, Errorf(EInvalid, "municipality %q: in province %s, not %q", name, cands[0].ProvinceAbbr, province)
		}
	}
	if len(cands) == 1 {
		return cands[0], nil
	}
	ps := make([]string, len(cands))
	for i, m := range cands {
		ps[i] = m.Code + " (" + m.ProvinceAbbr + ")"
	}
	return Municipality{}, Errorf(EInvalid, "municipality %q: ambiguous, give the province: %s", name, strings.Join(ps, ", "))
}

// PlaceKey folds a place name for lookup: lower case, accents removed,
// apostrophes, hyphens and dots as spaces, a leading "comune di" dropped,
// spaces collapsed. "Comune di SANT'ANTONINO di Susa" -> "sant antonino di susa".
func PlaceKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := foldAccent[r]; ok {
			r = f
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	k := strings.Join(strings.Fields(b.String()), " ")
	k = strings.TrimPrefix(k, "comune di ")
	return k
}

var foldAccent = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ç': 'c', 'ñ': 'n', 'ß': 's',
}

// latin1Reader passes UTF-8 through and decodes Latin-1 otherwise: each
// chunk that is not valid UTF-8 is read as ISO-8859-1.
func latin1Reader(r *bufio.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		for {
			line, err := r.ReadBytes('\n')
			if len(line) > 0 {
				if !utf8.Valid(line) {
					rs := make([]rune, len(line))
					for i, c := range line {
						rs[i] = rune(c)
					}
					line = []byte(string(rs))
				}
				if _, werr := pw.Write(line); werr != nil {
					return
				}
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				pw.CloseWithError(err)
				return
			}
		}
	}()
	return pr
}
