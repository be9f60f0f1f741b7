package crawl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// FeedRecord is one vacancy of a job-centre feed in the Lazio CPI format
// (the fields of ../shared/data/lazio-cpi).
type FeedRecord struct {
	CPI                       string          `json:"CPI"`
	IDRichiesta               json.RawMessage `json:"ID_Richiesta"`
	DataInserimentoISO        string          `json:"DataInserimentoISO"`
	DataScadenzaISO           string          `json:"DataScadenzaISO"`
	Azienda                   string          `json:"Azienda"`
	NumeroLavoratoriRichiesti json.RawMessage `json:"NumeroLavoratoriRichiesti"`
	Qualifica                 string          `json:"Qualifica"`
	Mansioni                  *string         `json:"Mansioni"`
	ComuneSedeLavoro          string          `json:"ComuneSedeLavoro"`
	TipoContratto             string          `json:"TipoContratto"`
}

// parseFeed reads a feed body: a JSON array of records, or one record a
// line (JSON Lines). A bad record is reported with its position and the
// rest still go through.
type feedItem struct {
	rec FeedRecord
	pos string // "line 12" or "record 12"
}

func parseFeed(body []byte) ([]feedItem, []error) {
	body = bytes.TrimPrefix(bytes.TrimSpace(body), []byte("\xef\xbb\xbf"))
	if len(body) > 0 && body[0] == '[' {
		var raw []json.RawMessage
		if err := json.Unmarshal(body, &raw); err != nil {
			return nil, []error{fmt.Errorf("feed array: %w", err)}
		}
		var recs []feedItem
		var errs []error
		for i, r := range raw {
			var rec FeedRecord
			if err := json.Unmarshal(r, &rec); err != nil {
				errs = append(errs, fmt.Errorf("record %d: %w", i+1, err))
				continue
			}
			recs = append(recs, feedItem{rec, fmt.Sprintf("record %d", i+1)})
		}
		return recs, errs
	}
	var recs []feedItem
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	for line := 1; sc.Scan(); line++ {
		l := bytes.TrimSpace(sc.Bytes())
		if len(l) == 0 {
			continue
		}
		var rec FeedRecord
		if err := json.Unmarshal(l, &rec); err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", line, err))
			continue
		}
		recs = append(recs, feedItem{rec, fmt.Sprintf("line %d", line)})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return recs, errs
}

