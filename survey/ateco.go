package survey

import (
	"encoding/xml"
	"fmt"
	"os"
	"strings"
)

// ATECO is the ISTAT ATECO 2007 (2022 update) classification: every code
// from division ("29") to sub-category ("29.32.09") with its Italian title.
// It is safe for concurrent use once loaded.
type ATECO struct {
	titles map[string]string
}

// LoadATECO reads ISTAT's ateco2007-2022.xml (sezione > divisione > gruppo >
// classe > categoria > sottocategoria, each level giving only its own digit).
func LoadATECO(path string) (*ATECO, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("survey: load ateco: %w", err)
	}
	defer f.Close()
	var doc atecoNode
	if err := xml.NewDecoder(f).Decode(&doc); err != nil {
		return nil, fmt.Errorf("survey: load ateco %s: %w", path, err)
	}
	a := &ATECO{titles: map[string]string{}}
	for _, sez := range doc.Sezioni {
		for _, div := range sez.Children {
			a.add(div, strings.TrimSpace(div.Codice), 1)
		}
	}
	if len(a.titles) == 0 {
		return nil, fmt.Errorf("survey: load ateco %s: no codes", path)
	}
	return a, nil
}

type atecoNode struct {
	Codice   string      `xml:"codice"`
	Titolo   string      `xml:"titolo"`
	Sezioni  []atecoNode `xml:"sezione"`
	Children []atecoNode `xml:",any"`
}

// add records node (whose full code is code) and its descendants. level is
// 1 for a division, up to 5 for a sub-category.
func (a *ATECO) add(n atecoNode, code string, level int) {
	if n.Codice == "" {
		return
	}
	a.titles[code] = strings.TrimSpace(n.Titolo)
	for _, c := range n.Children {
		d := strings.TrimSpace(c.Codice)
		switch level {
		case 1, 3: // division -> group ("29" -> "29.3"), class -> category ("29.32" -> "29.32.0")
			a.add(c, code+"."+d, level+1)
		case 2, 4: // group -> class ("29.3" -> "29.32"), category -> sub-category
			a.add(c, code+d, level+1)
		}
	}
}

// Len is the number of codes at every level.
func (a *ATECO) Len() int { return len(a.titles) }

// Lookup normalises an ATECO code as written in exports ("29.32.09",
// "293209", "29.32.9", " 29.32 ") and returns it in dotted form with its
// title; ok is false when the code is malformed or not in the
// classification.
func (a *ATECO) Lookup(code string) (norm, title string, ok bool) {
	norm = normATECO(code)
	if norm == "" {
		return "", "", false
	}
	t, ok := a.titles[norm]
	if !ok {
		return "", "", false
	}
	return norm, t, true
}

// normATECO writes a code as "dd", "dd.d", "dd.dd", "dd.dd.d" or "dd.dd.dd",
// or returns "" when it is not one.
func normATECO(s string) string {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ".")
	var digits string
	switch {
	case len(parts) == 1:
		digits = s
	case len(parts) == 3 && len(parts[2]) == 1 && len(parts[0]) == 2 && len(parts[1]) == 2:
		// "29.32.9": a sub-category written without its leading zero is
		// ambiguous with a category; read it as the category.
		digits = parts[0] + parts[1] + parts[2]
	default:
		for _, p := range parts {
			if p == "" {
				return ""
			}
		}
		digits = strings.Join(parts, "")
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return ""
		}
	}
	if len(digits) == 1 { // "1" for "01" from a spreadsheet that ate the zero
		return ""
	}
	switch len(digits) {
	case 2:
		return digits
	case 3:
		return digits[:2] + "." + digits[2:]
	case 4:
		return digits[:2] + "." + digits[2:]
	case 5:
		return digits[:2] + "." + digits[2:4] + "." + digits[4:]
	case 6:
		return digits[:2] + "." + digits[2:4] + "." + digits[4:]
	}
	return ""
}
