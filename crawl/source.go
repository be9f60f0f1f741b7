package crawl

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/fabbisogni/fabbisogni"
)

// Source kinds.
const (
	KindHTML     = "html"     // listing pages with pagination, linking to detail pages
	KindSitemap  = "sitemap"  // a sitemap (urlset or sitemapindex) listing detail pages
	KindJSONFeed = "jsonfeed" // a JSON feed in the Lazio CPI format (array or one object a line)
)

// Source is one place vacancies are collected from, as written in the
// sources file. Zero values take the defaults documented beside each field.
type Source struct {
	Name         string    `json:"name"`                    // unique, stable: prefixes every vacancy id ("jobboard-demo")
	Kind         string    `json:"kind"`                    // "html" (default), "sitemap" or "jsonfeed"
	StartURLs    []string  `json:"start_urls"`              // listing pages, sitemaps or feed URLs; relative ones need ResolveSources
	AllowedHosts []string  `json:"allowed_hosts,omitempty"` // hosts (host or host:port) pages may be fetched from; empty = the hosts of StartURLs
	Selectors    Selectors `json:"selectors"`               // CSS selectors for listings and for detail pages without structured data
	Schedule     string    `json:"schedule,omitempty"`      // cron spec for the scheduler ("0 */6 * * *"); not used by Crawl itself
	// Delay is the minimum time between two requests to one host; written
	// as a Go duration string ("1s", "250ms"). 0 = Config.DefaultDelay. A
	// larger robots.txt Crawl-delay wins.
	Delay        time.Duration `json:"-"`
	Concurrency  int           `json:"concurrency,omitempty"`   // detail pages fetched in parallel; 0 = 1
	MaxPages     int           `json:"max_pages,omitempty"`     // fetches per crawl (listings + details); 0 = Config.MaxPages
	District     string        `json:"district,omitempty"`      // district hint, used when the place of work is not in any district
	Province     string        `json:"province,omitempty"`      // province hint for places published without one ("TO", "001")
	AllowPrivate bool          `json:"allow_private,omitempty"` // allow loopback, private and link-local addresses (tests, intranet boards)
}

// Selectors locate things in HTML pages. A selector is a goquery (CSS)
// selector, optionally followed by "@attr" to read an attribute instead of
// the text ("article.job@data-id", "a.next@href").
type Selectors struct {
	DetailLinks    string `json:"detail_links,omitempty"`    // on listing pages: links to detail pages (href read)
	NextPage       string `json:"next_page,omitempty"`       // on listing pages: the link to the next listing page
	ID             string `json:"id,omitempty"`              // the posting's own identifier
	Title          string `json:"title,omitempty"`           // required for selector parsing: no title, no vacancy
	Description    string `json:"description,omitempty"`     // converted to clean text, list items one a line
	Firm           string `json:"firm,omitempty"`            // hiring organisation
	Place          string `json:"place,omitempty"`           // place of work ("Grugliasco (TO)", "Comune di Bra")
	Province       string `json:"province,omitempty"`        // province, when the page gives it apart
	DatePosted     string `json:"date_posted,omitempty"`     // "21 agosto 2026", "21/08/2026", "2026-08-21"
	ValidThrough   string `json:"valid_through,omitempty"`   // expiry date, same forms
	EmploymentType string `json:"employment_type,omitempty"` // contract as published
	Openings       string `json:"openings,omitempty"`        // number of workers requested (first number in the text)
	Skills         string `json:"skills,omitempty"`          // each match is one published skill
}