func rawText(m json.RawMessage) string {
	var s string
	if json.Unmarshal(m, &s) == nil {
		return strings.TrimSpace(s)
	}
	var f float64
	if json.Unmarshal(m, &f) == nil {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// posting maps a record; ok=false when it has no id.
func (r *FeedRecord) posting() (posting, error) {
	id := rawText(r.IDRichiesta)
	if id == "" {
		return posting{}, fabbisogni.Errorf(fabbisogni.EInvalid, "record without ID_Richiesta (firm %q)", r.Azienda)
	}
	var p posting
	p.via = "jsonfeed"
	cpi := strings.Join(strings.Fields(strings.ToLower(fabbisogni.PlaceKey(r.CPI))), "-")
	p.ident = id
	if cpi != "" {
		p.ident = cpi + "-" + id
	}
	v := &p.v
	v.Title = oneLine(r.Qualifica)
	if r.Mansioni != nil {
		v.Description = richText(*r.Mansioni)
	}
	v.FirmName = oneLine(r.Azienda)
	p.place = oneLine(r.ComuneSedeLavoro)
	v.EmploymentType = oneLine(r.TipoContratto)
	if t, err := ParseDate(r.DataInserimentoISO); err == nil {
		v.DatePosted = t
	}
	if t, err := ParseDate(r.DataScadenzaISO); err == nil {
		v.ValidThrough = t
	}
	v.Openings = firstInt(rawText(r.NumeroLavoratoriRichiesti))
	if v.Openings <= 0 {
		v.Openings = 1
	}
	if v.Title == "" && v.Description == "" {
		return posting{}, fabbisogni.Errorf(fabbisogni.EInvalid, "record %s: neither Qualifica nor Mansioni", id)
	}
	return p, nil
}

// crawlFeed fetches each feed URL (conditionally) and emits the records that
// are new or changed since the last crawl; records are tracked in the state
// as "feedURL#id", so one that leaves the feed is marked closed.
func (c *Crawler) crawlFeed(ctx context.Context, src *Source, emit func(context.Context, fabbisogni.Vacancy) error, log *slog.Logger, started time.Time) (Stats, error) {
	st := Stats{Source: src.Name}
	complete := true
	for _, fu := range src.StartURLs {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		pu, _ := url.Parse(fu)
		feedKey := canonicalURL(fu)
		prev, known, err := c.cfg.State.Get(ctx, feedKey)
		if err != nil {
			known = false
		}
		var cond *PageState
		if known {
			cond = &prev
		}
		resp, err := c.f.get(ctx, src, pu, cond)
		st.Listings++
		if err != nil {
			if ctx.Err() != nil {
				return st, ctx.Err()
			}
			complete = false
			if errors.Is(err, errDisallowed) {
				st.Skipped++
				continue
			}
			st.fail(fu, err)
			log.Warn("feed failed", "url", fu, "reason", err.Error())
			continue
		}
		now := c.cfg.Now()
		next := prev
		if !known {
			next = PageState{URL: feedKey, Source: src.Name, Kind: StateListing, FirstSeen: now}
		}
		next.LastSeen = now
		if resp.NotModified {
			st.NotModified++
			// the records are unchanged too: keep them open
			if err := c.touchRecords(ctx, src.Name, feedKey, now); err != nil {
				return st, err
			}
			if err := c.cfg.State.Put(ctx, next); err != nil {
				st.fail(fu, err)
			}
			continue
		}
		recs, errs := parseFeed(resp.Body)
		if len(errs) > 0 {
			complete = false // a truncated or garbled feed must not close what it failed to list
		}
		for _, e := range errs {
			st.fail(fu, e)
			log.Warn("feed record unreadable", "url", fu, "reason", e.Error())
		}
		bodyHash := contentHash(resp.Body)
		for i := range recs {
			p, err := recs[i].rec.posting()
			if err != nil {
				err = fmt.Errorf("%s: %w", recs[i].pos, err)
				st.fail(fu, err)
				log.Warn("feed record rejected", "url", fu, "reason", err.Error())
				continue
			}
			key := feedKey + "#" + p.ident
			v, uncoded := c.finish(p, src, fu, now, bodyHash, log)
			h := vacanciesHash([]fabbisogni.Vacancy{v})
			rprev, rknown, _ := c.cfg.State.Get(ctx, key)
			rs := rprev
			if !rknown {
				rs = PageState{URL: key, Source: src.Name, Kind: StateRecord, FirstSeen: now}
			}
			rs.LastSeen, rs.VacancyIDs, rs.ValidThrough = now, []string{v.ID}, v.ValidThrough
			if endOfDay(v.ValidThrough).After(now) || v.ValidThrough.IsZero() {
				rs.ClosedAt = time.Time{}
			}
			if rknown && rprev.Hash == h {
				st.Unchanged++
			} else {
				if err := emit(ctx, v); err != nil {
					return st, fmt.Errorf("crawl: source %s: emit %s: %w", src.Name, v.ID, err)
				}
				st.Vacancies++
				if uncoded {
					st.Uncoded++
				}
			}
			rs.Hash = h
			if err := c.cfg.State.Put(ctx, rs); err != nil {
				st.fail(key, err)
			}
		}
		next.ETag, next.LastModified, next.Hash = resp.ETag, resp.LastModified, bodyHash
		if err := c.cfg.State.Put(ctx, next); err != nil {
			st.fail(fu, err)
		}
	}
	if !complete {
		log.Warn("feed incomplete: records not seen are not marked closed")
	} else {
		n, err := c.closeGone(ctx, src, started)
		st.Closed = n
		if err != nil {
			return st, err
		}
	}
	log.Info("feed crawl done", "listings", st.Listings, "vacancies", st.Vacancies, "unchanged", st.Unchanged,
		"not_modified", st.NotModified, "failed", st.Failed, "closed", st.Closed)
	return st, nil
}

// touchRecords marks the records of a feed answered 304 as seen now.
func (c *Crawler) touchRecords(ctx context.Context, source, feedKey string, now time.Time) error {
	pages, err := c.cfg.State.Pages(ctx, source)
	if err != nil {
		return fmt.Errorf("crawl: source %s: list crawl state: %w", source, err)
	}
	for _, p := range pages {
		if strings.HasPrefix(p.URL, feedKey+"#") && !p.Closed() {
			p.LastSeen = now
			if err := c.cfg.State.Put(ctx, p); err != nil {
				return fmt.Errorf("crawl: source %s: touch %s: %w", source, p.URL, err)
			}
		}
	}
	return nil
}
