package forecast

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

func month(s string) time.Time {
	t, err := ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadSeriesCSV(t *testing.T) {
	in := "month,series,value,note\n" +
		"2024-02,b,5,x\n" +
		"2024-01,a,1,\n" +
		"2024-03,a,3.5,\n" +
		"2024-02,a,2,\n"
	got, err := ReadSeriesCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Series{
		{Key: "a", Start: month("2024-01"), Values: []float64{1, 2, 3.5}},
		{Key: "b", Start: month("2024-02"), Values: []float64{5}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	var buf bytes.Buffer
	if err := WriteSeriesCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
	again, err := ReadSeriesCSV(&buf)
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Fatalf("round trip: %+v, %v", again, err)
	}
}

func TestReadSeriesCSVErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		wantErr  []string // substrings of the error
		wantKeys []string // series still returned
	}{
		{"empty", "", []string{"empty input"}, nil},
		{"no value column", "series,month\na,2024-01\n", []string{"line 1", `lacks column "value"`}, nil},
		{"bad month", "series,month,value\na,2024-1x,3\nb,2024-01,1\n", []string{"line 2", `series "a"`, "YYYY-MM"}, []string{"b"}},
		{"bad value", "series,month,value\na,2024-01,three\nc,2024-02,NaN\nb,2024-01,1\na,2024-02,2\n", []string{"line 2", "line 3", "not a finite number"}, []string{"a", "b"}},
		{"duplicate month", "series,month,value\na,2024-01,1\na,2024-01,2\nb,2024-01,1\n", []string{"line 3", "repeats line 2"}, []string{"b"}},
		{"gap", "series,month,value\na,2024-01,1\na,2024-04,2\n", []string{"line 3", "2024-02 to 2024-03 missing"}, []string{}},
		{"short row", "series,month,value\na,2024-01\nb,2024-01,1\n", []string{"line 2", "2 fields"}, []string{"b"}},
		{"empty name", "series,month,value\n ,2024-01,1\n", []string{"line 2", "empty series name"}, []string{}},
		{"bad quote", "series,month,value\n\"a,2024-01,1\nb,2024-01,1\n", []string{"line"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadSeriesCSV(strings.NewReader(tc.in))
			if err == nil {
				t.Fatalf("no error, series %+v", got)
			}
			for _, w := range tc.wantErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tc.wantKeys != nil {
				var le LineErrors
				if !errors.As(err, &le) {
					t.Errorf("error %T is not LineErrors", err)
				}
				keys := []string{}
				for _, s := range got {
					keys = append(keys, s.Key)
				}
				if !reflect.DeepEqual(keys, tc.wantKeys) {
					t.Errorf("series %v, want %v", keys, tc.wantKeys)
				}
			}
		})
	}
}

func FuzzReadSeriesCSV(f *testing.F) {
	f.Add("series,month,value\na,2024-01,1\na,2024-02,2\n")
	f.Add("month,value,series\n2024-01,1,a\n2023-12,-1e3,a\n")
	f.Add("series,month,value\n\"a\"\"b\",2024-01,1\n")
	f.Add("series,month,value\na,2024-01,1\na,2024-03,1\n")
	f.Fuzz(func(t *testing.T, in string) {
		got, err := ReadSeriesCSV(strings.NewReader(in))
		seen := map[string]bool{}
		for i, s := range got {
			if len(s.Values) == 0 {
				t.Fatalf("series %q empty", s.Key)
			}
			if seen[s.Key] || s.Key == "" {
				t.Fatalf("key %q empty or repeated", s.Key)
			}
			seen[s.Key] = true
			if i > 0 && got[i-1].Key >= s.Key {
				t.Fatalf("keys not sorted: %q then %q", got[i-1].Key, s.Key)
			}
			if s.Start.Day() != 1 || s.Start.Location() != time.UTC {
				t.Fatalf("start %v not a UTC month", s.Start)
			}
		}
		if err == nil {
			var buf bytes.Buffer
			if werr := WriteSeriesCSV(&buf, got); werr != nil {
				t.Fatal(werr)
			}
			again, rerr := ReadSeriesCSV(&buf)
			if rerr != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip: %v\n%+v\n%+v", rerr, got, again)
			}
		}
	})
}

