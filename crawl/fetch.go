package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/temoto/robotstxt"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/transform"

	"github.com/fabbisogni/fabbisogni"
)

// errDisallowed marks a URL robots.txt forbids; it is skipped, not fetched.
var errDisallowed = errors.New("disallowed by robots.txt")

// response is one fetched page, its body decoded to UTF-8.
type response struct {
	URL          string // final URL, after redirects
	Status       int
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	NotModified  bool // 304: Body is empty
}

type (
	sourceKey struct{} // *Source of the request, for the redirect check
	delayKey  struct{} // time.Duration to keep on the host
)

// politeTransport waits for the host's turn right before each request
// leaves, redirect hops included, and only then starts the request's
// timeout (which covers the body read): time spent queueing behind other
// requests to a slow host is not a timeout.
type politeTransport struct {
	f    *fetcher
	base http.RoundTripper
}

func (t *politeTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	delay, _ := req.Context().Value(delayKey{}).(time.Duration)
	if err := t.f.gate(req.URL.Host).wait(req.Context(), delay); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.f.cfg.Timeout)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

// fetcher does the polite HTTP work: robots.txt, per-host delay, address
// and redirect checks, retries, conditional GET, size limit, charset.
type fetcher struct {
	cfg    *Config
	strict *http.Client // refuses private addresses
	loose  *http.Client // for sources with AllowPrivate
	custom bool         // cfg.Transport set: check addresses before each request

	mu     sync.Mutex
	gates  map[string]*hostGate
	robots map[string]*robotsEntry

	fetches int64 // bodies requested (not robots.txt), for tests and stats
}

// hostGate spaces the requests to one host: each starts at least delay
// after the previous one started. Waiters queue on a one-slot channel (a
// lock that honours ctx), and the slot is stamped after the sleep, so a
// late-waking goroutine cannot start right on the heels of another.
type hostGate struct {
	slot chan struct{}
	last time.Time
}

func newHostGate() *hostGate { return &hostGate{slot: make(chan struct{}, 1)} }

func (g *hostGate) wait(ctx context.Context, delay time.Duration) error {
	select {
	case g.slot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slot }()
	if err := sleep(ctx, time.Until(g.last.Add(delay))); err != nil {
		return err
	}
	g.last = time.Now()
	return nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type robotsEntry struct {
	group   *robotstxt.Group
	fetched time.Time
}

func newFetcher(cfg *Config) *fetcher {
	f := &fetcher{cfg: cfg, gates: map[string]*hostGate{}, robots: map[string]*robotsEntry{}}
	mk := func(rt http.RoundTripper) *http.Client {
		return &http.Client{Transport: &politeTransport{f: f, base: rt}, CheckRedirect: f.checkRedirect}
	}
	if cfg.Transport != nil {
		f.custom = true
		f.strict, f.loose = mk(cfg.Transport), mk(cfg.Transport)
		return f
	}
	f.strict = mk(newTransport(false))
	f.loose = mk(newTransport(true))
	return f
}

func newTransport(allowPrivate bool) *http.Transport {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = func(network, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || isPrivateIP(ip) {
				return fabbisogni.Errorf(fabbisogni.EInvalid, "address %s refused: private, loopback or link-local (set allow_private on the source)", host)
			}
			return nil
		}
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = d.DialContext
	t.Proxy = nil // a proxy would hide the address being dialled
	t.MaxIdleConnsPerHost = 4
	return t
}

var cgnat = &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}

func isPrivateIP(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() || cgnat.Contains(ip)
}

func (f *fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > f.cfg.MaxRedirects {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "more than %d redirects", f.cfg.MaxRedirects)
	}
	src, _ := req.Context().Value(sourceKey{}).(*Source)
	if src != nil && !src.hostAllowed(req.URL) {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "redirect to %s refused: host %s not allowed", req.URL, req.URL.Host)
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "redirect to %s refused: scheme", req.URL)
	}
	return nil
}

func (f *fetcher) client(src *Source) *http.Client {
	if src.AllowPrivate {
		return f.loose
	}
	return f.strict
}

func (f *fetcher) gate(host string) *hostGate {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := f.gates[host]
	if g == nil {
		g = newHostGate()
		f.gates[host] = g
	}
	return g
}

