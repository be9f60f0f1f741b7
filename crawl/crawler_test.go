package crawl_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
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

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow is the clock of every test crawl.
var fixedNow = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// board is a test server for a static board that counts requests per path.
type board struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func (b *board) count(path string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.hits[path]
}

func (b *board) total() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for p, c := range b.hits {
		if p != "/robots.txt" {
			n += c
		}
	}
	return n
}

// serveBoard serves dir with http.FileServer, wrapped by wrap when not nil.
func serveBoard(tb testing.TB, dir string, wrap func(http.Handler) http.Handler) *board {
	tb.Helper()
	b := &board{hits: map[string]int{}}
	var h http.Handler = http.FileServer(http.Dir(dir))
	if wrap != nil {
		h = wrap(h)
	}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		b.hits[r.URL.Path]++
		b.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	tb.Cleanup(b.Close)
	return b
}

var (
	gazOnce sync.Once
	gaz     *fabbisogni.Gazetteer
	gazErr  error
)

func mustGazetteer(tb testing.TB) *fabbisogni.Gazetteer {
	tb.Helper()
	p := filepath.Join(testenv.SharedData(tb), "istat", "Elenco-comuni-italiani.csv")
	gazOnce.Do(func() { gaz, gazErr = fabbisogni.LoadGazetteer(p) })
	if gazErr != nil {
		tb.Fatal(gazErr)
	}
	return gaz
}

func testConfig(tb testing.TB) crawl.Config {
	cfg := crawl.DefaultConfig()
	cfg.Gazetteer = mustGazetteer(tb)
	cfg.Now = func() time.Time { return fixedNow }
	cfg.RetryBackoff = 5 * time.Millisecond
	cfg.MaxRetryWait = 50 * time.Millisecond
	cfg.DefaultDelay = 0
	return cfg
}

func mustCrawler(tb testing.TB, cfg crawl.Config) *crawl.Crawler {
	tb.Helper()
	c, err := crawl.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// demoSource loads testdata/jobboard/sources.json resolved against base.
func demoSource(tb testing.TB, base string) crawl.Source {
	tb.Helper()
	srcs, err := crawl.LoadSources(testenv.Corpus(tb, "jobboard", "sources.json"))
	if err != nil {
		tb.Fatal(err)
	}
	srcs, err = crawl.ResolveSources(srcs, base)
	if err != nil {
		tb.Fatal(err)
	}
	if len(srcs) != 1 {
		tb.Fatalf("sources.json: %d sources, want 1", len(srcs))
	}
	srcs[0].Delay = 0
	return srcs[0]
}

type collector struct {
	mu   sync.Mutex
	vacs []fabbisogni.Vacancy
}

func (c *collector) emit(_ context.Context, v fabbisogni.Vacancy) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.vacs = append(c.vacs, v)
	return nil
}

func (c *collector) sorted() []fabbisogni.Vacancy {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append([]fabbisogni.Vacancy(nil), c.vacs...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// golden compares vacancies (with the server address replaced by
// http://board.test) with testdata/<name>.golden.json.
func golden(t *testing.T, name, serverURL string, vacs []fabbisogni.Vacancy) {
	t.Helper()
	got, err := json.MarshalIndent(vacs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = bytes.ReplaceAll(got, []byte(serverURL), []byte("http://board.test"))
	got = append(got, '\n')
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update after checking the change)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: got %d lines, want %d", path, len(gl), len(wl))
	}
}

func TestCrawlJobboard(t *testing.T) {
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), nil)
	src := demoSource(t, b.URL)
	c := mustCrawler(t, testConfig(t))
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	vacs := col.sorted()
	if len(vacs) != 42 || st.Vacancies != 42 || st.Pages != 42 || st.Listings != 5 {
		t.Errorf("vacancies=%d stats=%+v, want 42 vacancies from 42 pages and 5 listings", len(vacs), st)
	}
	if st.Skipped != 1 || b.count("/riservato/annuncio-interno.html") != 0 {
		t.Errorf("robots-disallowed page: skipped=%d fetched %d times, want skipped 1, fetched 0", st.Skipped, b.count("/riservato/annuncio-interno.html"))
	}
	if st.Closed != 2 {
		t.Errorf("closed = %d, want 2 (CN-2026-0304 and TO-2026-0106 expired before %s)", st.Closed, fixedNow)
	}
	if st.Uncoded != 1 {
		t.Errorf("uncoded = %d, want 1 (Trivero)", st.Uncoded)
	}
	if st.Failed != 0 {
		t.Errorf("failed pages: %+v", st.Errors)
	}
	if b.count("/robots.txt") != 1 {
		t.Errorf("robots.txt fetched %d times, want 1 (cached)", b.count("/robots.txt"))
	}
	districts := map[string]int{}
	langEN := 0
	for _, v := range vacs {
		if err := v.Validate(); err != nil {
			t.Errorf("%s: %v", v.ID, err)
		}
		districts[v.District]++
		if strings.Contains(v.Description, "Applicants of all genders") {
			langEN++
		}
	}
	// Trivero merged into Valdilana in 2019: the ISTAT list no longer has
	// it, so that vacancy stays uncoded, but "Trivero (BI)" still places it
	// in the province of Biella and so in its district.
	want := map[string]int{"torino-automotive": 16, "biella-tessile": 12, "cuneo-agroalimentare": 14, "": 0}
	for d, n := range want {
		if districts[d] != n {
			t.Errorf("district %s: %d vacancies, want %d (all: %v)", d, districts[d], n, districts)
		}
	}
	if langEN != 4 {
		t.Errorf("%d English vacancies, want 4", langEN)
	}
	golden(t, "jobboard", b.URL, vacs)
}
