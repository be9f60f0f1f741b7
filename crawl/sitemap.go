package crawl

import (
	"bytes"
	"encoding/xml"
	"strings"
)

// parseSitemap reads a sitemap: a urlset gives detail page URLs, a
// sitemapindex gives more sitemaps to read.
func parseSitemap(body []byte) (pages, sitemaps []string, err error) {
	var doc struct {
		XMLName xml.Name
		URLs    []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
		Sitemaps []struct {
			Loc string `xml:"loc"`
		} `xml:"sitemap"`
	}
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	for _, u := range doc.URLs {
		if l := strings.TrimSpace(u.Loc); l != "" {
			pages = append(pages, l)
		}
	}
	for _, s := range doc.Sitemaps {
		if l := strings.TrimSpace(s.Loc); l != "" {
			sitemaps = append(sitemaps, l)
		}
	}
	return pages, sitemaps, nil
}