// agent is the robots.txt product token: the User-Agent up to "/" or space.
func (f *fetcher) agent() string {
	ua := f.cfg.UserAgent
	if i := strings.IndexAny(ua, "/ "); i > 0 {
		ua = ua[:i]
	}
	return ua
}

// allowed checks robots.txt (fetched once per host and TTL) and returns the
// delay to keep on the host: the source's, or the robots.txt Crawl-delay
// when larger.
func (f *fetcher) allowed(ctx context.Context, src *Source, u *url.URL) (time.Duration, error) {
	delay := src.Delay
	if delay == 0 {
		delay = f.cfg.DefaultDelay
	}
	key := u.Scheme + "://" + u.Host
	now := f.cfg.Now()
	f.mu.Lock()
	e := f.robots[key]
	f.mu.Unlock()
	if e == nil || now.Sub(e.fetched) > f.cfg.RobotsTTL || now.Before(e.fetched) {
		g, err := f.fetchRobots(ctx, src, key, delay)
		if err != nil {
			if ctx.Err() != nil {
				return 0, ctx.Err()
			}
			if fabbisogni.ErrorCode(err) == fabbisogni.EInvalid {
				return 0, err // refused by our own rules (address, redirect): say so
			}
			// RFC 9309 2.3.1.4: robots.txt unreachable = complete disallow.
			return 0, fmt.Errorf("%w (robots.txt unreachable: %v)", errDisallowed, err)
		}
		e = &robotsEntry{group: g, fetched: now}
		f.mu.Lock()
		f.robots[key] = e
		f.mu.Unlock()
	}
	path := u.EscapedPath()
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if path == "" {
		path = "/"
	}
	if !e.group.Test(path) {
		return 0, errDisallowed
	}
	if e.group.CrawlDelay > delay {
		delay = e.group.CrawlDelay
	}
	return delay, nil
}

func (f *fetcher) fetchRobots(ctx context.Context, src *Source, base string, delay time.Duration) (*robotstxt.Group, error) {
	u, _ := url.Parse(base + "/robots.txt")
	resp, err := f.do(ctx, src, u, nil, delay, 500<<10)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			// 4xx: no rules (allow all); 5xx after retries: disallow all.
			rd, _ := robotstxt.FromStatusAndBytes(he.Status, nil)
			return rd.FindGroup(f.agent()), nil
		}
		return nil, err
	}
	rd, err := robotstxt.FromStatusAndBytes(resp.Status, resp.Body)
	if err != nil {
		return nil, fmt.Errorf("parse robots.txt: %w", err)
	}
	return rd.FindGroup(f.agent()), nil
}

// httpError is a final non-success status.
type httpError struct {
	Status int
	URL    string
}

func (e *httpError) Error() string { return fmt.Sprintf("GET %s: status %d", e.URL, e.Status) }

// get fetches u for src after checking the host and robots.txt; cond, when
// not nil, makes the request conditional.
func (f *fetcher) get(ctx context.Context, src *Source, u *url.URL, cond *PageState) (*response, error) {
	if !src.hostAllowed(u) {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "host %s not allowed for source %s", u.Host, src.Name)
	}
	delay, err := f.allowed(ctx, src, u)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	f.fetches++
	f.mu.Unlock()
	return f.do(ctx, src, u, cond, delay, f.cfg.MaxBodyBytes)
}

// do performs the request with retries on 429, 5xx and network errors.
func (f *fetcher) do(ctx context.Context, src *Source, u *url.URL, cond *PageState, delay time.Duration, maxBody int64) (*response, error) {
	ctx = context.WithValue(context.WithValue(ctx, sourceKey{}, src), delayKey{}, delay)
	if f.custom && !src.AllowPrivate {
		if err := checkHostAddrs(ctx, u.Hostname()); err != nil {
			return nil, err
		}
	}
	backoff := f.cfg.RetryBackoff
	var lastErr error
	for attempt := 0; attempt <= f.cfg.MaxRetries; attempt++ {
		resp, retryAfter, err := f.once(ctx, src, u, cond, maxBody)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		if ctx.Err() != nil || !retryable(err) || attempt == f.cfg.MaxRetries {
			break
		}
		wait := backoff
		if retryAfter > wait {
			wait = retryAfter
		}
		if wait > f.cfg.MaxRetryWait {
			wait = f.cfg.MaxRetryWait
		}
		f.cfg.Logger.Debug("retrying", "url", u.String(), "attempt", attempt+1, "wait_ms", wait.Milliseconds(), "reason", err.Error())
		if err := sleep(ctx, wait); err != nil {
			return nil, err
		}
		backoff *= 2
	}
	return nil, lastErr
}

