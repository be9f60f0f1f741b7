// Package crawl collects published job vacancies politely and
// incrementally: HTML boards (listing pages with pagination and detail
// pages), sitemaps and JSON feeds in the Lazio CPI format. It obeys
// robots.txt, keeps a per-host delay, refuses private addresses and
// off-host redirects, retries 429 and 5xx with backoff, makes conditional
// requests, limits body sizes and decodes Latin-1 pages. Pages are parsed
// with goquery: schema.org JobPosting JSON-LD first, then microdata, then
// the source's CSS selectors. No goquery or HTTP type leaves the package.
package crawl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/fabbisogni/fabbisogni"
)

// Crawler fetches sources. It is safe for concurrent use: several sources
// may be crawled at once and share the per-host delays and robots.txt cache.
type Crawler struct {
	cfg Config
	log *slog.Logger
	f   *fetcher
}

// New validates cfg and returns a Crawler.
func New(cfg Config) (*Crawler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = discardLogger()
	}
	cfg.Logger = cfg.Logger.With("component", "crawl")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.State == nil {
		cfg.State = NewMemoryState()
	}
	c := &Crawler{cfg: cfg, log: cfg.Logger}
	c.f = newFetcher(&c.cfg)
	return c, nil
}

// Stats counts what one crawl did.
type Stats struct {
	Source      string      `json:"source"`
	Listings    int         `json:"listings"`     // listing pages, sitemaps and feeds requested
	Pages       int         `json:"pages"`        // detail pages fetched with a body
	NotModified int         `json:"not_modified"` // requests answered 304 (listings, detail pages, feeds)
	Unchanged   int         `json:"unchanged"`    // pages or feed records fetched but identical to the last crawl: not re-emitted
	Skipped     int         `json:"skipped"`      // URLs robots.txt disallows: never fetched
	Failed      int         `json:"failed"`       // pages that could not be fetched or parsed (see Errors)
	Empty       int         `json:"empty"`        // detail pages without any vacancy
	Vacancies   int         `json:"vacancies"`    // vacancies emitted
	Uncoded     int         `json:"uncoded"`      // emitted vacancies whose place could not be coded
	Closed      int         `json:"closed"`       // pages marked closed (gone from the source or past validThrough)
	Errors      []PageError `json:"errors,omitempty"`
}

// PageError is one page the crawl could not use, and why.
type PageError struct {
	URL    string `json:"url"`
	Reason string `json:"reason"`
}

const maxStatsErrors = 200

func (s *Stats) fail(u string, err error) {
	s.Failed++
	if len(s.Errors) < maxStatsErrors {
		s.Errors = append(s.Errors, PageError{URL: u, Reason: err.Error()})
	}
}

// Fetches is the number of page bodies requested so far (robots.txt not
// included), across all crawls of this Crawler.
func (c *Crawler) Fetches() int64 {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	return c.f.fetches
}

// pageResult is what a worker hands back to the emitting loop.
type pageResult struct {
	url     string
	status  string // fetched, not_modified, unchanged, skipped, failed, empty
	err     error
	vacs    []fabbisogni.Vacancy
	uncoded int
	state   *PageState // to store once the vacancies are emitted
}

