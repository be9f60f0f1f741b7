package survey_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/xuri/excelize/v2"
)

// benchRow is row i of a generated export: every row a different firm
// (partita IVA built from i with its check digit), cycling through real
// municipalities, ATECO codes and needs.
func benchRow(i int) []string {
	base := fmt.Sprintf("%07d%s", i+1, []string{"001", "096", "004"}[i%3])
	sum := 0
	for k := 0; k < 10; k++ {
		d := int(base[k] - '0')
		if k%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	piva := base + fmt.Sprint((10-sum%10)%10)
	town := []string{"Moncalieri", "Biella", "Fossano", "Rivoli", "Cossato", "Alba"}[i%6]
	ateco := []string{"29.32.09", "13.20.00", "10.51.20", "25.62.00", "13.30.00", "11.02.10"}[i%6]
	occ := []string{"Operatore CNC", "Tessitore", "Casaro", "Saldatore", "Tintore", "Cantiniere"}[i%6]
	return []string{
		fmt.Sprintf("Azienda %d S.r.l.", i), piva, ateco, town, "Raggiunta",
		fmt.Sprintf("%02d/%02d/2026", 1+i%28, 1+i%10), "Telefono", occ, fmt.Sprint(1 + i%4), "entro 3 mesi",
		"competenze tecniche, chiedere al sig. Quagliotti", "Media", "Ermanno Quagliotti", "011 555 0101", "e.q@example.it",
	}
}

var benchHeader = []string{"Ragione sociale", "Partita IVA", "Codice ATECO", "Comune", "Esito contatto", "Data contatto", "Canale", "Figura professionale ricercata", "N. assunzioni previste", "Entro quando / Periodo", "Competenze richieste", "Difficoltà di reperimento", "Referente", "Telefono", "Email"}

var benchFiles sync.Map // "csv-100000" -> path

func benchFile(b *testing.B, kind string, rows int) string {
	b.Helper()
	key := fmt.Sprintf("%s-%d", kind, rows)
	if p, ok := benchFiles.Load(key); ok {
		return p.(string)
	}
	dir, err := os.MkdirTemp("", "survey-bench-")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, key+"."+kind)
	switch kind {
	case "csv":
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		w.WriteString(strings.Join(benchHeader, ";") + "\n")
		for i := 0; i < rows; i++ {
			w.WriteString(strings.Join(benchRow(i), ";") + "\n")
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		f.Close()
	case "xlsx":
		x := excelize.NewFile()
		sw, err := x.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		toAny := func(ss []string) []any {
			out := make([]any, len(ss))
			for i, s := range ss {
				out[i] = s
			}
			return out
		}
		sw.SetRow("A1", toAny(benchHeader))
		for i := 0; i < rows; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := sw.SetRow(cell, toAny(benchRow(i))); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := x.SaveAs(path); err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
	benchFiles.Store(key, path)
	return path
}

// BenchmarkImport imports generated exports of 10,000 and 100,000 rows and
// reports rows per second and the peak live heap seen while importing
// (the live heap after the latest GC, runtime/metrics
// /gc/heap/live:bytes, sampled every 2,000 rows; the reference data loaded
// before the import is part of it): streaming keeps the heap flat as the file
// grows ten times.
func BenchmarkImport(b *testing.B) {
	im := MustImporter(b)
	for _, kind := range []string{"csv", "xlsx"} {
		for _, rows := range []int{10000, 100000} {
			b.Run(fmt.Sprintf("%s/rows=%d", kind, rows), func(b *testing.B) {
				path := benchFile(b, kind, rows)
				st, _ := os.Stat(path)
				b.SetBytes(st.Size())
				var peak uint64
				sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				runtime.GC()
				metrics.Read(sample)
				base := sample[0].Value.Uint64()
				b.ResetTimer()
				for n := 0; n < b.N; n++ {
					seen := 0
					s, err := im.ImportFile(context.Background(), path, func(context.Context, fabbisogni.SurveyRecord) error {
						seen++
						if seen%2000 == 0 {
							metrics.Read(sample)
							peak = max(peak, sample[0].Value.Uint64())
						}
						return nil
					}, nil)
					if err != nil {
						b.Fatal(err)
					}
					if s.Accepted != rows {
						b.Fatalf("accepted %d of %d: %+v", s.Accepted, rows, s)
					}
				}
				b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
				b.ReportMetric(float64(base)/(1<<20), "base-heap-MB")
			})
		}
	}
}
