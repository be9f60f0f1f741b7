package crawl_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

type pageFixture struct {
	name string
	body []byte
}

func jobboardPages(tb testing.TB) []pageFixture {
	tb.Helper()
	dir := testenv.Corpus(tb, "jobboard", "annunci")
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []pageFixture
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, pageFixture{e.Name(), b})
	}
	return out
}

// BenchmarkParsePage parses the demo board's detail pages (half JSON-LD,
// half selectors). Run with -cpu 1 for pages per second per core.
func BenchmarkParsePage(b *testing.B) {
	pages := jobboardPages(b)
	srcs, err := crawl.LoadSources(testenv.Corpus(b, "jobboard", "sources.json"))
	if err != nil {
		b.Fatal(err)
	}
	sel := srcs[0].Selectors
	var bytesIn int64
	for _, p := range pages {
		bytesIn += int64(len(p.body))
	}
	b.SetBytes(bytesIn / int64(len(pages)))
	n := 0
	b.ResetTimer()
	for b.Loop() {
		p := pages[n%len(pages)]
		if _, err := crawl.ParsePage("http://board.test/annunci/"+p.name, p.body, sel); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}

// generatedBoard serves a board of n detail pages built from the demo
// board's pages (each with its own identifier), 50 links a listing page,
// with Last-Modified so that re-crawls can be answered 304. It counts the
// unconditional requests (bodies served).
type generatedBoard struct {
	*httptest.Server
	mu     sync.Mutex
	bodies int
}

func newGeneratedBoard(tb testing.TB, n int) *generatedBoard {
	tb.Helper()
	tpl := jobboardPages(tb)
	pages := make(map[string][]byte, n+n/50+2)
	const per = 50
	lists := (n + per - 1) / per
	for i := range n {
		t := tpl[i%len(tpl)]
		id := strings.ToUpper(t.name[len(t.name)-len("to-2026-0101.html") : len(t.name)-len(".html")])
		pages[fmt.Sprintf("/p/%d.html", i)] = bytes.ReplaceAll(t.body, []byte(id), []byte(fmt.Sprintf("%s-G%05d", id, i)))
	}
	for k := range lists {
		var sb strings.Builder
		sb.WriteString("<html><body><ul>")
		for i := k * per; i < min((k+1)*per, n); i++ {
			fmt.Fprintf(&sb, `<li><a class="link-annuncio" href="/p/%d.html">annuncio %d</a></li>`, i, i)
		}
		sb.WriteString("</ul>")
		if k+1 < lists {
			fmt.Fprintf(&sb, `<a rel="next" href="/list-%d.html">avanti</a>`, k+2)
		}
		sb.WriteString("</body></html>")
		pages[fmt.Sprintf("/list-%d.html", k+1)] = []byte(sb.String())
	}
	pages["/robots.txt"] = []byte("User-agent: *\nDisallow: /privato/\n")
	modtime := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	g := &generatedBoard{}
	g.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Path != "/robots.txt" {
			g.mu.Lock()
			if r.Header.Get("If-Modified-Since") == "" {
				g.bodies++
			}
			g.mu.Unlock()
		}
		http.ServeContent(w, r, r.URL.Path, modtime, bytes.NewReader(body))
	}))
	tb.Cleanup(g.Close)
	return g
}

func (g *generatedBoard) reset() (bodies int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	bodies = g.bodies
	g.bodies = 0
	return bodies
}

func generatedSource(tb testing.TB, base string, delay time.Duration) crawl.Source {
	srcs, err := crawl.LoadSources(testenv.Corpus(tb, "jobboard", "sources.json"))
	if err != nil {
		tb.Fatal(err)
	}
	src := srcs[0]
	src.Name, src.StartURLs, src.AllowedHosts = "generated", []string{base + "/list-1.html"}, nil
	src.Delay, src.Concurrency, src.MaxPages = delay, 4, 5000
	return src
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
	g := newGeneratedBoard(b, 2000)
	src := generatedSource(b, g.URL, benchDelay)
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
	g := newGeneratedBoard(b, 2000)
	src := generatedSource(b, g.URL, benchDelay)
	cfg := testConfig(b)
	cfg.State = crawl.NewMemoryState()
	c := mustCrawler(b, cfg)
	emit := func(context.Context, fabbisogni.Vacancy) error { return nil }
	if _, err := c.Crawl(context.Background(), src, emit); err != nil {
		b.Fatal(err)
	}
	g.reset()
	var bodies int
	for b.Loop() {
		n := 0
		st, err := c.Crawl(context.Background(), src, func(context.Context, fabbisogni.Vacancy) error { n++; return nil })
		if err != nil || n != 0 || st.NotModified != 2040 {
			b.Fatalf("re-crawl emitted %d, stats %+v, err %v", n, st, err)
		}
		got := g.reset()
		bodies += got
	}
	if bodies != 0 {
		b.Fatalf("re-crawls fetched %d bodies, want 0", bodies)
	}
	b.ReportMetric(float64(bodies)/float64(b.N), "bodies/op")
}