// Crawl fetches the source and calls emit for each new or changed vacancy,
// never concurrently. An emit error stops the crawl and is returned; bad
// pages never stop it: they are counted in Stats (with URL and reason) and
// logged. The returned error is otherwise only ctx's, an invalid source,
// or a state failure when marking closed pages.
func (c *Crawler) Crawl(ctx context.Context, src Source, emit func(context.Context, fabbisogni.Vacancy) error) (Stats, error) {
	st := Stats{Source: src.Name}
	if err := src.Validate(); err != nil {
		return st, err
	}
	if len(src.AllowedHosts) == 0 {
		for _, u := range src.StartURLs {
			pu, _ := url.Parse(u)
			src.AllowedHosts = appendHost(src.AllowedHosts, pu.Host)
		}
	}
	log := c.log.With("source", src.Name)
	started := c.cfg.Now()
	if src.kind() == KindJSONFeed {
		return c.crawlFeed(ctx, &src, emit, log, started)
	}
	budget := src.MaxPages
	if budget == 0 {
		budget = c.cfg.MaxPages
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(src.Concurrency, 1)
	jobs := make(chan string, workers)
	results := make(chan pageResult, workers)
	var listingsOK = true
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range jobs {
				r := c.safeDetail(ctx, &src, u, log)
				select {
				case results <- r:
				case <-ctx.Done():
				}
			}
		}()
	}
	var prod sync.WaitGroup
	prod.Add(1)
	go func() {
		defer prod.Done()
		defer close(jobs)
		ok := c.discover(ctx, &src, budget, jobs, results, log)
		if !ok {
			listingsOK = false
		}
	}()
	go func() {
		prod.Wait()
		wg.Wait()
		close(results)
	}()

	var emitErr error
	for r := range results {
		if emitErr != nil || ctx.Err() != nil {
			continue // drain
		}
		switch r.status {
		case "listing":
			st.Listings++
			continue
		case "listing_not_modified":
			st.Listings++
			st.NotModified++
			continue
		case "listing_failed":
			st.Listings++
			st.fail(r.url, r.err)
			log.Warn("listing page failed", "url", r.url, "reason", r.err.Error())
			continue
		case "skipped":
			st.Skipped++
			log.Info("skipped by robots.txt", "url", r.url)
			continue
		case "failed":
			st.fail(r.url, r.err)
			log.Warn("page failed", "url", r.url, "reason", r.err.Error())
			if r.state != nil { // still listed: keep it open
				if err := c.cfg.State.Put(ctx, *r.state); err != nil {
					log.Warn("store crawl state", "url", r.url, "reason", err.Error())
				}
			}
			continue
		case "not_modified":
			st.NotModified++
		case "unchanged":
			st.Pages++
			st.Unchanged++
		case "empty":
			st.Pages++
			st.Empty++
			log.Info("page without vacancies", "url", r.url)
		case "fetched":
			st.Pages++
		}
		for _, v := range r.vacs {
			if err := emit(ctx, v); err != nil {
				emitErr = fmt.Errorf("crawl: source %s: emit %s: %w", src.Name, v.ID, err)
				cancel()
				break
			}
			st.Vacancies++
		}
		if emitErr == nil {
			st.Uncoded += r.uncoded
			if r.state != nil {
				if err := c.cfg.State.Put(ctx, *r.state); err != nil {
					st.fail(r.url, fmt.Errorf("store crawl state: %w", err))
				}
			}
		}
	}
	if emitErr != nil {
		return st, emitErr
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	if listingsOK {
		n, err := c.closeGone(ctx, &src, started)
		st.Closed = n
		if err != nil {
			return st, err
		}
	} else {
		log.Warn("listing incomplete: pages not seen are not marked closed")
	}
	log.Info("crawl done", "listings", st.Listings, "pages", st.Pages, "not_modified", st.NotModified, "unchanged", st.Unchanged,
		"skipped", st.Skipped, "failed", st.Failed, "vacancies", st.Vacancies, "closed", st.Closed,
		"duration_ms", c.cfg.Now().Sub(started).Milliseconds())
	return st, nil
}