func TestLoadJOLTS(t *testing.T) {
	dir := filepath.Join(testenv.SharedData(t), "series")
	got, err := LoadJOLTS(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 32 {
		t.Fatalf("%d series, want the 32 not-seasonally-adjusted level series", len(got))
	}
	first := got[0]
	if first.Key != "JTU00000000JOL Total nonfarm, US" {
		t.Errorf("first key %q", first.Key)
	}
	if !first.Start.Equal(month("2000-12")) || len(first.Values) != 233 {
		t.Errorf("first series starts %v with %d months, want 2000-12 and 233", first.Start, len(first.Values))
	}
	if first.Values[0] != 4335 || first.Values[1] != 5592 {
		t.Errorf("first values %v, want 4335 5592 (file lines 14914-14915)", first.Values[:2])
	}
	for _, s := range got {
		if !strings.HasPrefix(s.Key, "JTU") || !strings.Contains(s.Key, "JOL ") {
			t.Errorf("key %q is not a JTU…JOL series", s.Key)
		}
		if strings.Contains(s.Key, "industry ") || strings.Contains(s.Key, "region ") {
			t.Errorf("key %q lacks a name", s.Key)
		}
	}
}

func TestLoadJOLTSErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadJOLTS(dir); err == nil || !strings.Contains(err.Error(), JOLTSIndustryFile) {
		t.Fatalf("missing files: %v", err)
	}
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(JOLTSIndustryFile, "industry_code\tindustry_text\n000000\tTotal nonfarm\n")
	write(JOLTSOpeningsFile, "series_id\tyear\tperiod\tvalue\tfootnote_codes\n"+
		"JTU00000000JOL   \t2001\tM01\t  10\t\n"+
		"JTU00000000JOL   \t2001\tM02\t  x1\t\n"+
		"JTU00000000JOL   \t2001\tM03\t  12\t\n"+
		"JTU000000NEJOL   \t2001\tM01\t  5\t\n"+
		"JTU000000NEJOL   \t2001\tM02\t  6\t\n"+
		"JTS00000000JOL   \t2001\tM01\t  7\t\n"+
		"short line\n")
	got, err := LoadJOLTS(dir)
	var le LineErrors
	if !errors.As(err, &le) {
		t.Fatalf("error %v, want LineErrors", err)
	}
	for _, w := range []string{"line 3", `bad value "  x1"`, "line 4", "2001-03 does not follow 2001-01", "line 8"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	if len(got) != 1 || got[0].Key != "JTU000000NEJOL Total nonfarm, Northeast" || !reflect.DeepEqual(got[0].Values, []float64{5, 6}) {
		t.Fatalf("got %+v", got)
	}
}

func TestLazioSeries(t *testing.T) {
	path := filepath.Join(testenv.SharedData(t), "lazio-cpi", "vacancies-2022-2025.jsonl")
	got, err := LazioSeries(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 44 {
		t.Errorf("%d CPI series, want 44 (45 names less TEST)", len(got))
	}
	var total float64
	for _, s := range got {
		if s.Key == "TEST" {
			t.Error("the TEST record was counted")
		}
		if !s.Start.Equal(got[0].Start) || len(s.Values) != len(got[0].Values) {
			t.Errorf("%q spans %v+%d, want the common span", s.Key, s.Start, len(s.Values))
		}
		for _, v := range s.Values {
			total += v
		}
	}
	if total != 3416 {
		t.Errorf("%v vacancies counted, want 3416 (3417 lines less TEST)", total)
	}
	if !got[0].Start.Equal(month("2022-10")) || !got[0].End().Equal(month("2026-01")) {
		t.Errorf("span %v to %v, want 2022-10 to 2025-12", got[0].Start, got[0].End())
	}
}

func TestLazioSeriesByBadLines(t *testing.T) {
	got, err := LazioSeriesBy(filepath.Join("testdata", "lazio-bad.jsonl"), func(r LazioRecord) string {
		return strings.ToUpper(strings.SplitN(r.Qualifica, " ", 2)[0])
	})
	var le LineErrors
	if !errors.As(err, &le) || len(le) != 2 {
		t.Fatalf("error %v, want 2 line errors", err)
	}
	for _, w := range []string{"lazio-bad.jsonl line 2", "lazio-bad.jsonl line 4", `DataInserimentoISO "2024-13-01"`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q lacks %q", err, w)
		}
	}
	want := []Series{
		{Key: "CUOCHI", Start: month("2024-01"), Values: []float64{1, 0, 1}},
		{Key: "FALEGNAMI", Start: month("2024-01"), Values: []float64{1, 0, 0}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
}
