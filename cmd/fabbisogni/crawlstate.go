package main

import (
	"context"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// crawlState adapts the warehouse's ClickHouse crawl state to crawl.State.
type crawlState struct{ s *warehouse.CrawlState }

func (c crawlState) Get(ctx context.Context, url string) (crawl.PageState, bool, error) {
	p, ok, err := c.s.Get(ctx, url)
	return crawl.PageState(p), ok, err
}

func (c crawlState) Put(ctx context.Context, p crawl.PageState) error {
	return c.s.Put(ctx, warehouse.PageState(p))
}

func (c crawlState) Pages(ctx context.Context, source string) ([]crawl.PageState, error) {
	ps, err := c.s.Pages(ctx, source)
	out := make([]crawl.PageState, len(ps))
	for i, p := range ps {
		out[i] = crawl.PageState(p)
	}
	return out, err
}

// crawler builds a crawler whose state lives in ClickHouse and whose
// vacancies are checked for near-duplicates against everything stored, and
// returns the emit wrapper that links duplicates to their canonical vacancy
// and a flush for the state.
func (a *app) crawler(ctx context.Context, gaz *fabbisogni.Gazetteer) (*crawl.Crawler, func(func(context.Context, fabbisogni.Vacancy) error) func(context.Context, fabbisogni.Vacancy) error, func(context.Context) error, error) {
	st, err := a.wh.OpenCrawlState(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := crawl.DefaultConfig()
	cfg.Gazetteer = gaz
	cfg.Logger = a.log
	cfg.State = crawlState{st}
	c, err := crawl.New(cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	dd := crawl.NewDeduper(crawl.DefaultDedupConfig())
	stored, err := a.wh.StoredVacancies(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, v := range stored {
		if v.CanonicalID == "" {
			dd.Observe(v)
		}
	}
	dedup := func(emit func(context.Context, fabbisogni.Vacancy) error) func(context.Context, fabbisogni.Vacancy) error {
		return func(ctx context.Context, v fabbisogni.Vacancy) error {
			if canon, dup := dd.Observe(v); dup && canon != v.ID {
				v.CanonicalID = canon
				a.log.Info("near-duplicate vacancy", "vacancy_id", v.ID, "canonical_id", canon, "url", v.Provenance.URL)
			}
			return emit(ctx, v)
		}
	}
	return c, dedup, st.Flush, nil
}
