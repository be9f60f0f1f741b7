// Package crawltest serves generated job boards for tests and benchmarks of
// the crawler and of whatever the crawler feeds.
package crawltest

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// Page is one page of the demo job board.
type Page struct {
	Name string
	Body []byte
}

// JobboardPages returns the detail pages of the demo board in testdata/jobboard.
func JobboardPages(tb testing.TB) []Page {
	tb.Helper()
	dir := testenv.Corpus(tb, "jobboard", "annunci")
	ents, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []Page
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, Page{e.Name(), b})
	}
	return out
}

// Board serves a board of n detail pages built from the demo board's pages
// (each with its own identifier), 50 links a listing page, with
// Last-Modified so that re-crawls can be answered 304. It counts the
// unconditional requests (bodies served).
type Board struct {
	*httptest.Server
	mu     sync.Mutex
	bodies int
}

// NewBoard starts a generated board of n detail pages, closed when the test ends.
func NewBoard(tb testing.TB, n int) *Board {
	tb.Helper()
	tpl := JobboardPages(tb)
	pages := make(map[string][]byte, n+n/50+2)
	const per = 50
	lists := (n + per - 1) / per
	for i := range n {
		t := tpl[i%len(tpl)]
		id := strings.ToUpper(t.Name[len(t.Name)-len("to-2026-0101.html") : len(t.Name)-len(".html")])
		pages[fmt.Sprintf("/p/%d.html", i)] = bytes.ReplaceAll(t.Body, []byte(id), []byte(fmt.Sprintf("%s-G%05d", id, i)))
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
	g := &Board{}
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

// Reset returns the bodies served since the last Reset and starts counting again.
func (g *Board) Reset() (bodies int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	bodies = g.bodies
	g.bodies = 0
	return bodies
}

// Source is the demo board's source configured for a generated board at
// base: its selectors, the given per-host delay, 4 workers.
func Source(tb testing.TB, base string, delay time.Duration) crawl.Source {
	tb.Helper()
	srcs, err := crawl.LoadSources(testenv.Corpus(tb, "jobboard", "sources.json"))
	if err != nil {
		tb.Fatal(err)
	}
	src := srcs[0]
	src.Name, src.StartURLs, src.AllowedHosts = "generated", []string{base + "/list-1.html"}, nil
	src.Delay, src.Concurrency, src.MaxPages = delay, 4, 5000
	return src
}
