package crawl_test

import (
	"compress/gzip"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// statusRecorder counts response codes for paths other than robots.txt.
type statusRecorder struct {
	mu    sync.Mutex
	codes map[int]int
}

func (s *statusRecorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &codeWriter{ResponseWriter: w, code: 200}
		h.ServeHTTP(rw, r)
		if r.URL.Path != "/robots.txt" {
			s.mu.Lock()
			s.codes[rw.code]++
			s.mu.Unlock()
		}
	})
}

func (s *statusRecorder) reset() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.codes
	s.codes = map[int]int{}
	return c
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(c int) { w.code = c; w.ResponseWriter.WriteHeader(c) }

func loadSource(tb testing.TB, path, base string) crawl.Source {
	tb.Helper()
	srcs, err := crawl.LoadSources(path)
	if err != nil {
		tb.Fatal(err)
	}
	srcs, err = crawl.ResolveSources(srcs, base)
	if err != nil {
		tb.Fatal(err)
	}
	srcs[0].Delay = time.Millisecond
	return srcs[0]
}

// The microdata board is Latin-1 encoded and served as "utf-8" by
// http.FileServer, as misconfigured Italian servers do: the pages must still
// come out as correct UTF-8. Its robots.txt has a group for our agent.
func TestCrawlMicrodataLatin1(t *testing.T) {
	b := serveBoard(t, filepath.Join("testdata", "microboard"), nil)
	src := loadSource(t, filepath.Join("testdata", "microboard", "sources.json"), b.URL)
	c := mustCrawler(t, testConfig(t))
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	vacs := col.sorted()
	if len(vacs) != 6 || st.Listings != 2 || st.Skipped != 1 || st.Failed != 0 {
		t.Fatalf("got %d vacancies, stats %+v; want 6, 2 listings, 1 skipped draft", len(vacs), st)
	}
	if b.count("/bozze/mb-199.html") != 0 {
		t.Error("draft disallowed for FabbisogniBot was fetched")
	}
	for _, v := range vacs {
		if strings.ContainsRune(v.Title+v.Description+v.FirmName, '\uFFFD') {
			t.Errorf("%s: replacement character: charset not decoded", v.ID)
		}
		if v.District != "biella-tessile" {
			t.Errorf("%s: district %q", v.ID, v.District)
		}
	}
	if !strings.Contains(vacs[1].Description, "schede di qualità") {
		t.Errorf("Latin-1 accents lost: %q", vacs[1].Description)
	}
	golden(t, "microboard", b.URL, vacs)
}

// The Cuneo board needs selectors and has a huge page, a redirect off-host,
// a link to another host, a duplicate link with a fragment; the server
// answers gzip, a 429 with Retry-After and a 503 once each.
func TestCrawlSelectorsAndLimits(t *testing.T) {
	var mu sync.Mutex
	first := map[string]bool{}
	gzipped := 0
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen := first[r.URL.Path]
			first[r.URL.Path] = true
			mu.Unlock()
			switch {
			case r.URL.Path == "/vai/offerta-partner":
				http.Redirect(w, r, "http://altro-sito.example/lavoro/77.html", http.StatusFound)
				return
			case r.URL.Path == "/lavori/agronomo-alba.html" && !seen:
				w.Header().Set("Retry-After", "0")
				http.Error(w, "slow down", http.StatusTooManyRequests)
				return
			case r.URL.Path == "/lavori/aiuto-cuoco-cuneo.html" && !seen:
				http.Error(w, "busy", http.StatusServiceUnavailable)
				return
			}
			if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") && strings.HasSuffix(r.URL.Path, ".html") {
				mu.Lock()
				gzipped++
				mu.Unlock()
				w.Header().Set("Content-Encoding", "gzip")
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				gz := gzip.NewWriter(w)
				defer gz.Close()
				h.ServeHTTP(gzipWriter{w, gz}, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	b := serveBoard(t, filepath.Join("testdata", "cuneoboard"), wrap)
	src := loadSource(t, filepath.Join("testdata", "cuneoboard", "sources.json"), b.URL)
	cfg := testConfig(t)
	cfg.MaxBodyBytes = 256 << 10
	c := mustCrawler(t, cfg)
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	vacs := col.sorted()
	if len(vacs) != 3 || st.Pages != 3 || st.Failed != 2 {
		t.Fatalf("got %d vacancies, stats %+v; want 3 from 3 pages, 2 failed", len(vacs), st)
	}
	reasons := map[string]string{}
	for _, e := range st.Errors {
		reasons[strings.TrimPrefix(e.URL, b.URL)] = e.Reason
	}
	if r := reasons["/lavori/pagina-enorme.html"]; !strings.Contains(r, "larger than") {
		t.Errorf("huge page: reason %q", r)
	}
	if r := reasons["/vai/offerta-partner"]; !strings.Contains(r, "not allowed") {
		t.Errorf("off-host redirect: reason %q", r)
	}
	if b.count("/lavori/agronomo-alba.html") != 2 || b.count("/lavori/aiuto-cuoco-cuneo.html") != 2 {
		t.Errorf("429 and 503 pages fetched %d and %d times, want 2 each (one retry)", b.count("/lavori/agronomo-alba.html"), b.count("/lavori/aiuto-cuoco-cuneo.html"))
	}
	if gzipped == 0 {
		t.Error("no response was gzip-encoded: the client did not ask for gzip")
	}
	for _, v := range vacs {
		if strings.Contains(v.Description, "not a list item") || strings.Contains(v.Description, "color: red") {
			t.Errorf("%s: script or style text in description", v.ID)
		}
		if !strings.HasPrefix(v.ID, "bacheca-cuneo:url-") {
			t.Errorf("%s: pages without an identifier get an id from the URL hash", v.ID)
		}
	}
	golden(t, "cuneoboard", b.URL, vacs)
}

type gzipWriter struct {
	http.ResponseWriter
	gz *gzip.Writer
}

func (g gzipWriter) Write(p []byte) (int, error) { return g.gz.Write(p) }
func (g gzipWriter) WriteHeader(code int) {
	g.ResponseWriter.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

// A source that does not allow private addresses cannot reach the loopback
// test server: not even its robots.txt is fetched.
func TestPrivateAddressRefused(t *testing.T) {
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), nil)
	src := demoSource(t, b.URL)
	src.AllowPrivate = false
	c := mustCrawler(t, testConfig(t))
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(col.vacs) != 0 || st.Failed != 1 || !strings.Contains(st.Errors[0].Reason, "private") {
		t.Fatalf("stats %+v; want the start page refused as private", st)
	}
	if n := b.total() + b.count("/robots.txt"); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}
}

