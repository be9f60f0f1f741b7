package nlp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/jdkato/prose/v3"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// lazioTexts returns the Lazio CPI postings as (title, text): the firm's own
// title after " - " in Qualifica, and Mansioni.
func lazioTexts(tb testing.TB) [][2]string {
	tb.Helper()
	f, err := os.Open(filepath.Join(testenv.SharedData(tb), "lazio-cpi", "vacancies-2022-2025.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r struct {
			Qualifica string  `json:"Qualifica"`
			Mansioni  *string `json:"Mansioni"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		title := ""
		if _, after, ok := strings.Cut(r.Qualifica, " - "); ok {
			title = after
		}
		text := ""
		if r.Mansioni != nil {
			text = *r.Mansioni
		}
		if title != "" || text != "" {
			out = append(out, [2]string{title, text})
		}
	}
	return out
}

// skillspanTexts rebuilds the SkillSpan dev postings as text (tokens joined
// by spaces, one sentence a line, a blank line between postings).
func skillspanTexts(tb testing.TB) []string {
	tb.Helper()
	var out []string
	for _, name := range []string{"skillspan_house_dev.conll", "skillspan_tech_dev.conll"} {
		b, err := os.ReadFile(filepath.Join(testenv.SharedData(tb), "skillspan", name))
		if err != nil {
			tb.Fatal(err)
		}
		var doc, sent []string
		for _, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" {
				if len(sent) > 0 {
					doc = append(doc, strings.Join(sent, " "))
					sent = sent[:0]
				}
				if len(doc) >= 20 {
					out = append(out, strings.Join(doc, "\n"))
					doc = nil
				}
				continue
			}
			sent = append(sent, strings.SplitN(line, "\t", 2)[0])
		}
		if len(doc) > 0 {
			out = append(out, strings.Join(doc, "\n"))
		}
	}
	return out
}

func BenchmarkExtract(b *testing.B) { benchExtract(b, MustExtractor(b)) }

// BenchmarkExtractLong extracts one unpunctuated text of n task phrases
// (skill mentions with no sentence break): the cost per byte should not grow
// with n (it did, quadratically, until the firm-description and repeat
// checks stopped scanning the whole text for each mention).
func BenchmarkExtractLong(b *testing.B) {
	e := MustExtractor(b)
	for _, n := range []int{1000, 8000} {
		text := strings.Repeat("orditura cagliata rammendo saldatura TIG lettura del disegno ", n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				e.Extract("long", "", text)
			}
		})
	}
}

// BenchmarkExtractProse is BenchmarkExtract with Config.ProseSentences: the
// cost of prose v3's sentence segmenter on the hot path.
func BenchmarkExtractProse(b *testing.B) {
	cfg := DefaultConfig()
	cfg.ProseSentences = true
	e, err := NewExtractor(MustTaxonomy(b), cfg)
	if err != nil {
		b.Fatal(err)
	}
	benchExtract(b, e)
}

func benchExtract(b *testing.B, e *Extractor) {
	b.Run("lazio", func(b *testing.B) {
		docs := lazioTexts(b)
		n := 0
		for _, d := range docs {
			n += len(d[0]) + len(d[1]) + 1
		}
		b.SetBytes(int64(n))
		b.ReportAllocs()
		c0 := cpuSeconds()
		for b.Loop() {
			for _, d := range docs {
				e.Extract("", d[0], d[1])
			}
		}
		cpu := cpuSeconds() - c0
		b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "postings/s")
		b.ReportMetric(float64(n*b.N)/1e6/cpu, "MB/cpu-s")
	})
	b.Run("skillspan", func(b *testing.B) {
		docs := skillspanTexts(b)
		n := 0
		for _, d := range docs {
			n += len(d)
		}
		b.SetBytes(int64(n))
		b.ReportAllocs()
		c0 := cpuSeconds()
		for b.Loop() {
			for _, d := range docs {
				e.Extract("", "", d)
			}
		}
		cpu := cpuSeconds() - c0
		b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "postings/s")
		b.ReportMetric(float64(n*b.N)/1e6/cpu, "MB/cpu-s")
	})
}

// cpuSeconds is the CPU time (user + system) the process has used: on a
// shared machine, MB per CPU-second is a steadier measure of per-core speed
// than MB per wall-clock second.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

// BenchmarkLoadTaxonomy loads the English v1.1.1 bundle (classification
// and relations zips) with the embedded lexicon, alone and with the
// extractor built on it, and reports the live heap they hold.
func BenchmarkLoadTaxonomy(b *testing.B) {
	d := testenv.SharedData(b)
	en := filepath.Join(d, "esco-v1.1.1-en")
	for _, withExtractor := range []bool{false, true} {
		name := "taxonomy"
		if withExtractor {
			name = "taxonomy+extractor"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				tax, err := LoadTaxonomy(en)
				if err != nil {
					b.Fatal(err)
				}
				var e *Extractor
				if withExtractor {
					if e, err = NewExtractor(tax, DefaultConfig()); err != nil {
						b.Fatal(err)
					}
				}
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MB")
				runtime.KeepAlive(tax)
				runtime.KeepAlive(e)
			}
		})
	}
}

func Example() {
	tax, err := LoadTaxonomy("../../shared/data/esco-v1.1.1-en", "../../shared/data/esco-v1.0.8-it")
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := NewExtractor(tax, DefaultConfig())
	if err != nil {
		fmt.Println(err)
		return
	}
	x := e.Extract("TO-1", "Carrellista", "Requisiti: patentino del muletto, esperienza di 2 anni. Gradito pacchetto Office.")
	fmt.Println(x.Language, x.BestISCO())
	for _, s := range x.Skills {
		fmt.Printf("%q %d-%d %s required=%v preferred=%v\n", s.Text, s.Start, s.End, s.Label, s.Required, s.Preferred)
	}
	fmt.Println(x.Attributes.Forklift, x.Attributes.ExperienceYears)
	// Output:
	// it 8344
	// "patentino del muletto" 23-44 operate forklift required=true preferred=false
	// "pacchetto Office" 76-92 use microsoft office required=false preferred=true
	// true 2
}

// BenchmarkTokenize compares the package's offset tokenizer with prose v3's
// tokenizer (no tagging, segmentation or extraction) on the SkillSpan dev
// postings: the reason the extractor tokenizes on its own.
func BenchmarkTokenize(b *testing.B) {
	docs := skillspanTexts(b)
	n := 0
	for _, d := range docs {
		n += len(d)
	}
	b.Run("nlp", func(b *testing.B) {
		b.SetBytes(int64(n))
		var buf []token
		for b.Loop() {
			for _, d := range docs {
				buf = tokenize(d, buf[:0])
			}
		}
	})
	b.Run("prose", func(b *testing.B) {
		b.SetBytes(int64(n))
		for b.Loop() {
			for _, d := range docs {
				if _, err := prose.NewDocument(d, prose.WithTagging(false), prose.WithSegmentation(false), prose.WithExtraction(false)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
