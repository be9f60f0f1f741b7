package forecast

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// JOLTS file names inside the series folder of the reference data.
const (
	JOLTSOpeningsFile = "jolts-job-openings.txt"
	JOLTSIndustryFile = "jolts-industry.txt"
)

// joltsRegions names the 2-character region codes of JOLTS series ids.
var joltsRegions = map[string]string{"00": "US", "NE": "Northeast", "MW": "Midwest", "SO": "South", "WE": "West"}

// LoadJOLTS reads the BLS JOLTS job-openings extract in dir
// (jolts-job-openings.txt, tab separated and space padded, columns
// series_id, year, period, value, footnote_codes) and returns the
// not-seasonally-adjusted level series, in thousands of openings: series
// ids JTU<industry><region>JOL. Those are the ones a forecaster of raw
// monthly hiring counts faces (seasonal, trending, never negative);
// the seasonally adjusted (JTS) and rate (…JOR) series are skipped.
//
// Keys are the series ids followed by the industry name from
// jolts-industry.txt and the region, for example
// "JTU00000000JOL Total nonfarm, US". Series are sorted by id. A malformed
// line is reported in a LineErrors naming file and line; the rest load.
func LoadJOLTS(dir string) ([]Series, error) {
	names, err := loadJOLTSIndustries(filepath.Join(dir, JOLTSIndustryFile))
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, JOLTSOpeningsFile)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("forecast: load jolts: %w", err)
	}
	defer f.Close()

	type obs struct {
		month time.Time
		value float64
		line  int
	}
	byID := map[string][]obs{}
	var bad LineErrors
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		if line == 1 {
			continue // header
		}
		text := sc.Text()
		if strings.TrimSpace(text) == "" {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) < 4 {
			bad = append(bad, fmt.Errorf("forecast: %s line %d: %d fields, want 4 or 5", path, line, len(fields)))
			continue
		}
		id := strings.TrimSpace(fields[0])
		if len(id) != 14 || !strings.HasPrefix(id, "JTU") || !strings.HasSuffix(id, "JOL") {
			continue // seasonally adjusted or rate series
		}
		period := strings.TrimSpace(fields[2])
		year, err1 := strconv.Atoi(strings.TrimSpace(fields[1]))
		mon, err2 := strconv.Atoi(strings.TrimPrefix(period, "M"))
		if err1 != nil || err2 != nil || !strings.HasPrefix(period, "M") || mon < 1 || mon > 12 {
			if period == "M13" {
				continue // annual average
			}
			bad = append(bad, fmt.Errorf("forecast: %s line %d: series %s: bad year %q or period %q", path, line, id, fields[1], fields[2]))
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(fields[3]), 64)
		if err != nil {
			bad = append(bad, fmt.Errorf("forecast: %s line %d: series %s %d-%02d: bad value %q", path, line, id, year, mon, fields[3]))
			continue
		}
		byID[id] = append(byID[id], obs{time.Date(year, time.Month(mon), 1, 0, 0, 0, 0, time.UTC), v, line})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("forecast: load jolts: %s line %d: %w", path, line, err)
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Series, 0, len(ids))
next:
	for _, id := range ids {
		o := byID[id]
		sort.SliceStable(o, func(i, j int) bool { return o[i].month.Before(o[j].month) })
		s := Series{Key: joltsKey(id, names), Start: o[0].month}
		for i, p := range o {
			if i > 0 && monthsBetween(o[i-1].month, p.month) != 1 {
				bad = append(bad, fmt.Errorf("forecast: %s line %d: series %s: month %s does not follow %s", path, p.line, id, p.month.Format("2006-01"), o[i-1].month.Format("2006-01")))
				continue next
			}
			s.Values = append(s.Values, p.value)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("forecast: load jolts: %s: no not-seasonally-adjusted level series (JTU…JOL)", path)
	}
	if len(bad) > 0 {
		return out, bad
	}
	return out, nil
}

func joltsKey(id string, names map[string]string) string {
	ind, reg := id[3:9], id[9:11]
	name := names[ind]
	if name == "" {
		name = "industry " + ind
	}
	region := joltsRegions[reg]
	if region == "" {
		region = "region " + reg
	}
	return id + " " + name + ", " + region
}

func loadJOLTSIndustries(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("forecast: load jolts industries: %w", err)
	}
	defer f.Close()
	names := map[string]string{}
	sc := bufio.NewScanner(f)
	line := 0
	for sc.Scan() {
		line++
		fields := strings.Split(sc.Text(), "\t")
		if line == 1 || len(fields) < 2 {
			continue
		}
		names[strings.TrimSpace(fields[0])] = strings.TrimSpace(fields[1])
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("forecast: load jolts industries: %s line %d: %w", path, line, err)
	}
	return names, nil
}