// A re-crawl of the unchanged board fetches no body: every request, listings
// included, is answered 304, and nothing is re-emitted.
func TestRecrawlUnchanged(t *testing.T) {
	rec := &statusRecorder{codes: map[int]int{}}
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), rec.wrap)
	src := demoSource(t, b.URL)
	c := mustCrawler(t, testConfig(t))
	var col collector
	if _, err := c.Crawl(t.Context(), src, col.emit); err != nil {
		t.Fatal(err)
	}
	if got := rec.reset(); got[200] != 47 {
		t.Fatalf("first crawl: status counts %v, want 47 bodies (5 listings, 42 pages)", got)
	}
	var again collector
	st, err := c.Crawl(t.Context(), src, again.emit)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.reset(); got[200] != 0 || got[304] != 47 {
		t.Errorf("re-crawl: status counts %v, want 47 answers 304 and no body", got)
	}
	if len(again.vacs) != 0 || st.NotModified != 47 || st.Closed != 0 {
		t.Errorf("re-crawl: %d emitted, stats %+v", len(again.vacs), st)
	}
}

// A vacancy that leaves the board is marked closed; so are pages past their
// validThrough. Closed pages keep first and last seen, so the time a
// vacancy stayed open can be measured.
func TestClosedVacancies(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(testenv.Corpus(t, "jobboard"))); err != nil {
		t.Fatal(err)
	}
	b := serveBoard(t, dir, nil)
	src := demoSource(t, b.URL)
	state := crawl.NewMemoryState()
	now := fixedNow
	cfg := testConfig(t)
	cfg.State = state
	cfg.Now = func() time.Time { return now }
	c := mustCrawler(t, cfg)
	var col collector
	if _, err := c.Crawl(t.Context(), src, col.emit); err != nil {
		t.Fatal(err)
	}

	// The saldatore vacancy (TO-2026-0102) is taken down a day later.
	const gone = "annunci/saldatore-a-filo-mig-mag-to-2026-0102.html"
	if err := os.Remove(filepath.Join(dir, gone)); err != nil {
		t.Fatal(err)
	}
	replaceInFiles(t, dir, `<a class="link-annuncio" href="`+gone+`">`, `<a class="rimosso" href="#">`)
	now = now.Add(24 * time.Hour)
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if st.Closed != 1 {
		t.Fatalf("closed = %d, want 1", st.Closed)
	}
	ps, _, _ := state.Get(t.Context(), b.URL+"/"+gone)
	if !ps.ClosedAt.Equal(now) || !ps.FirstSeen.Equal(fixedNow) || !ps.LastSeen.Equal(fixedNow) {
		t.Errorf("closed page state %+v", ps)
	}

	// Months later every vacancy with a validThrough has expired.
	now = time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)
	st, err = c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	// 41 pages left: 2 have no validThrough, 2 (CN-2026-0304, TO-2026-0106)
	// had expired already at the first crawl.
	if st.Closed != 37 {
		t.Errorf("closed after expiry = %d, want 37", st.Closed)
	}
}