func checkHostAddrs(ctx context.Context, host string) error {
	if ip := net.ParseIP(host); ip != nil {
		if isPrivateIP(ip) {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "address %s refused: private, loopback or link-local (set allow_private on the source)", host)
		}
		return nil
	}
	addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return fabbisogni.Errorf(fabbisogni.EUnavailable, "resolve %s: %v", host, err)
	}
	for _, a := range addrs {
		if isPrivateIP(a.IP) {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "host %s resolves to %s: private, loopback or link-local refused", host, a.IP)
		}
	}
	return nil
}

func retryable(err error) bool {
	var he *httpError
	if errors.As(err, &he) {
		return he.Status == http.StatusTooManyRequests || he.Status >= 500
	}
	return fabbisogni.ErrorCode(err) == fabbisogni.EUnavailable
}

func (f *fetcher) once(ctx context.Context, src *Source, u *url.URL, cond *PageState, maxBody int64) (*response, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, fabbisogni.Errorf(fabbisogni.EInvalid, "GET %s: %v", u, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.5")
	req.Header.Set("Accept-Language", "it,en;q=0.8")
	if cond != nil {
		if cond.ETag != "" {
			req.Header.Set("If-None-Match", cond.ETag)
		}
		if cond.LastModified != "" {
			req.Header.Set("If-Modified-Since", cond.LastModified)
		}
	}
	res, err := f.client(src).Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		var fe *fabbisogni.Error
		if errors.As(err, &fe) {
			return nil, 0, fabbisogni.Errorf(fe.Code, "GET %s: %s", u, fe.Message)
		}
		return nil, 0, fabbisogni.Errorf(fabbisogni.EUnavailable, "GET %s: %v", u, err)
	}
	defer res.Body.Close()
	out := &response{URL: res.Request.URL.String(), Status: res.StatusCode, ContentType: res.Header.Get("Content-Type"),
		ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	switch {
	case res.StatusCode == http.StatusNotModified:
		out.NotModified = true
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		return out, 0, nil
	case res.StatusCode < 200 || res.StatusCode > 299:
		io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
		return nil, retryAfter(res.Header.Get("Retry-After"), f.cfg.Now()), &httpError{Status: res.StatusCode, URL: u.String()}
	}
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, fabbisogni.Errorf(fabbisogni.EUnavailable, "GET %s: read body: %v", u, err)
	}
	if int64(len(body)) > maxBody {
		return nil, 0, fabbisogni.Errorf(fabbisogni.EInvalid, "GET %s: body larger than %d bytes", u, maxBody)
	}
	out.Body = toUTF8(body, out.ContentType)
	return out, 0, nil
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if s, err := strconv.Atoi(h); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		return t.Sub(now)
	}
	return 0
}

// toUTF8 decodes body to UTF-8. A body that is valid UTF-8 is kept as is
// whatever it declares (valid UTF-8 with accents is practically never
// genuine Latin-1, and Italian servers often declare the wrong charset).
// Otherwise the Content-Type charset is used, else a BOM or <meta charset>,
// else Windows-1252 (the superset of ISO-8859-1 that browsers use for both).
func toUTF8(body []byte, contentType string) []byte {
	if len(body) >= 2 && (body[0] == 0xfe && body[1] == 0xff || body[0] == 0xff && body[1] == 0xfe) {
		enc, _, _ := charset.DetermineEncoding(body, "")
		if out, _, err := transform.Bytes(enc.NewDecoder(), body); err == nil {
			return out
		}
	}
	if utf8.Valid(body) {
		return bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	}
	var enc encoding.Encoding
	if _, params, err := mime.ParseMediaType(contentType); err == nil && params["charset"] != "" {
		if e, name := charset.Lookup(params["charset"]); e != nil && name != "utf-8" {
			enc = e
		}
	}
	if enc == nil {
		enc, _, _ = charset.DetermineEncoding(body, "text/html")
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), body)
	if err != nil {
		return bytes.ToValidUTF8(body, []byte("\uFFFD"))
	}
	return out
}
