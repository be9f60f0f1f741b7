package forecast

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Series is a monthly series: Values[i] is the value of the month
// Start + i months. Start is the first day of its month, in UTC.
type Series struct {
	Key    string
	Start  time.Time
	Values []float64
}

// Month returns the first day of the i-th month of s.
func (s Series) Month(i int) time.Time { return addMonths(s.Start, i) }

// End returns the first day of the month after the last value.
func (s Series) End() time.Time { return addMonths(s.Start, len(s.Values)) }

// monthStart truncates t to the first day of its month in UTC.
func monthStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func addMonths(t time.Time, n int) time.Time {
	return time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
}

// monthsBetween returns the number of months from a to b (b-a).
func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

// ParseMonth parses a month written YYYY-MM.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return t, nil
}

// LineErrors lists the input lines (or records) a loader skipped, each
// error naming its line. Loaders return it beside the series built from
// the good lines, so one bad row never loses the batch:
//
//	series, err := ReadSeriesCSV(r)
//	var le LineErrors
//	if errors.As(err, &le) { /* series holds everything else */ }
type LineErrors []error

func (e LineErrors) Error() string {
	if len(e) == 1 {
		return e[0].Error()
	}
	const show = 5
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad lines: ", len(e))
	for i, err := range e {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e)-show)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(err.Error())
	}
	return b.String()
}

// Unwrap lets errors.Is and errors.As see every line's error.
func (e LineErrors) Unwrap() []error { return e }

// ReadSeriesCSV reads monthly series from CSV with a header naming the
// columns series, month and value (in any order; other columns are
// ignored). month is YYYY-MM; rows may come in any order. Every series
// must cover each month from its first to its last exactly once.
//
// A malformed row or series is skipped and reported in a LineErrors
// naming the line (1-based, counting the header); the other series are
// returned, sorted by key. An input with no usable header is an error and
// no series.
func ReadSeriesCSV(r io.Reader) ([]Series, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("forecast: read series csv: empty input, want header series,month,value")
	}
	if err != nil {
		return nil, fmt.Errorf("forecast: read series csv: header: %w", err)
	}
	col := map[string]int{"series": -1, "month": -1, "value": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if j, ok := col[h]; ok && j < 0 {
			col[h] = i
		}
	}
	for _, name := range []string{"series", "month", "value"} {
		if col[name] < 0 {
			return nil, fmt.Errorf("forecast: read series csv: line 1: header %q lacks column %q", strings.Join(header, ","), name)
		}
	}
	type point struct {
		month time.Time
		value float64
		line  int
	}
	var bad LineErrors
	byKey := map[string][]point{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, fmt.Errorf("forecast: series csv line %d: %w", pe.Line, pe.Err))
				continue
			}
			bad = append(bad, fmt.Errorf("forecast: series csv: %w", err))
			break
		}
		line, _ := cr.FieldPos(0)
		need := max(col["series"], col["month"], col["value"])
		if len(rec) <= need {
			bad = append(bad, fmt.Errorf("forecast: series csv line %d: %d fields, want at least %d", line, len(rec), need+1))
			continue
		}
		key := strings.TrimSpace(rec[col["series"]])
		if key == "" {
			bad = append(bad, fmt.Errorf("forecast: series csv line %d: empty series name", line))
			continue
		}
		m, err := ParseMonth(rec[col["month"]])
		if err != nil {
			bad = append(bad, fmt.Errorf("forecast: series csv line %d: series %q: %w", line, key, err))
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(rec[col["value"]]), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			bad = append(bad, fmt.Errorf("forecast: series csv line %d: series %q month %s: value %q is not a finite number", line, key, m.Format("2006-01"), rec[col["value"]]))
			continue
		}
		byKey[key] = append(byKey[key], point{m, v, line})
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]Series, 0, len(keys))
next:
	for _, k := range keys {
		pts := byKey[k]
		sort.SliceStable(pts, func(i, j int) bool { return pts[i].month.Before(pts[j].month) })
		s := Series{Key: k, Start: pts[0].month, Values: make([]float64, 0, len(pts))}
		for i, p := range pts {
			if i > 0 {
				switch d := monthsBetween(pts[i-1].month, p.month); {
				case d == 0:
					bad = append(bad, fmt.Errorf("forecast: series csv line %d: series %q month %s repeats line %d", p.line, k, p.month.Format("2006-01"), pts[i-1].line))
					continue next
				case d > 1:
					bad = append(bad, fmt.Errorf("forecast: series csv line %d: series %q: months %s to %s missing", p.line, k, addMonths(pts[i-1].month, 1).Format("2006-01"), addMonths(p.month, -1).Format("2006-01")))
					continue next
				}
			}
			s.Values = append(s.Values, p.value)
		}
		out = append(out, s)
	}
	if len(bad) > 0 {
		return out, bad
	}
	return out, nil
}

// WriteSeriesCSV writes series in the format ReadSeriesCSV reads.
func WriteSeriesCSV(w io.Writer, series []Series) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"series", "month", "value"}); err != nil {
		return fmt.Errorf("forecast: write series csv: %w", err)
	}
	for _, s := range series {
		for i, v := range s.Values {
			rec := []string{s.Key, s.Month(i).Format("2006-01"), strconv.FormatFloat(v, 'g', -1, 64)}
			if err := cw.Write(rec); err != nil {
				return fmt.Errorf("forecast: write series csv: series %q: %w", s.Key, err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("forecast: write series csv: %w", err)
	}
	return nil
}
