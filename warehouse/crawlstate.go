package warehouse

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// PageState is the crawl state of one URL, as stored in crawl_state. It
// mirrors crawl.PageState field for field (cmd adapts between the two, so
// that neither package imports the other).
type PageState struct {
	URL, Source, Kind, ETag, LastModified, Hash string
	VacancyIDs                                  []string
	ValidThrough, FirstSeen, LastSeen, ClosedAt time.Time
	Links, Next                                 []string
}

// CrawlState keeps crawl state in ClickHouse. It loads the table once, then
// answers Get from memory and writes Puts through in small batches (Flush
// sends the rest), so a crawl of thousands of pages makes a few inserts
// rather than one per page. Safe for concurrent use.
type CrawlState struct {
	w       *Warehouse
	mu      sync.Mutex
	pages   map[string]PageState
	pending []PageState
	batch   int
}

// OpenCrawlState loads the stored crawl state.
func (w *Warehouse) OpenCrawlState(ctx context.Context) (*CrawlState, error) {
	rows, err := w.conn.Query(ctx, `SELECT url, source, kind, etag, last_modified, content_hash, vacancy_ids,
		valid_through, first_seen, last_seen, closed_at, links, next FROM crawl_state FINAL`)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: load crawl state: %w", err))
	}
	defer rows.Close()
	s := &CrawlState{w: w, pages: map[string]PageState{}, batch: 200}
	for rows.Next() {
		var p PageState
		if err := rows.Scan(&p.URL, &p.Source, &p.Kind, &p.ETag, &p.LastModified, &p.Hash, &p.VacancyIDs,
			&p.ValidThrough, &p.FirstSeen, &p.LastSeen, &p.ClosedAt, &p.Links, &p.Next); err != nil {
			return nil, fmt.Errorf("warehouse: load crawl state: %w", err)
		}
		for _, t := range []*time.Time{&p.ValidThrough, &p.FirstSeen, &p.LastSeen, &p.ClosedAt} {
			if t.Unix() <= 0 {
				*t = time.Time{}
			}
		}
		s.pages[p.URL] = p
	}
	return s, rows.Err()
}

// Get returns the state of url; ok is false for a URL never seen.
func (s *CrawlState) Get(_ context.Context, url string) (PageState, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pages[url]
	return p, ok, nil
}

// Put records the state of a URL; it is written when the batch fills or on Flush.
func (s *CrawlState) Put(ctx context.Context, p PageState) error {
	s.mu.Lock()
	s.pages[p.URL] = p
	s.pending = append(s.pending, p)
	full := len(s.pending) >= s.batch
	s.mu.Unlock()
	if full {
		return s.Flush(ctx)
	}
	return nil
}

// Pages returns every URL recorded for the source, closed ones included.
func (s *CrawlState) Pages(_ context.Context, source string) ([]PageState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []PageState{}
	for _, p := range s.pages {
		if p.Source == source {
			out = append(out, p)
		}
	}
	return out, nil
}

// Flush writes the pending states.
func (s *CrawlState) Flush(ctx context.Context) error {
	s.mu.Lock()
	pending := s.pending
	s.pending = nil
	s.mu.Unlock()
	if len(pending) == 0 {
		return nil
	}
	b, err := s.w.conn.PrepareBatch(ctx, `INSERT INTO crawl_state (url, source, kind, etag, last_modified, content_hash, vacancy_ids,
		valid_through, first_seen, last_seen, closed_at, links, next, version)`)
	if err != nil {
		s.requeue(pending)
		return classify(fmt.Errorf("warehouse: crawl state batch rows=%d: %w", len(pending), err))
	}
	defer b.Abort()
	version := uint64(s.w.cfg.Now().UnixNano())
	for _, p := range pending {
		if err := b.Append(p.URL, p.Source, p.Kind, p.ETag, p.LastModified, p.Hash, nonNil(p.VacancyIDs),
			day(p.ValidThrough), day(p.FirstSeen), day(p.LastSeen), day(p.ClosedAt), nonNil(p.Links), nonNil(p.Next), version); err != nil {
			return fmt.Errorf("warehouse: crawl state %s: %w", p.URL, err)
		}
	}
	if err := b.Send(); err != nil {
		s.requeue(pending)
		return classify(fmt.Errorf("warehouse: send crawl state rows=%d: %w", len(pending), err))
	}
	return nil
}

func (s *CrawlState) requeue(ps []PageState) {
	s.mu.Lock()
	s.pending = append(ps, s.pending...)
	s.mu.Unlock()
}
