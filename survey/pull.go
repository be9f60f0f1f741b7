package survey

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// PullConfig configures a pull from the HTTP JSON endpoint of a campaign
// or CRM tool.
//
// The endpoint answers GET URL?page=1&page_size=100 (with
// "Authorization: Bearer TOKEN") with either an object holding the items
// under "data", "items", "results" or "records" and, optionally, "next" (the
// URL of the next page, absolute or relative) or "has_more" / "total_pages";
// or a bare array, in which case pages are requested until one is empty.
// Each item is an object whose keys are the export's headers ("Ragione
// sociale", "Partita IVA", ... as the Mapping knows them); its needs are
// either flat keys, numbered groups ("Figura professionale 2"), or an array
// of objects under "needs" / "fabbisogni".
type PullConfig struct {
	URL          string        // endpoint; required
	Token        string        // bearer token; empty sends no Authorization header
	PageSize     int           // items per page; default 100
	PageParam    string        // query parameter of the page number (from 1); default "page"
	SizeParam    string        // query parameter of the page size; default "page_size"
	IDField      string        // item key of the tool's own record id, used for stable need ids; default "id"
	MaxRetries   int           // retries of a page after a network error, 429 or 5xx; default 4
	Backoff      time.Duration // first wait between retries, doubled each time; default 500ms
	MaxBackoff   time.Duration // longest wait, Retry-After included; default 30s
	MaxPages     int           // safety stop; default 100000
	MaxPageBytes int64         // largest page body; default 32 MiB
	Client       *http.Client  // default: 30 s timeout
}

// DefaultPullConfig returns the defaults; set URL (and Token).
func DefaultPullConfig() PullConfig {
	return PullConfig{
		PageSize: 100, PageParam: "page", SizeParam: "page_size", IDField: "id",
		MaxRetries: 4, Backoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second,
		MaxPages: 100000, MaxPageBytes: 32 << 20,
		Client: &http.Client{Timeout: 30 * time.Second},
	}
}

// Validate reports a config that cannot pull.
func (c *PullConfig) Validate() error {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("survey: pull config: URL %q is not an http(s) URL", c.URL)
	}
	if c.PageSize < 1 || c.MaxRetries < 0 || c.MaxPages < 1 || c.MaxPageBytes < 1 {
		return errors.New("survey: pull config: PageSize, MaxPages and MaxPageBytes must be positive, MaxRetries not negative")
	}
	return nil
}

// LogValue keeps the token out of logs.
func (c PullConfig) LogValue() slog.Value {
	tok := ""
	if c.Token != "" {
		tok = "[redacted]"
	}
	return slog.GroupValue(slog.String("url", c.URL), slog.String("token", tok), slog.Int("page_size", c.PageSize))
}

func (c PullConfig) withDefaults() PullConfig {
	d := DefaultPullConfig()
	if c.PageSize == 0 {
		c.PageSize = d.PageSize
	}
	if c.PageParam == "" {
		c.PageParam = d.PageParam
	}
	if c.SizeParam == "" {
		c.SizeParam = d.SizeParam
	}
	if c.IDField == "" {
		c.IDField = d.IDField
	}
	if c.MaxRetries == 0 {
		c.MaxRetries = d.MaxRetries
	}
	if c.Backoff == 0 {
		c.Backoff = d.Backoff
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = d.MaxBackoff
	}
	if c.MaxPages == 0 {
		c.MaxPages = d.MaxPages
	}
	if c.MaxPageBytes == 0 {
		c.MaxPageBytes = d.MaxPageBytes
	}
	if c.Client == nil {
		c.Client = d.Client
	}
	return c
}

// Pull reads every page of a campaign endpoint and treats each item as a
// row: emit gets the good ones, reject the bad ones (Row is the item's
// 1-based position in the pull, File the endpoint's host and path). It
// returns an error when a page cannot be fetched after the retries, when
// the endpoint refuses the token or answers something that is not JSON,
// when emit fails, or when ctx ends.
func (im *Importer) Pull(ctx context.Context, cfg PullConfig, emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(RowError)) (Stats, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Stats{}, err
	}
	base, _ := url.Parse(cfg.URL)
	run := im.surveyRun(base.Host+base.Path, im.campaignFor(base.Host+base.Path), emit, reject)
	layouts := map[string]layoutOK{}
	next := pageURL(base, cfg, 1)
	item := 0
	for page := 1; next != "" && page <= cfg.MaxPages; page++ {
		items, link, more, err := fetchPage(ctx, cfg, next)
		if err != nil {
			return run.stats, fmt.Errorf("survey: pull %s page %d: %w", run.file, page, err)
		}
		run.url = next
		for _, it := range items {
			item++
			headers, cells, key := flattenItem(it, cfg.IDField)
			sig := strings.Join(headers, "\x1f")
			lo, ok := layouts[sig]
			if !ok {
				l, found := run.match(headers)
				lo = layoutOK{l, found}
				layouts[sig] = lo
			}
			run.stats.Rows++
			if !lo.ok {
				run.rejectRow(RowError{File: run.file, Row: item, Reason: "item has no firm name and partita IVA / codice fiscale keys the mapping knows"})
				continue
			}
			if key == "" {
				key = strconv.Itoa(item)
			} else {
				key = "id:" + key
			}
			if err := run.process(ctx, "", item, key, lo.l.values(cells)); err != nil {
				return run.stats, fmt.Errorf("survey: pull %s: %w", run.file, err)
			}
		}
		switch {
		case link != "":
			u, err := url.Parse(next)
			if err != nil {
				return run.stats, err
			}
			lu, err := u.Parse(link)
			if err != nil {
				return run.stats, fmt.Errorf("survey: pull %s page %d: bad next link %q", run.file, page, link)
			}
			next = lu.String()
		case more:
			next = pageURL(base, cfg, page+1)
		default:
			next = ""
		}
	}
	im.log.Info("survey pull done", "url", cfg.URL, "rows", run.stats.Rows, "accepted", run.stats.Accepted, "rejected", run.stats.Rejected)
	return run.stats, nil
}