// discover walks listing pages (or sitemaps) and sends detail URLs to jobs,
// each once. It reports false when the listing was not read completely.
func (c *Crawler) discover(ctx context.Context, src *Source, budget int, jobs chan<- string, results chan<- pageResult, log *slog.Logger) bool {
	complete := true
	seen := map[string]bool{}
	fetched := 0
	send := func(r pageResult) bool {
		select {
		case results <- r:
			return true
		case <-ctx.Done():
			return false
		}
	}
	queue := append([]string(nil), src.StartURLs...)
	listed := map[string]bool{}
	for len(queue) > 0 {
		lu := queue[0]
		queue = queue[1:]
		if listed[lu] {
			continue
		}
		listed[lu] = true
		if fetched >= budget {
			log.Warn("max pages reached", "url", lu, "max_pages", budget)
			return false
		}
		pu, err := url.Parse(lu)
		if err != nil {
			send(pageResult{url: lu, status: "listing_failed", err: err})
			complete = false
			continue
		}
		fetched++
		prev, known, err := c.cfg.State.Get(ctx, lu)
		if err != nil {
			log.Warn("crawl state unavailable, fetching unconditionally", "url", lu, "reason", err.Error())
			known = false
		}
		var cond *PageState
		if known && prev.Kind == StateListing {
			cond = &prev
		}
		resp, err := c.f.get(ctx, src, pu, cond)
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			complete = false
			if errors.Is(err, errDisallowed) {
				send(pageResult{url: lu, status: "skipped"})
				continue
			}
			send(pageResult{url: lu, status: "listing_failed", err: err})
			continue
		}
		now := c.cfg.Now()
		ls := prev
		if !known || prev.Kind != StateListing {
			ls = PageState{URL: lu, Source: src.Name, Kind: StateListing, FirstSeen: now}
		}
		ls.LastSeen, ls.ClosedAt = now, time.Time{}
		var links, next []string
		base, _ := url.Parse(resp.URL)
		status := "listing"
		switch {
		case resp.NotModified:
			status = "listing_not_modified"
			links, next = ls.Links, ls.Next
		case src.kind() == KindSitemap:
			links, next, err = parseSitemap(resp.Body)
			if err != nil {
				complete = false
				send(pageResult{url: lu, status: "listing_failed", err: fmt.Errorf("sitemap %s: %w", lu, err)})
				continue
			}
		case src.Selectors.DetailLinks == "":
			links = []string{resp.URL} // the start URL is itself a detail page
		default:
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(resp.Body))
			if err != nil {
				complete = false
				send(pageResult{url: lu, status: "listing_failed", err: err})
				continue
			}
			links = selectAll(doc.Selection, hrefSelector(src.Selectors.DetailLinks))
			if src.Selectors.NextPage != "" {
				next = selectAll(doc.Selection, hrefSelector(src.Selectors.NextPage))
				if len(next) > 1 {
					next = next[:1]
				}
			}
		}
		if !resp.NotModified {
			ls.ETag, ls.LastModified, ls.Hash = resp.ETag, resp.LastModified, contentHash(resp.Body)
			ls.Links, ls.Next = links, next
		}
		if err := c.cfg.State.Put(ctx, ls); err != nil {
			log.Warn("store crawl state", "url", lu, "reason", err.Error())
		}
		if !send(pageResult{url: lu, status: status}) {
			return false
		}
		for _, n := range next {
			if nu, err := base.Parse(n); err == nil {
				queue = append(queue, canonicalURL(nu.String()))
			}
		}
		for _, l := range links {
			du, err := base.Parse(l)
			if err != nil || (du.Scheme != "http" && du.Scheme != "https") {
				continue
			}
			d := canonicalURL(du.String())
			if seen[d] {
				continue
			}
			seen[d] = true
			if !src.hostAllowed(du) {
				log.Debug("link to another host ignored", "url", d)
				continue
			}
			if fetched >= budget {
				log.Warn("max pages reached", "url", d, "max_pages", budget)
				return false
			}
			fetched++
			select {
			case jobs <- d:
			case <-ctx.Done():
				return false
			}
		}
	}
	return complete
}

// hrefSelector reads href unless the selector names an attribute.
func hrefSelector(s string) string {
	if _, a := splitSelector(s); a != "" {
		return s
	}
	return s + "@href"
}

// safeDetail is detail with a panic turned into a failed page: a parser
// bug on one hostile page must not take the process down.
func (c *Crawler) safeDetail(ctx context.Context, src *Source, u string, log *slog.Logger) (r pageResult) {
	defer func() {
		if p := recover(); p != nil {
			r = pageResult{url: u, status: "failed", err: fabbisogni.Errorf(fabbisogni.EInternal, "page %s: panic while parsing: %v", u, p)}
		}
	}()
	return c.detail(ctx, src, u, log)
}

