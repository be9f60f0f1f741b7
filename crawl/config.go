package crawl

import (
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// DefaultUserAgent names the product and a contact, as polite crawlers do.
const DefaultUserAgent = "FabbisogniBot/1.0 (+https://github.com/fabbisogni/fabbisogni; crawler@fabbisogni.example)"

// Config configures a Crawler. Start from DefaultConfig; zero durations and
// sizes are invalid rather than "unlimited".
type Config struct {
	UserAgent    string        // sent on every request; default DefaultUserAgent. Its first token (before "/") is the robots.txt agent.
	Timeout      time.Duration // per request, headers and body; default 30s
	MaxBodyBytes int64         // larger bodies are refused (the page is reported, not parsed); default 5 MiB
	MaxRedirects int           // redirects followed per request, only within the source's allowed hosts; default 5
	MaxRetries   int           // retries after 429, 5xx or a network error; default 3
	RetryBackoff time.Duration // first retry wait, doubled each time (Retry-After wins when larger); default 1s
	MaxRetryWait time.Duration // cap on one retry wait, Retry-After included; default 2m
	RobotsTTL    time.Duration // how long a host's robots.txt is cached (RFC 9309: at most 24h); default 24h
	DefaultDelay time.Duration // per-host delay for sources without one; default 1s
	MaxPages     int           // fetches per crawl for sources without max_pages; default 10000

	Gazetteer *fabbisogni.Gazetteer // codes places to ISTAT municipalities; nil = places left uncoded
	Districts fabbisogni.Districts  // districts located from the coded municipality; default fabbisogni.DefaultDistricts()
	Logger    *slog.Logger          // nil = discard
	Now       func() time.Time      // clock for fetch times, first/last seen and closing; default time.Now
	State     State                 // crawl state per URL; default a new MemoryState (nothing survives the process)
	// Transport, when set, replaces the built-in transport (which refuses
	// private addresses at dial time). With a custom transport the address
	// check resolves the host before each request instead.
	Transport http.RoundTripper
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		UserAgent:    DefaultUserAgent,
		Timeout:      30 * time.Second,
		MaxBodyBytes: 5 << 20,
		MaxRedirects: 5,
		MaxRetries:   3,
		RetryBackoff: time.Second,
		MaxRetryWait: 2 * time.Minute,
		RobotsTTL:    24 * time.Hour,
		DefaultDelay: time.Second,
		MaxPages:     10000,
		Districts:    fabbisogni.DefaultDistricts(),
		Now:          time.Now,
	}
}

// Validate reports the first unusable setting, or nil.
func (c *Config) Validate() error {
	switch {
	case c.UserAgent == "":
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: empty user agent")
	case c.Timeout <= 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: timeout must be positive")
	case c.MaxBodyBytes <= 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: max body bytes must be positive")
	case c.MaxRedirects < 0 || c.MaxRetries < 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: negative max redirects or retries")
	case c.RetryBackoff <= 0 || c.MaxRetryWait <= 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: retry backoff and max retry wait must be positive")
	case c.RobotsTTL <= 0 || c.RobotsTTL > 24*time.Hour:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: robots TTL must be in (0, 24h]")
	case c.DefaultDelay < 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: negative default delay")
	case c.MaxPages <= 0:
		return fabbisogni.Errorf(fabbisogni.EInvalid, "crawl: config: max pages must be positive")
	}
	return nil
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
