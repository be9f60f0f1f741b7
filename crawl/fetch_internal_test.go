package crawl

import (
	"net"
	"testing"
	"time"
)

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"120":                           2 * time.Minute,
		"Fri, 20 Nov 2026 09:00:30 GMT": 30 * time.Second,
		"soon":                          0,
		"-5":                            0,
	} {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestToUTF8(t *testing.T) {
	latin1 := []byte("<html><head><meta charset=\"iso-8859-1\"></head><body>qualit\xe0 \x80</body></html>")
	for _, tc := range []struct {
		name, ct string
		in       []byte
		want     string
	}{
		{"latin-1 by meta", "", latin1, "<html><head><meta charset=\"iso-8859-1\"></head><body>qualità €</body></html>"},
		{"latin-1 served as utf-8", "text/html; charset=utf-8", latin1, "<html><head><meta charset=\"iso-8859-1\"></head><body>qualità €</body></html>"},
		{"latin-1 by header, no meta", "text/html; charset=ISO-8859-1", []byte("citt\xe0"), "città"},
		{"undeclared non-UTF-8 is Windows-1252", "", []byte("perch\xe9 \x93ok\x94"), "perché “ok”"},
		{"UTF-8 declared Latin-1 stays UTF-8", "text/html; charset=iso-8859-1", []byte("già"), "già"},
		{"BOM dropped", "", []byte("\xef\xbb\xbfciao"), "ciao"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(toUTF8(tc.in, tc.ct)); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIsPrivateIP(t *testing.T) {
	for ip, want := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "192.168.0.1": true, "172.16.5.4": true, "169.254.169.254": true,
		"100.64.0.1": true, "::1": true, "fe80::1": true, "fc00::1": true, "0.0.0.0": true,
		"8.8.8.8": false, "151.101.1.69": false, "2a00:1450:4002::1": false,
	} {
		if got := isPrivateIP(net.ParseIP(ip)); got != want {
			t.Errorf("isPrivateIP(%s) = %v", ip, got)
		}
	}
}

func TestParseAmount(t *testing.T) {
	for in, want := range map[string]float64{"1700": 1700, "1.700": 1700, "1.700,50": 1700.5, "1,700.50": 1700.5, "€ 32.000": 32000, "16,5": 16.5, "1.234.567": 1234567, "12.5": 12.5} {
		if got, ok := parseAmount(in); !ok || got != want {
			t.Errorf("parseAmount(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
}
