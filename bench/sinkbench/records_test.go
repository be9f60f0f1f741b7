package main

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

func TestVacancyIsValidWithOffsetsIntoText(t *testing.T) {
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := range 500 {
		v := vacancy(rand.New(rand.NewPCG(6, uint64(i))), "v-test", at)
		if err := v.Validate(); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if n := len(v.Extraction.Skills); n < 3 || n > 6 {
			t.Fatalf("record %d: %d skills, want 3-6", i, n)
		}
		text := v.Text()
		for _, s := range v.Extraction.Skills {
			if s.Start < 0 || s.End > len(text) || text[s.Start:s.End] != s.Text {
				t.Fatalf("record %d: skill %s at [%d,%d) does not match %q", i, s.URI, s.Start, s.End, s.Text)
			}
		}
	}
}

func TestVacancyIsDeterministic(t *testing.T) {
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	a := vacancy(rand.New(rand.NewPCG(6, 42)), "v-42", at)
	b := vacancy(rand.New(rand.NewPCG(6, 42)), "v-42", at)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed, different records: the sink and the engine would not load the same data")
	}
}

// The sink decodes vacancies.enriched with the pipeline's JSON contract:
// what the benchmark produces must come back as the same Vacancy.
func TestEnrichedRecordRoundTrips(t *testing.T) {
	at := time.Date(2026, 11, 1, 8, 0, 0, 123456789, time.UTC)
	v := vacancy(rand.New(rand.NewPCG(6, 7)), "v-7", at)
	b, err := json.Marshal(&v)
	if err != nil {
		t.Fatal(err)
	}
	var got fabbisogni.Vacancy
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Fatalf("round trip changed the record:\n got %+v\nwant %+v", got, v)
	}
}

func TestFlatJSONHasTheKafkaTableColumnsInOrder(t *testing.T) {
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	v := vacancy(rand.New(rand.NewPCG(6, 3)), "v-3", at)
	line, err := flatJSON(&v)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(line), "}\n") || strings.Count(string(line), "\n") != 1 {
		t.Fatalf("not one newline-terminated JSON row: %q", line)
	}
	dec := json.NewDecoder(strings.NewReader(string(line)))
	if _, err := dec.Token(); err != nil { // {
		t.Fatal(err)
	}
	var keys []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
		if string(skip) == "null" {
			t.Errorf("column %s is null: JSONEachRow in 18.16 cannot read null into a non-Nullable column", k)
		}
	}
	var cols []string
	for _, c := range strings.Split(flatColumns, ",") {
		if f := strings.Fields(c); len(f) > 0 && !strings.HasPrefix(f[0], "String)") {
			cols = append(cols, f[0])
		}
	}
	if !reflect.DeepEqual(keys, cols) {
		t.Fatalf("flat row keys\n %v\ndiffer from the Kafka table's columns\n %v", keys, cols)
	}
	var row flatRow
	if err := json.Unmarshal(line, &row); err != nil {
		t.Fatal(err)
	}
	n := len(v.Extraction.Skills)
	if len(row.SkillURI) != n || len(row.SkillStart) != n || len(row.SkillScore) != n || len(row.SkillRequired) != n {
		t.Fatalf("skill arrays not parallel to the %d mentions: %+v", n, row)
	}
	if row.Version != uint64(v.Provenance.FetchedAt.UnixNano()) || row.ISCO != v.Extraction.Occupations[0].ISCO {
		t.Fatalf("version or isco not mapped as the warehouse maps them: %+v", row)
	}
}

func TestEngineBlockDividesTheLoad(t *testing.T) {
	for _, tc := range []struct{ n, want int }{
		{2_000_000, 62_500},
		{100_000, 50_000},
		{20_000, 20_000},
		{65_536, 65_536},
		{65_537, 1}, // prime
		{1, 1},
	} {
		if got := engineBlock(tc.n); got != tc.want {
			t.Errorf("engineBlock(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}