// UnmarshalJSON reads a source, with Delay as a duration string.
func (s *Source) UnmarshalJSON(b []byte) error {
	type plain Source
	var aux struct {
		plain
		Delay string `json:"delay,omitempty"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields() // a misspelt key is an error, not a silent default
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	*s = Source(aux.plain)
	if aux.Delay != "" {
		d, err := time.ParseDuration(aux.Delay)
		if err != nil {
			return fmt.Errorf("source %q: delay %q: %w", s.Name, aux.Delay, err)
		}
		s.Delay = d
	}
	return nil
}

// MarshalJSON writes a source, with Delay as a duration string.
func (s Source) MarshalJSON() ([]byte, error) {
	type plain Source
	aux := struct {
		plain
		Delay string `json:"delay,omitempty"`
	}{plain: plain(s)}
	if s.Delay > 0 {
		aux.Delay = s.Delay.String()
	}
	return json.Marshal(aux)
}

// Validate reports why the source cannot be crawled, or nil.
func (s *Source) Validate() error {
	switch {
	case strings.TrimSpace(s.Name) == "":
		return fabbisogni.Errorf(fabbisogni.EInvalid, "source: missing name")
	case s.Kind != "" && s.Kind != KindHTML && s.Kind != KindSitemap && s.Kind != KindJSONFeed:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: unknown kind %q (html, sitemap, jsonfeed)", s.Name, s.Kind)
	case len(s.StartURLs) == 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: no start_urls", s.Name)
	case s.Delay < 0 || s.Concurrency < 0 || s.MaxPages < 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: negative delay, concurrency or max_pages", s.Name)
	}
	if s.Schedule != "" {
		if _, err := cron.ParseStandard(s.Schedule); err != nil {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: schedule %q: %v", s.Name, s.Schedule, err)
		}
	}
	for _, u := range s.StartURLs {
		pu, err := url.Parse(u)
		if err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: start url %q is not an absolute http(s) URL (relative URLs need ResolveSources)", s.Name, u)
		}
	}
	for _, sel := range []string{s.Selectors.DetailLinks, s.Selectors.NextPage, s.Selectors.ID, s.Selectors.Title, s.Selectors.Description,
		s.Selectors.Firm, s.Selectors.Place, s.Selectors.Province, s.Selectors.DatePosted, s.Selectors.ValidThrough,
		s.Selectors.EmploymentType, s.Selectors.Openings, s.Selectors.Skills} {
		if err := checkSelector(sel); err != nil {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "source %s: %v", s.Name, err)
		}
	}
	return nil
}

func (s *Source) kind() string {
	if s.Kind == "" {
		return KindHTML
	}
	return s.Kind
}

// hostAllowed reports whether u may be fetched for this source.
func (s *Source) hostAllowed(u *url.URL) bool {
	h := strings.ToLower(u.Host)
	hn := strings.ToLower(u.Hostname())
	for _, a := range s.AllowedHosts {
		a = strings.ToLower(a)
		if a == h || a == hn {
			return true
		}
	}
	return false
}

// LoadSources reads a sources file: a JSON object {"sources": [...]} or a
// bare JSON array of sources. Every source is validated except for relative
// start URLs, which ResolveSources turns absolute. Names must be unique.
func LoadSources(path string) ([]Source, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("crawl: load sources: %w", err)
	}
	var srcs []Source
	trimmed := strings.TrimSpace(string(b))
	if strings.HasPrefix(trimmed, "[") {
		err = json.Unmarshal(b, &srcs)
	} else {
		var doc struct {
			Sources []Source `json:"sources"`
		}
		dec := json.NewDecoder(strings.NewReader(trimmed))
		dec.DisallowUnknownFields()
		err = dec.Decode(&doc)
		srcs = doc.Sources
	}
	if err != nil {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: sources file %s: %v", path, err)
	}
	seen := map[string]bool{}
	for i := range srcs {
		s := &srcs[i]
		if seen[s.Name] {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: sources file %s: source #%d: duplicate name %q", path, i+1, s.Name)
		}
		seen[s.Name] = true
		probe := *s
		probe.StartURLs = nil
		for _, u := range s.StartURLs {
			if pu, err := url.Parse(u); err == nil && pu.Host == "" {
				u = "http://relative.invalid" + "/" + strings.TrimPrefix(u, "/")
			}
			probe.StartURLs = append(probe.StartURLs, u)
		}
		if err := probe.Validate(); err != nil {
			return nil, fmt.Errorf("crawl: sources file %s: source #%d: %w", path, i+1, err)
		}
	}
	return srcs, nil
}

// ResolveSources returns copies of srcs with relative start URLs resolved
// against base (e.g. the address of a local test server) and base's host
// added to the allowed hosts of every source that has relative start URLs.
// Sources without allowed hosts get the hosts of their start URLs.
func ResolveSources(srcs []Source, base string) ([]Source, error) {
	bu, err := url.Parse(base)
	if err != nil || bu.Host == "" {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: resolve sources: base %q is not an absolute URL", base)
	}
	out := make([]Source, len(srcs))
	for i, s := range srcs {
		s.StartURLs = append([]string(nil), s.StartURLs...)
		s.AllowedHosts = append([]string(nil), s.AllowedHosts...)
		for j, u := range s.StartURLs {
			pu, err := url.Parse(u)
			if err != nil {
				return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: source %s: start url %q: %v", s.Name, u, err)
			}
			if !pu.IsAbs() {
				pu = bu.ResolveReference(pu)
				s.StartURLs[j] = pu.String()
				s.AllowedHosts = appendHost(s.AllowedHosts, bu.Host)
			}
		}
		if len(s.AllowedHosts) == 0 {
			for _, u := range s.StartURLs {
				if pu, err := url.Parse(u); err == nil && pu.Host != "" {
					s.AllowedHosts = appendHost(s.AllowedHosts, pu.Host)
				}
			}
		}
		if err := s.Validate(); err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func appendHost(hosts []string, h string) []string {
	for _, x := range hosts {
		if strings.EqualFold(x, h) {
			return hosts
		}
	}
	return append(hosts, h)
}
