package warehouse

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/fabbisogni/fabbisogni"
)

// DistrictsFile is the JSON districts configuration (configs/districts.json):
//
//	{
//	  "districts": [
//	    {"name": "torino-automotive", "label": "...", "provinces": ["001"],
//	     "municipalities": ["001272"], "ateco_prefixes": ["29", "28"]}
//	  ],
//	  "province_fallback": true
//	}
//
// Districts are tried in order, the first containing a place wins. With
// ProvinceFallback every Italian province (from the ISTAT list given to
// LoadDistricts) is appended after them as a district of its own named
// "prov-<sigla>" ("prov-to"), with no sector filter, so every place has a
// geography even outside the named districts.
type DistrictsFile struct {
	Districts        []fabbisogni.District `json:"districts"`
	ProvinceFallback bool                  `json:"province_fallback"`
}

// Province is one ISTAT province (or metropolitan city, free consortium).
type Province struct {
	Code   string // 3 digits, "001"
	Name   string // "Torino"
	Abbr   string // "TO"
	Region string // "Piemonte"
}

// ProvinceDistrictName is the name of the fallback district of a province.
func ProvinceDistrictName(p Province) string { return "prov-" + strings.ToLower(p.Abbr) }

// LoadDistricts reads a districts file and, when it asks for the province
// fallback, appends one district per province of the ISTAT municipality list
// at istatPath (Elenco-comuni-italiani.csv). Errors name the file and the
// district (by position and name).
func LoadDistricts(path, istatPath string) (fabbisogni.Districts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("districts: %w", err)
	}
	var f DistrictsFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "districts %s: %v", path, err)
	}
	var provinces []Province
	if f.ProvinceFallback {
		if istatPath == "" {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "districts %s: province_fallback needs the ISTAT municipality list", path)
		}
		pf, err := os.Open(istatPath)
		if err != nil {
			return nil, fmt.Errorf("districts: %w", err)
		}
		defer pf.Close()
		if provinces, err = ReadProvinces(pf); err != nil {
			return nil, fmt.Errorf("districts: provinces from %s: %w", istatPath, err)
		}
	}
	ds, err := BuildDistricts(f, provinces)
	if err != nil {
		return nil, fmt.Errorf("districts %s: %w", path, err)
	}
	return ds, nil
}

// BuildDistricts validates the configured districts (non-empty unique
// names, 6-digit municipality and 3-digit province codes, numeric ATECO
// prefixes) and appends the province fallbacks when f asks for them.
func BuildDistricts(f DistrictsFile, provinces []Province) (fabbisogni.Districts, error) {
	seen := map[string]bool{}
	var out fabbisogni.Districts
	for i, d := range f.Districts {
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("district %d: %w", i+1, err)
		}
		if seen[d.Name] {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "district %d: name %q used twice", i+1, d.Name)
		}
		seen[d.Name] = true
		for _, m := range d.Municipalities {
			if len(m) != 6 || !digits(m) {
				return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "district %d %s: municipality code %q is not 6 digits", i+1, d.Name, m)
			}
		}
		for _, p := range d.Provinces {
			if len(p) != 3 || !digits(p) {
				return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "district %d %s: province code %q is not 3 digits", i+1, d.Name, p)
			}
		}
		for _, a := range d.ATECOPrefixes {
			if a == "" || !digits(strings.ReplaceAll(a, ".", "")) {
				return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "district %d %s: ATECO prefix %q is not a code like 29 or 13.1", i+1, d.Name, a)
			}
		}
		out = append(out, d)
	}
	if f.ProvinceFallback {
		if len(provinces) == 0 {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "province_fallback: no provinces")
		}
		for _, p := range provinces {
			name := ProvinceDistrictName(p)
			if seen[name] {
				continue
			}
			seen[name] = true
			out = append(out, fabbisogni.District{Name: name, Label: "Provincia di " + p.Name, Provinces: []string{p.Code}})
		}
	}
	if len(out) == 0 {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "no districts")
	}
	return out, nil
}

// District returns the district named name.
func District(ds fabbisogni.Districts, name string) (fabbisogni.District, bool) {
	for _, d := range ds {
		if d.Name == name {
			return d, true
		}
	}
	return fabbisogni.District{}, false
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ReadProvinces reads the provinces of ISTAT's Elenco-comuni-italiani.csv
// (';' separated, Latin-1 or UTF-8), sorted by code. The province code is
// the first three digits of the municipality code, as in
// fabbisogni.Municipality.
func ReadProvinces(r io.Reader) ([]Province, error) {
	raw, err := io.ReadAll(bufio.NewReader(r))
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(raw) {
		if raw, err = charmap.ISO8859_1.NewDecoder().Bytes(raw); err != nil {
			return nil, err
		}
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	find := func(prefix string) int {
		for i, h := range header {
			if strings.HasPrefix(strings.ToLower(strings.Join(strings.Fields(h), " ")), prefix) {
				return i
			}
		}
		return -1
	}
	code, name, abbr, region := find("codice comune formato alfanumerico"), find("denominazione dell'unità territoriale sovracomunale"), find("sigla automobilistica"), find("denominazione regione")
	if code < 0 || name < 0 || abbr < 0 || region < 0 {
		return nil, fmt.Errorf("header lacks the municipality code, province name, sigla or region column")
	}
	byCode := map[string]Province{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", line, err)
		}
		if len(rec) <= max(code, name, abbr, region) {
			continue
		}
		c := strings.TrimSpace(rec[code])
		if len(c) != 6 || !digits(c) {
			continue
		}
		p := Province{Code: c[:3], Name: strings.TrimSpace(rec[name]), Abbr: strings.TrimSpace(rec[abbr]), Region: strings.TrimSpace(rec[region])}
		if _, ok := byCode[p.Code]; !ok && p.Abbr != "" {
			byCode[p.Code] = p
		}
	}
	if len(byCode) == 0 {
		return nil, fmt.Errorf("no provinces")
	}
	out := make([]Province, 0, len(byCode))
	for _, p := range byCode {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}