// detail fetches and parses one detail page.
func (c *Crawler) detail(ctx context.Context, src *Source, u string, log *slog.Logger) pageResult {
	r := pageResult{url: u}
	now := c.cfg.Now()
	prev, known, err := c.cfg.State.Get(ctx, u)
	if err != nil {
		log.Warn("crawl state unavailable, fetching unconditionally", "url", u, "reason", err.Error())
		known = false
	}
	var cond *PageState
	if known {
		cond = &prev
	}
	pu, _ := url.Parse(u)
	resp, err := c.f.get(ctx, src, pu, cond)
	if err != nil {
		if errors.Is(err, errDisallowed) {
			r.status = "skipped"
			return r
		}
		r.status, r.err = "failed", err
		if known {
			// Still listed, only unreachable now: not gone, so not closed.
			prev.LastSeen = now
			r.state = &prev
		}
		return r
	}
	next := prev
	if !known {
		next = PageState{URL: u, Source: src.Name, Kind: StatePage, FirstSeen: now}
	}
	next.Source, next.Kind = src.Name, StatePage
	next.LastSeen = now
	if !next.ValidThrough.IsZero() && endOfDay(next.ValidThrough).Before(now) {
		// stays closed
	} else {
		next.ClosedAt = time.Time{}
	}
	if resp.NotModified {
		r.status, r.state = "not_modified", &next
		return r
	}
	next.ETag, next.LastModified = resp.ETag, resp.LastModified
	ps, err := parsePostings(resp.URL, resp.Body, "text/html; charset=utf-8", src.Selectors)
	if err != nil {
		r.status, r.err = "failed", err
		return r
	}
	bodyHash := contentHash(resp.Body)
	vacs := make([]fabbisogni.Vacancy, 0, len(ps))
	for _, p := range ps {
		v, uncoded := c.finish(p, src, u, now, bodyHash, log)
		if err := v.Validate(); err != nil {
			r.status, r.err = "failed", fmt.Errorf("page %s: %w", u, err)
			return r
		}
		if uncoded {
			r.uncoded++
		}
		vacs = append(vacs, v)
	}
	h := vacanciesHash(vacs)
	next.VacancyIDs = next.VacancyIDs[:0]
	next.ValidThrough = time.Time{}
	for _, v := range vacs {
		next.VacancyIDs = append(next.VacancyIDs, v.ID)
		if v.ValidThrough.After(next.ValidThrough) {
			next.ValidThrough = v.ValidThrough
		}
	}
	r.state = &next
	switch {
	case known && prev.Hash == h:
		r.status, r.uncoded = "unchanged", 0
	case len(vacs) == 0:
		r.status = "empty"
	default:
		r.status, r.vacs = "fetched", vacs
	}
	next.Hash = h
	return r
}

// vacanciesHash hashes what was extracted, without provenance, so that a
// page whose chrome changes (timestamps, tokens) but whose vacancies do not
// counts as unchanged.
func vacanciesHash(vs []fabbisogni.Vacancy) string {
	cp := make([]fabbisogni.Vacancy, len(vs))
	for i, v := range vs {
		v.Provenance = fabbisogni.Provenance{}
		cp[i] = v
	}
	b, _ := json.Marshal(cp)
	return contentHash(b)
}

func endOfDay(t time.Time) time.Time {
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Add(24*time.Hour - time.Second)
	}
	return t
}

// finish turns a parsed posting into the vacancy the source emits.
func (c *Crawler) finish(p posting, src *Source, pageURL string, fetchedAt time.Time, bodyHash string, log *slog.Logger) (fabbisogni.Vacancy, bool) {
	v := p.v
	v.ID = src.Name + ":" + p.ident
	v.Provenance = fabbisogni.Provenance{Source: src.Name, URL: pageURL, FetchedAt: fetchedAt.UTC(), Hash: bodyHash}
	uncoded := false
	place := strings.TrimSpace(p.place)
	if place != "" {
		m, err := c.codePlace(place, p.province, src.Province)
		if err != nil {
			uncoded = true
			v.MunicipalityName = place
			// The province alone still places the vacancy ("Trivero (BI)":
			// merged into Valdilana in 2019, not in the list).
			if c.cfg.Gazetteer != nil {
				for _, pr := range []string{p.province, place, src.Province} {
					if code, ok := c.cfg.Gazetteer.Province(pr); ok && pr != "" {
						v.ProvinceCode = code
						break
					}
				}
			}
			log.Warn("place not coded", "url", pageURL, "vacancy_id", v.ID, "place", place, "province_code", v.ProvinceCode, "reason", err.Error())
		} else {
			v.MunicipalityName, v.MunicipalityCode, v.ProvinceCode = m.Name, m.Code, m.ProvinceCode
		}
	}
	if v.MunicipalityCode != "" || v.ProvinceCode != "" {
		v.District = c.cfg.Districts.Locate(v.MunicipalityCode, v.ProvinceCode)
	}
	if v.District == "" {
		v.District = src.District
	}
	return v, uncoded
}

