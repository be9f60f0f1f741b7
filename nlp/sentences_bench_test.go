package nlp

import (
	"testing"

	"github.com/jdkato/prose/v3/segment"
)

// BenchmarkProseSegment measures prose v3's sentence segmenter alone on the
// Lazio and SkillSpan texts: what splitting sentences with prose would add to
// every Extract call (see doc.go, "Sentences").
func BenchmarkProseSegment(b *testing.B) {
	seg, err := segment.New()
	if err != nil {
		b.Fatal(err)
	}
	for _, set := range []struct {
		name string
		docs []string
	}{{"lazio", func() []string {
		var out []string
		for _, d := range lazioTexts(b) {
			out = append(out, d[0]+"\n"+d[1])
		}
		return out
	}()}, {"skillspan", skillspanTexts(b)}} {
		b.Run(set.name, func(b *testing.B) {
			n := 0
			for _, d := range set.docs {
				n += len(d)
			}
			b.SetBytes(int64(n))
			c0 := cpuSeconds()
			for b.Loop() {
				for _, d := range set.docs {
					seg.Segment(d)
				}
			}
			b.ReportMetric(float64(n*b.N)/1e6/(cpuSeconds()-c0), "MB/cpu-s")
		})
	}
}
