package crawl_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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

// feedServer serves a changeable body with an ETag, answering 304 to a
// matching If-None-Match, as a job-centre API would.
type feedServer struct {
	*httptest.Server
	mu     sync.Mutex
	body   []byte
	bodies int
}

func newFeedServer(tb testing.TB, body []byte) *feedServer {
	f := &feedServer{body: body}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r) // no robots.txt: everything allowed
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		sum := sha256.Sum256(f.body)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		w.Header().Set("ETag", etag)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		f.bodies++
		w.Header().Set("Content-Type", "application/x-ndjson")
		w.Write(f.body)
	}))
	tb.Cleanup(f.Close)
	return f
}

func (f *feedServer) set(body []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.body = body
}

func TestCrawlLazioFeed(t *testing.T) {
	path := filepath.Join(testenv.SharedData(t), "lazio-cpi", "vacancies-2022-2025.jsonl")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	now := time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)
	expired, invalid := 0, 0
	for _, l := range lines {
		var r struct{ DataScadenzaISO, Qualifica, Mansioni string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		if r.Qualifica == "" && r.Mansioni == "" {
			invalid++ // rejected with its line number, never emitted
			continue
		}
		if d, err := time.Parse("2006-01-02", r.DataScadenzaISO); err == nil && d.Add(24*time.Hour).Before(now.Add(time.Second)) {
			expired++
		}
	}

	f := newFeedServer(t, data)
	src := crawl.Source{Name: "cpi-lazio", Kind: crawl.KindJSONFeed, StartURLs: []string{f.URL + "/api/vacancies.jsonl"}, AllowPrivate: true, Province: ""}
	cfg := testConfig(t)
	cfg.Now = func() time.Time { return now }
	c := mustCrawler(t, cfg)
	var col collector
	st, err := c.Crawl(t.Context(), src, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	valid := len(lines) - invalid
	if st.Vacancies != valid || len(col.vacs) != valid || st.Failed != invalid {
		t.Fatalf("emitted %d of %d records (%d invalid), stats failed=%d %v", len(col.vacs), len(lines), invalid, st.Failed, st.Errors)
	}
	for _, e := range st.Errors {
		if !strings.Contains(e.Reason, "line ") {
			t.Errorf("error without the line: %v", e)
		}
	}
	if st.Closed != expired {
		t.Errorf("closed %d records, want the %d expired before %s", st.Closed, expired, now)
	}
	coded := 0
	ids := map[string]bool{}
	for _, v := range col.vacs {
		if err := v.Validate(); err != nil {
			t.Errorf("%v", err)
		}
		if v.MunicipalityCode != "" {
			coded++
		}
		if ids[v.ID] {
			t.Errorf("duplicate id %s", v.ID)
		}
		ids[v.ID] = true
	}
	t.Logf("Lazio feed: %d records, %d invalid, %d places coded to ISTAT (%.1f%%), %d uncoded", len(lines), invalid, coded, 100*float64(coded)/float64(valid), st.Uncoded)
	if coded+st.Uncoded != valid || float64(coded) < 0.97*float64(valid) {
		t.Errorf("coded %d + uncoded %d of %d records", coded, st.Uncoded, valid)
	}
	v := col.sorted()[0]
	if !strings.HasPrefix(v.ID, "cpi-lazio:") || v.DatePosted.IsZero() || v.Openings < 1 || v.Provenance.URL == "" {
		t.Errorf("first record mapped as %+v", v)
	}

	// Unchanged feed: 304, nothing emitted, nothing closed.
	var again collector
	st, err = c.Crawl(t.Context(), src, again.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.vacs) != 0 || st.NotModified != 1 || st.Closed != 0 || f.bodies != 1 {
		t.Errorf("unchanged feed: %d emitted, stats %+v, %d bodies served", len(again.vacs), st, f.bodies)
	}

	// One record edited, one withdrawn: one vacancy re-emitted, one closed
	// (unless already expired), the rest unchanged.
	var rec map[string]any
	json.Unmarshal([]byte(lines[10]), &rec)
	rec["Mansioni"] = "ADDETTO ALLE PULIZIE DI UFFICI, TURNO SERALE"
	edited, _ := json.Marshal(rec)
	changed := append([]string(nil), lines...)
	changed[10] = string(edited)
	withdrawn := changed[20]
	changed = append(changed[:20], changed[21:]...)
	f.set([]byte(strings.Join(changed, "\n")))
	now = now.Add(time.Hour)
	var third collector
	st, err = c.Crawl(t.Context(), src, third.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(third.vacs) != 1 || st.Unchanged != valid-2 || st.Failed != invalid {
		t.Fatalf("changed feed: %d emitted, unchanged %d, errors %v", len(third.vacs), st.Unchanged, st.Errors)
	}
	if !strings.Contains(third.vacs[0].Description, "TURNO SERALE") {
		t.Errorf("re-emitted %q", third.vacs[0].Description)
	}
	var w struct{ DataScadenzaISO string }
	json.Unmarshal([]byte(withdrawn), &w)
	wantClosed := 0
	if d, _ := time.Parse("2006-01-02", w.DataScadenzaISO); d.Add(24 * time.Hour).After(now) {
		wantClosed = 1 // not expired yet: closed now because it left the feed
	}
	if st.Closed != wantClosed {
		t.Errorf("closed %d, want %d", st.Closed, wantClosed)
	}

	// A feed truncated mid-line: the bad line is reported with its number
	// and nothing the feed failed to list is closed.
	f.set([]byte(strings.Join(changed[:100], "\n") + "\n" + `{"CPI": "ROMA", "ID_Richiesta": `))
	now = now.Add(time.Hour)
	st, err = c.Crawl(t.Context(), src, third.emit)
	if err != nil {
		t.Fatal(err)
	}
	if st.Closed != 0 || st.Failed != 1 || !strings.Contains(st.Errors[0].Reason, "line 101") {
		t.Errorf("truncated feed: closed %d, errors %v", st.Closed, st.Errors)
	}
}
