package fabbisogni

import "strings"

// District is an industrial district: a set of municipalities or provinces
// (ISTAT codes) and the ATECO sector prefixes that make it up.
type District struct {
	Name           string   `json:"name"`
	Label          string   `json:"label,omitempty"`
	Municipalities []string `json:"municipalities,omitempty"` // ISTAT municipality codes (6 digits)
	Provinces      []string `json:"provinces,omitempty"`      // ISTAT province codes (3 digits)
	ATECOPrefixes  []string `json:"ateco_prefixes,omitempty"` // e.g. "29", "13.1"
}

// Validate reports why the district is unusable, or nil.
func (d *District) Validate() error {
	if d.Name == "" {
		return Errorf(EInvalid, "district: missing name")
	}
	if len(d.Municipalities) == 0 && len(d.Provinces) == 0 {
		return Errorf(EInvalid, "district %s: no municipalities or provinces", d.Name)
	}
	return nil
}

// Contains reports whether the municipality (or, failing that, the province)
// lies in the district.
func (d *District) Contains(municipality, province string) bool {
	for _, m := range d.Municipalities {
		if m == municipality && m != "" {
			return true
		}
	}
	if province == "" && len(municipality) == 6 {
		province = municipality[:3]
	}
	for _, p := range d.Provinces {
		if p == province && p != "" {
			return true
		}
	}
	return false
}

// MatchesSector reports whether an ATECO code falls in the district's
// sectors; a district without prefixes matches every sector.
func (d *District) MatchesSector(ateco string) bool {
	if len(d.ATECOPrefixes) == 0 {
		return true
	}
	for _, p := range d.ATECOPrefixes {
		if strings.HasPrefix(ateco, p) {
			return true
		}
	}
	return false
}

// Districts is an ordered set of districts; the first that contains a place
// wins.
type Districts []District

// Locate returns the name of the first district containing the place, or "".
func (ds Districts) Locate(municipality, province string) string {
	for i := range ds {
		if ds[i].Contains(municipality, province) {
			return ds[i].Name
		}
	}
	return ""
}

// DefaultDistricts are the three districts the product ships with. Codes are
// ISTAT municipality codes as in Elenco-comuni-italiani.csv (province code +
// progressive number): Torino 001, Biella 096, Cuneo 004.
func DefaultDistricts() Districts {
	return Districts{
		{Name: "torino-automotive", Label: "Automotive, area torinese", Provinces: []string{"001"}, ATECOPrefixes: []string{"28", "29", "30", "25", "22", "27"}},
		{Name: "biella-tessile", Label: "Tessile, distretto biellese", Provinces: []string{"096"}, ATECOPrefixes: []string{"13", "14", "15"}},
		{Name: "cuneo-agroalimentare", Label: "Agroalimentare, Cuneo e Fossano", Provinces: []string{"004"}, ATECOPrefixes: []string{"01", "10", "11"}},
	}
}