type layoutOK struct {
	l  layout
	ok bool
}

func pageURL(base *url.URL, cfg PullConfig, page int) string {
	u := *base
	q := u.Query()
	q.Set(cfg.PageParam, strconv.Itoa(page))
	q.Set(cfg.SizeParam, strconv.Itoa(cfg.PageSize))
	u.RawQuery = q.Encode()
	return u.String()
}

// errPermanent marks answers that retrying cannot fix.
var errPermanent = errors.New("permanent")

// fetchPage gets one page with retries and returns its items, the next
// link, and whether the endpoint says more pages follow.
func fetchPage(ctx context.Context, cfg PullConfig, u string) (items []map[string]any, next string, more bool, err error) {
	wait := cfg.Backoff
	for attempt := 0; ; attempt++ {
		var retryAfter time.Duration
		items, next, more, retryAfter, err = fetchOnce(ctx, cfg, u)
		if err == nil || errors.Is(err, errPermanent) || attempt >= cfg.MaxRetries || ctx.Err() != nil {
			if err != nil && attempt > 0 && !errors.Is(err, errPermanent) {
				err = fmt.Errorf("after %d attempts: %w", attempt+1, err)
			}
			return items, next, more, err
		}
		d := wait
		if retryAfter > d {
			d = retryAfter
		}
		if d > cfg.MaxBackoff {
			d = cfg.MaxBackoff
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, "", false, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

func fetchOnce(ctx context.Context, cfg PullConfig, u string) ([]map[string]any, string, bool, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, "", false, 0, fmt.Errorf("%w: %v", errPermanent, err)
	}
	req.Header.Set("Accept", "application/json")
	if cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Token)
	}
	resp, err := cfg.Client.Do(req)
	if err != nil {
		return nil, "", false, 0, err // network: retry
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, cfg.MaxPageBytes+1))
	if err != nil {
		return nil, "", false, 0, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		var ra time.Duration
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			ra = time.Duration(s) * time.Second
		}
		return nil, "", false, ra, fmt.Errorf("status %s", resp.Status)
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return nil, "", false, 0, fmt.Errorf("%w: status %s: token refused", errPermanent, resp.Status)
	case resp.StatusCode != http.StatusOK:
		return nil, "", false, 0, fmt.Errorf("%w: status %s", errPermanent, resp.Status)
	}
	if int64(len(body)) > cfg.MaxPageBytes {
		return nil, "", false, 0, fmt.Errorf("%w: page larger than %d bytes", errPermanent, cfg.MaxPageBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, "", false, 0, fmt.Errorf("%w: not JSON: %v", errPermanent, err)
	}
	switch x := v.(type) {
	case []any:
		items, err := objects(x)
		return items, "", len(items) > 0, 0, err
	case map[string]any:
		var list []any
		for _, k := range []string{"data", "items", "results", "records"} {
			if l, ok := x[k].([]any); ok {
				list = l
				break
			}
		}
		items, err := objects(list)
		if err != nil {
			return nil, "", false, 0, err
		}
		next, _ := x["next"].(string)
		more, _ := x["has_more"].(bool)
		if tp, ok := x["total_pages"].(json.Number); ok {
			if p, ok := x["page"].(json.Number); ok {
				tpi, _ := tp.Int64()
				pi, _ := p.Int64()
				more = more || pi < tpi
			}
		}
		return items, next, more && len(items) > 0, 0, nil
	}
	return nil, "", false, 0, fmt.Errorf("%w: JSON is neither an array nor an object", errPermanent)
}

func objects(list []any) ([]map[string]any, error) {
	out := make([]map[string]any, 0, len(list))
	for i, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%w: item %d is not an object", errPermanent, i+1)
		}
		out = append(out, m)
	}
	return out, nil
}

// flattenItem turns an API item into a header row and a data row: scalar
// keys as they are, nested need objects as numbered groups. key is the
// item's own id, if any.
func flattenItem(it map[string]any, idField string) (headers, cells []string, key string) {
	keys := make([]string, 0, len(it))
	for k := range it {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := it[k]
		if k == idField {
			key = scalar(v)
		}
		if list, ok := v.([]any); ok {
			lk := fabbisogni.PlaceKey(k)
			if lk == "needs" || lk == "fabbisogni" || lk == "hiring needs" {
				for i, n := range list {
					obj, ok := n.(map[string]any)
					if !ok {
						continue
					}
					nk := make([]string, 0, len(obj))
					for k2 := range obj {
						nk = append(nk, k2)
					}
					sort.Strings(nk)
					for _, k2 := range nk {
						headers = append(headers, fmt.Sprintf("%s %d", k2, i+1))
						cells = append(cells, scalar(obj[k2]))
					}
				}
			}
			continue
		}
		headers = append(headers, k)
		cells = append(cells, scalar(v))
	}
	return headers, cells, key
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
