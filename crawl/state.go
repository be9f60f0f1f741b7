package crawl

import (
	"context"
	"sort"
	"sync"
	"time"
)

// PageState is what the crawler remembers about one URL (a detail page, or
// one record of a feed, keyed "feedURL#recordID") between crawls.
type PageState struct {
	URL          string    `json:"url"`
	Source       string    `json:"source"`
	Kind         string    `json:"kind"` // "page" (detail page), "listing" (listing page, sitemap or feed) or "record" (feed record)
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Hash         string    `json:"content_hash,omitempty"` // hash of the body (pages) or the record (feeds)
	VacancyIDs   []string  `json:"vacancy_ids,omitempty"`  // vacancies the URL yielded
	ValidThrough time.Time `json:"valid_through"`          // latest validThrough of those vacancies (zero if none)
	FirstSeen    time.Time `json:"first_seen"`
	LastSeen     time.Time `json:"last_seen"`
	ClosedAt     time.Time `json:"closed_at"`       // zero while open; set when the page disappears or passes validThrough
	Links        []string  `json:"links,omitempty"` // listings: detail URLs found, reused when the listing answers 304
	Next         []string  `json:"next,omitempty"`  // listings: next listing pages or sitemaps found
}

// Page kinds in PageState.Kind.
const (
	StatePage    = "page"
	StateListing = "listing"
	StateRecord  = "record"
)

func (p PageState) clone() PageState {
	p.VacancyIDs = append([]string(nil), p.VacancyIDs...)
	p.Links = append([]string(nil), p.Links...)
	p.Next = append([]string(nil), p.Next...)
	return p
}

// Closed reports whether the page has been marked closed.
func (p *PageState) Closed() bool { return !p.ClosedAt.IsZero() }

// State stores crawl state per URL. Implementations must be safe for
// concurrent use. Get returns ok=false (and no error) for a URL never seen;
// Pages returns every URL recorded for the source, closed ones included (an
// empty slice for an unknown source). Errors are storage failures; the
// crawler then fetches the page unconditionally and reports the error.
// The in-memory implementation is MemoryState; a ClickHouse one lives in the
// warehouse package.
type State interface {
	Get(ctx context.Context, url string) (PageState, bool, error)
	Put(ctx context.Context, st PageState) error
	Pages(ctx context.Context, source string) ([]PageState, error)
}

// MemoryState is a State held in memory, for tests and single runs. The zero
// value is not usable; call NewMemoryState.
type MemoryState struct {
	mu    sync.Mutex
	pages map[string]PageState
}

// NewMemoryState returns an empty in-memory state.
func NewMemoryState() *MemoryState { return &MemoryState{pages: map[string]PageState{}} }

// Get implements State.
func (m *MemoryState) Get(_ context.Context, url string) (PageState, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pages[url]
	return p.clone(), ok, nil
}

// Put implements State.
func (m *MemoryState) Put(_ context.Context, st PageState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pages[st.URL] = st.clone()
	return nil
}

// Pages implements State; the result is sorted by URL.
func (m *MemoryState) Pages(_ context.Context, source string) ([]PageState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []PageState{}
	for _, p := range m.pages {
		if p.Source == source {
			out = append(out, p.clone())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].URL < out[j].URL })
	return out, nil
}
