package forecast

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

// LazioRecord is one vacancy of the Lazio CPI listings
// (lazio-cpi/vacancies-2022-2025.jsonl). Null fields read as "".
type LazioRecord struct {
	CPI              string `json:"CPI"`
	RequestID        string `json:"ID_Richiesta"`
	Inserted         string `json:"DataInserimentoISO"` // YYYY-MM-DD
	Expires          string `json:"DataScadenzaISO"`    // YYYY-MM-DD
	Firm             string `json:"Azienda"`
	WorkersRequested int    `json:"NumeroLavoratoriRichiesti"`
	// Qualifica is an ISTAT CP2011 occupation name (not a code), sometimes
	// followed by the firm's own title after " - ". Mapping it to ISCO-08
	// needs the nlp occupation coder.
	Qualifica    string `json:"Qualifica"`
	Mansioni     string `json:"Mansioni"`
	Municipality string `json:"ComuneSedeLavoro"`
	Contract     string `json:"TipoContratto"`
}

// InsertedMonth is the first day of the month the vacancy was published.
func (r LazioRecord) InsertedMonth() (time.Time, error) {
	t, err := time.Parse("2006-01-02", strings.TrimSpace(r.Inserted))
	if err != nil {
		return time.Time{}, fmt.Errorf("DataInserimentoISO %q: want YYYY-MM-DD", r.Inserted)
	}
	return monthStart(t), nil
}

// LazioSeries returns the monthly number of vacancies published by each job
// centre (key: the CPI name as written in the file, e.g. "ROMA OSTIA").
// The listing's single test record (CPI "TEST") is left out. See
// LazioSeriesBy for the span and error handling.
func LazioSeries(path string) ([]Series, error) {
	return LazioSeriesBy(path, func(r LazioRecord) string {
		cpi := strings.TrimSpace(r.CPI)
		if strings.EqualFold(cpi, "TEST") {
			return ""
		}
		return cpi
	})
}

// LazioSeriesBy returns the monthly number of vacancies (records, not
// workers requested) grouped by key(rec), by month of publication. A record
// whose key is "" is left out. Plug in the nlp occupation coder here to get
// series by ISCO major group, e.g. key = rec → isco(rec.Qualifica)[:1].
//
// Every series spans the same months, from the first to the last month of
// publication found in the file (months without vacancies count 0), so the
// series of one file can be summed and reconciled. Lines that are not valid
// JSON or lack a valid publication date are reported in a LineErrors naming
// the file and line; the others are counted.
func LazioSeriesBy(path string, key func(rec LazioRecord) string) ([]Series, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("forecast: lazio series: %w", err)
	}
	defer f.Close()
	var bad LineErrors
	counts := map[string]map[time.Time]float64{}
	var first, last time.Time
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		var rec LazioRecord
		if err := json.Unmarshal(b, &rec); err != nil {
			bad = append(bad, fmt.Errorf("forecast: %s line %d: %w", path, line, err))
			continue
		}
		m, err := rec.InsertedMonth()
		if err != nil {
			bad = append(bad, fmt.Errorf("forecast: %s line %d: request %q: %w", path, line, rec.RequestID, err))
			continue
		}
		k := key(rec)
		if k == "" {
			continue
		}
		if counts[k] == nil {
			counts[k] = map[time.Time]float64{}
		}
		counts[k][m]++
		if first.IsZero() || m.Before(first) {
			first = m
		}
		if m.After(last) {
			last = m
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("forecast: lazio series: %s line %d: %w", path, line+1, err)
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Series, 0, len(keys))
	n := monthsBetween(first, last) + 1
	for _, k := range keys {
		s := Series{Key: k, Start: first, Values: make([]float64, n)}
		for m, c := range counts[k] {
			s.Values[monthsBetween(first, m)] = c
		}
		out = append(out, s)
	}
	if len(bad) > 0 {
		return out, bad
	}
	return out, nil
}