// codePlace codes a published place: the name as is, then without a
// parenthetical that is not a province ("Palestrina (con mezzo aziendale)"),
// then the first part before a comma, semicolon, dash, slash or " e " (CPI
// feeds list several places: the first that codes wins). The page's
// province is tried first, then the source's, then none (a region such as
// "Piemonte" in addressRegion is not a province).
func (c *Crawler) codePlace(place, province, srcProvince string) (fabbisogni.Municipality, error) {
	if c.cfg.Gazetteer == nil {
		return fabbisogni.Municipality{}, fabbisogni.Errorf(fabbisogni.EUnavailable, "no gazetteer configured")
	}
	place = strings.TrimSpace(strings.ReplaceAll(place, "_x000D_", ""))
	names := []string{place}
	if i := strings.IndexByte(place, '('); i > 0 {
		j := strings.IndexByte(place[i:], ')')
		if j < 0 || j > 4 { // "(TO)" is a province, Lookup reads it
			names = append(names, strings.TrimSpace(place[:i]))
		}
	}
	for _, n := range append([]string(nil), names...) {
		for _, p := range placeSep.Split(n, -1) {
			if p = strings.TrimSpace(p); p != "" && p != n {
				names = append(names, p)
			}
		}
	}
	var firstErr error
	for _, n := range names {
		for _, pr := range []string{province, srcProvince, ""} {
			m, err := c.cfg.Gazetteer.Lookup(n, pr)
			if err == nil {
				return m, nil
			}
			if firstErr == nil || (fabbisogni.ErrorCode(firstErr) == fabbisogni.ENotFound && fabbisogni.ErrorCode(err) != fabbisogni.ENotFound) {
				firstErr = err
			}
		}
	}
	return fabbisogni.Municipality{}, firstErr
}

var placeSep = regexp.MustCompile(`\s*(?:[,;/]|\s-\s?|-\s|\s+(?i:e|o|e/o)\s+)\s*`)

// closeGone marks closed the source's pages not seen since started, and
// those past their validThrough.
func (c *Crawler) closeGone(ctx context.Context, src *Source, started time.Time) (int, error) {
	pages, err := c.cfg.State.Pages(ctx, src.Name)
	if err != nil {
		return 0, fmt.Errorf("crawl: source %s: list crawl state: %w", src.Name, err)
	}
	now := c.cfg.Now()
	n := 0
	for _, p := range pages {
		if p.Closed() {
			continue
		}
		gone := p.LastSeen.Before(started)
		expired := !p.ValidThrough.IsZero() && endOfDay(p.ValidThrough).Before(now)
		if !gone && !expired {
			continue
		}
		p.ClosedAt = now
		if err := c.cfg.State.Put(ctx, p); err != nil {
			return n, fmt.Errorf("crawl: source %s: close %s: %w", src.Name, p.URL, err)
		}
		n++
	}
	return n, nil
}

// Page extracts the vacancies of one page, for `fabbisogni crawl page`:
// fileOrURL is a local HTML file or an http(s) URL. A URL is fetched once
// with the crawler's politeness rules (robots.txt, size, timeout), loopback
// and private addresses allowed since the user asked for that page by
// hand. Places are coded with the Gazetteer; ids are prefixed "page:".
func (c *Crawler) Page(ctx context.Context, fileOrURL string, sel Selectors) ([]fabbisogni.Vacancy, error) {
	src := Source{Name: "page", Selectors: sel, AllowPrivate: true}
	var body []byte
	pageURL, contentType := fileOrURL, ""
	now := c.cfg.Now()
	if strings.HasPrefix(fileOrURL, "http://") || strings.HasPrefix(fileOrURL, "https://") {
		pu, err := url.Parse(fileOrURL)
		if err != nil {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "crawl page %q: %v", fileOrURL, err)
		}
		src.AllowedHosts = []string{pu.Host}
		resp, err := c.f.get(ctx, &src, pu, nil)
		if err != nil {
			return nil, fmt.Errorf("crawl page %s: %w", fileOrURL, err)
		}
		body, pageURL, contentType = resp.Body, resp.URL, "text/html; charset=utf-8"
	} else {
		b, err := os.ReadFile(fileOrURL)
		if err != nil {
			return nil, fmt.Errorf("crawl page: %w", err)
		}
		abs, _ := filepath.Abs(fileOrURL)
		body, pageURL = b, (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
	}
	ps, err := parsePostings(pageURL, body, contentType, sel)
	if err != nil {
		return nil, err
	}
	out := make([]fabbisogni.Vacancy, 0, len(ps))
	h := contentHash(body)
	for _, p := range ps {
		v, _ := c.finish(p, &src, pageURL, now, h, c.log)
		out = append(out, v)
	}
	return out, nil
}
