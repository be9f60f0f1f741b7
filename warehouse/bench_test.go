package warehouse_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
)

// BenchmarkInsertVacancies inserts batches of 10,000 enriched vacancies
// (three skill mentions each) into the real ClickHouse:
//
//	FABBISOGNI_TEST_CLICKHOUSE=127.0.0.1:19000 go test -run XXX -bench InsertVacancies ./warehouse/
func BenchmarkInsertVacancies(b *testing.B) {
	w := testservers.Warehouse(b)
	const n = 10000
	batch := make([]fabbisogni.Vacancy, n)
	t0 := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	for i := range batch {
		v := sampleVacancy(fmt.Sprintf("bench-%06d", i), t0)
		v.Extraction.Skills = append(v.Extraction.Skills, v.Extraction.Skills[0], v.Extraction.Skills[0])
		v.Extraction.Skills[1].Start, v.Extraction.Skills[2].Start = 40, 60
		batch[i] = v
	}
	b.ResetTimer()
	for b.Loop() {
		if err := w.InsertVacancies(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "vacancies/s")
}