func replaceInFiles(t *testing.T, dir, old, new string) {
	t.Helper()
	n := 0
	for _, name := range []string{"index.html", "page-2.html", "page-3.html", "page-4.html", "page-5.html"} {
		p := filepath.Join(dir, name)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, old) {
			n++
			// keep a later modification time than the first crawl saw
			if err := os.WriteFile(p, []byte(strings.ReplaceAll(s, old, new)), 0o644); err != nil {
				t.Fatal(err)
			}
			later := time.Now().Add(time.Hour)
			os.Chtimes(p, later, later)
		}
	}
	if n == 0 {
		t.Fatalf("%q not found in the listing", old)
	}
}

func TestEmitErrorStopsCrawl(t *testing.T) {
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), nil)
	src := demoSource(t, b.URL)
	c := mustCrawler(t, testConfig(t))
	n := 0
	boom := context.DeadlineExceeded
	_, err := c.Crawl(t.Context(), src, func(context.Context, fabbisogni.Vacancy) error {
		n++
		if n == 3 {
			return boom
		}
		return nil
	})
	if err == nil || n != 3 {
		t.Fatalf("err %v after %d emits; want the emit error after 3", err, n)
	}
}

// robots.txt is cached per host for at most RobotsTTL (24 h by default).
func TestRobotsCacheTTL(t *testing.T) {
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), nil)
	src := demoSource(t, b.URL)
	now := fixedNow
	cfg := testConfig(t)
	cfg.Now = func() time.Time { return now }
	c := mustCrawler(t, cfg)
	var col collector
	for i, step := range []time.Duration{0, 23 * time.Hour, 2 * time.Hour} {
		now = now.Add(step)
		if _, err := c.Crawl(t.Context(), src, col.emit); err != nil {
			t.Fatal(err)
		}
		if want := []int{1, 1, 2}[i]; b.count("/robots.txt") != want {
			t.Errorf("after crawl %d (+%v): robots.txt fetched %d times, want %d", i+1, step, b.count("/robots.txt"), want)
		}
	}
}

// The sitemap kind finds the same 42 vacancies through the board's
// sitemap.xml (relative <loc>s resolved against the sitemap's URL), and a
// sitemap index is followed.
func TestCrawlSitemap(t *testing.T) {
	index := `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>/sitemap.xml</loc></sitemap></sitemapindex>`
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/sitemap-index.xml" {
				w.Header().Set("Content-Type", "application/xml")
				w.Write([]byte(index))
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), wrap)
	src := demoSource(t, b.URL)
	src.Kind = crawl.KindSitemap
	src.StartURLs = []string{b.URL + "/sitemap-index.xml"}
	c := mustCrawler(t, testConfig(t))
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(col.vacs) != 42 || st.Listings != 2 || st.Failed != 0 {
		t.Fatalf("sitemap crawl: %d vacancies, stats %+v", len(col.vacs), st)
	}
	golden(t, "jobboard", b.URL, col.sorted()) // the same vacancies as through the listing pages
}

// A page that never answers times out (after the retries) and is reported;
// the crawl goes on.
func TestTimeout(t *testing.T) {
	hang := make(chan struct{})
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "casaro-a-cn-2026-0302.html") {
				select {
				case <-hang:
				case <-r.Context().Done():
				}
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), wrap)
	t.Cleanup(func() { close(hang) }) // runs before the server closes
	src := demoSource(t, b.URL)
	cfg := testConfig(t)
	cfg.Timeout = 100 * time.Millisecond
	cfg.MaxRetries = 1
	c := mustCrawler(t, cfg)
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(col.vacs) != 41 || st.Failed != 1 || !strings.Contains(st.Errors[0].Reason, "deadline") {
		t.Fatalf("%d vacancies, stats %+v", len(col.vacs), st)
	}
	if n := b.count("/annunci/casaro-a-cn-2026-0302.html"); n != 2 {
		t.Errorf("hanging page requested %d times, want 2 (one retry)", n)
	}
}

// A page that fails on a re-crawl but is still listed stays open.
func TestFailedPageNotClosed(t *testing.T) {
	var broken sync.Map
	wrap := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := broken.Load(r.URL.Path); ok {
				http.Error(w, "boom", http.StatusInternalServerError)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), wrap)
	src := demoSource(t, b.URL)
	now := fixedNow
	cfg := testConfig(t)
	cfg.MaxRetries = 0
	cfg.Now = func() time.Time { return now }
	c := mustCrawler(t, cfg)
	var col collector
	if _, err := c.Crawl(t.Context(), src, col.emit); err != nil {
		t.Fatal(err)
	}
	broken.Store("/annunci/casaro-a-cn-2026-0302.html", true)
	now = now.Add(time.Hour)
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if st.Failed != 1 || st.Closed != 0 {
		t.Errorf("failed %d closed %d, want 1 failed and nothing closed", st.Failed, st.Closed)
	}
}
