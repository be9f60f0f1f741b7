package crawl_test

import (
	"context"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/crawl/crawltest"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// BenchmarkParsePage parses the demo board's detail pages (half JSON-LD,
// half selectors). Run with -cpu 1 for pages per second per core.
func BenchmarkParsePage(b *testing.B) {
	pages := crawltest.JobboardPages(b)
	srcs, err := crawl.LoadSources(testenv.Corpus(b, "jobboard", "sources.json"))
	if err != nil {
		b.Fatal(err)
	}
	sel := srcs[0].Selectors
	var bytesIn int64
	for _, p := range pages {
		bytesIn += int64(len(p.Body))
	}
	b.SetBytes(bytesIn / int64(len(pages)))
	n := 0
	b.ResetTimer()
	for b.Loop() {
		p := pages[n%len(pages)]
		if _, err := crawl.ParsePage("http://board.test/annunci/"+p.Name, p.Body, sel); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}

const benchDelay = 2 * time.Millisecond

// gapTransport records when each request leaves the client.
type gapTransport struct {
	mu     sync.Mutex
	starts []time.Time
}

func (t *gapTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	t.starts = append(t.starts, time.Now())
	t.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

// minGap returns the smallest interval between two requests and forgets
// them.
func (t *gapTransport) minGap() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.starts
	t.starts = nil
	sort.Slice(s, func(i, j int) bool { return s[i].Before(s[j]) })
	gap := time.Hour
	for i := 1; i < len(s); i++ {
		gap = min(gap, s[i].Sub(s[i-1]))
	}
	return gap
}

// BenchmarkCrawlBoard2000 crawls a 2,000-page local board end to end through
// emit, with a 2 ms per-host delay and 4 workers; min_gap_ms is the
// smallest interval between two requests leaving the client (the delay
// kept: it must not be below 2).
func BenchmarkCrawlBoard2000(b *testing.B) {
	g := crawltest.NewBoard(b, 2000)
	src := crawltest.Source(b, g.URL, benchDelay)
	cfg := testConfig(b)
	tr := &gapTransport{}
	cfg.Transport = tr
	gap := time.Hour
	for b.Loop() {
		cfg.State = crawl.NewMemoryState() // a first crawl every time
		c := mustCrawler(b, cfg)
		n := 0
		st, err := c.Crawl(context.Background(), src, func(context.Context, fabbisogni.Vacancy) error { n++; return nil })
		if err != nil || n != 2000 || st.Failed != 0 {
			b.Fatalf("emitted %d, stats %+v, err %v", n, st, err)
		}
		gap = min(gap, tr.minGap()) // per crawl: each iteration is a new Crawler
	}
	b.ReportMetric(float64(2040*b.N)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(gap.Microseconds())/1000, "min_gap_ms")
}

// BenchmarkRecrawlUnchanged2000 re-crawls the unchanged 2,000-page board:
// every request is conditional and answered 304, so no body is fetched and
// nothing is emitted (bodies/op must be 0).
func BenchmarkRecrawlUnchanged2000(b *testing.B) {
	g := crawltest.NewBoard(b, 2000)
	src := crawltest.Source(b, g.URL, benchDelay)
	cfg := testConfig(b)
	cfg.State = crawl.NewMemoryState()
	c := mustCrawler(b, cfg)
	emit := func(context.Context, fabbisogni.Vacancy) error { return nil }
	if _, err := c.Crawl(context.Background(), src, emit); err != nil {
		b.Fatal(err)
	}
	g.Reset()
	var bodies int
	for b.Loop() {
		n := 0
		st, err := c.Crawl(context.Background(), src, func(context.Context, fabbisogni.Vacancy) error { n++; return nil })
		if err != nil || n != 0 || st.NotModified != 2040 {
			b.Fatalf("re-crawl emitted %d, stats %+v, err %v", n, st, err)
		}
		got := g.Reset()
		bodies += got
	}
	if bodies != 0 {
		b.Fatalf("re-crawls fetched %d bodies, want 0", bodies)
	}
	b.ReportMetric(float64(bodies)/float64(b.N), "bodies/op")
}
