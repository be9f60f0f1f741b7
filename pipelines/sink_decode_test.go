package pipelines

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// TestSinkDecodeReusesNothingStale: the sink decodes batch after batch into
// the same slots (vacancies, extractions, skill mentions); every record
// comes out exactly as encoded, whatever the record decoded before it into
// the same slot held, with more skills than a slot has room for, without
// an extraction, or after a record that failed to decode.
func TestSinkDecodeReusesNothingStale(t *testing.T) {
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	full := func(id string, skills int) fabbisogni.Vacancy {
		v := fabbisogni.Vacancy{ID: id, Title: "Saldatore", Description: "saldatura", FirmName: "Rossi", Openings: 2, DatePosted: at,
			Provenance: fabbisogni.Provenance{Source: "s", FetchedAt: at},
			Extraction: &fabbisogni.Extraction{ID: id, Language: "it", ISCOGroup: &fabbisogni.ISCOGroup{Code: "72", Score: 0.5},
				Occupations:     []fabbisogni.OccupationMatch{{URI: "o1", ISCO: "7212", Label: "saldatore", Score: 0.9}, {URI: "o2"}, {URI: "o3"}},
				Attributes:      fabbisogni.Attributes{Contract: []string{"tempo_determinato"}, EQF: 3, Forklift: true, Shifts: true, Languages: []fabbisogni.LanguageLevel{{Language: "en", CEFR: "B1"}}},
				TaxonomyVersion: "t", ExtractorVersion: "e"}}
		for j := 0; j < skills; j++ {
			v.Extraction.Skills = append(v.Extraction.Skills, fabbisogni.SkillMention{URI: fmt.Sprintf("s%d", j), Label: "l", Text: "x", Start: j, End: j + 1,
				Required: true, Preferred: true, Negated: true, Ambiguous: []string{"a"}, Score: 0.5, SkillType: "knowledge"})
		}
		return v
	}
	sparse := func(id string) fabbisogni.Vacancy {
		return fabbisogni.Vacancy{ID: id, Title: "t", Openings: 1, Provenance: fabbisogni.Provenance{Source: "s", FetchedAt: at},
			Extraction: &fabbisogni.Extraction{Skills: []fabbisogni.SkillMention{{URI: "u", Start: 1, End: 2}}}}
	}
	batches := [][]fabbisogni.Vacancy{
		{full("a1", 3), full("a2", 6), full("a3", 9), full("a4", 1), full("a5", 4), full("a6", 2)}, // as many records as the next: the same arrays
		{sparse("b1"), {ID: "b2", Title: "t", Provenance: fabbisogni.Provenance{Source: "s", FetchedAt: at}}, sparse("b3"), sparse("b4"), full("b5", 2)},
		{{ID: "c1", Title: "t"}, full("c2", 7)},
	}
	st, err := NewSinkStage(StageConfig{Brokers: []string{"unused"}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for bi, vs := range batches {
		var batch []kafka.Message
		for i, v := range vs {
			if bi == 1 && i == 1 {
				// a record that fails half-way, into the slot b2 then takes
				batch = append(batch, kafka.Message{Topic: TopicVacanciesEnriched, Value: []byte(`{"id":"bad","extraction":{"id":"x","skills":[{"uri":"stale","preferred":true}],"attributes":{"eqf":"high"}}}`)})
			}
			b, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			batch = append(batch, kafka.Message{Topic: TopicVacanciesEnriched, Value: b})
		}
		s := st.slots[0]
		s.decode(batch)
		if len(s.vs) != len(vs) || len(s.undec) != map[bool]int{true: 1, false: 0}[bi == 1] {
			t.Fatalf("batch %d: %d decoded, %d undecodable", bi, len(s.vs), len(s.undec))
		}
		for i := range vs {
			if !reflect.DeepEqual(s.vs[i], vs[i]) {
				t.Errorf("batch %d record %d:\n got %+v %+v\nwant %+v %+v", bi, i, s.vs[i], s.vs[i].Extraction, vs[i], vs[i].Extraction)
			}
		}
		s.reset()
	}
}
