package crawl_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/fabbisogni/fabbisogni/crawl"
)

// Invariants: never panic; every vacancy has an id and openings >= 1; text
// fields are valid UTF-8.
func checkVacancies(t *testing.T, body []byte, sel crawl.Selectors) {
	vs, err := crawl.ParsePage("https://fuzz.example/p?id=1", body, sel)
	if err != nil {
		return
	}
	for _, v := range vs {
		if v.ID == "" || v.Openings < 1 {
			t.Fatalf("vacancy without id or openings: %+v", v)
		}
		for _, s := range []string{v.Title, v.Description, v.FirmName, v.MunicipalityName, v.EmploymentType} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q", s)
			}
		}
	}
}

func FuzzParseJSONLD(f *testing.F) {
	for _, s := range []string{
		`{"@type":"JobPosting","title":"x","hiringOrganization":{"@id":"#o"},"jobLocation":[{"address":{"addressLocality":"Bra"}}]}`,
		`{"@graph":[{"@id":"#o","@type":"Organization","name":"A"},{"@type":"JobPosting","hiringOrganization":{"@id":"#o"},"baseSalary":{"value":{"minValue":"1.700","maxValue":2000}}}]}`,
		`[{"@type":["JobPosting"],"description":"&lt;ul&gt;&lt;li&gt;a&lt;/li&gt;&lt;/ul&gt;","totalJobOpenings":"9999999999","skills":[{"name":"x"},1,null]}]`,
		`{"@type":"JobPosting","identifier":{"value":{"@id":{"@id":"x"}}},"datePosted":"99/99/9999","validThrough":"2026-02-30T25:61:00+99:99"}`,
		`{"@type":"JobPosting","title":"a` + "\n" + `b"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, js string) {
		checkVacancies(t, []byte(`<html><head><script type="application/ld+json">`+js+`</script></head><body></body></html>`), crawl.Selectors{})
	})
}

func FuzzParseMicrodata(f *testing.F) {
	for _, s := range []string{
		`<div itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">T</h1><div itemprop="hiringOrganization" itemscope itemtype="https://schema.org/Organization"><span itemprop="name">N</span></div><time itemprop="datePosted" datetime="2026-01-02">x</time></div>`,
		`<div itemscope itemtype="JobPosting"><div itemprop="jobLocation" itemscope><div itemprop="address" itemscope itemtype="PostalAddress"><span itemprop="addressLocality">Alba</span></div></div><meta itemprop="totalJobOpenings" content="-3"></div>`,
		`<div itemscope itemtype="http://schema.org/JobPosting"><div itemscope itemtype="http://schema.org/JobPosting" itemprop="x"></div><a itemprop="url" href="::bad">u</a></div>`,
		`<h1>selectors</h1><p class="d">1 gennaio 2026</p>`,
	} {
		f.Add(s)
	}
	sel := crawl.Selectors{Title: "h1", DatePosted: ".d", ID: "h1@id", Openings: "p"}
	f.Fuzz(func(t *testing.T, html string) {
		checkVacancies(t, []byte(html), sel)
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-08-21", "21/08/2026", "21 agosto 2026", "lunedì 1° sett. 2026", "August 21, 2026", "2026-08-21T10:00:00+02:00", "31.12.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := crawl.ParseDate(s)
		if err == nil {
			if d.Year() < 1989 || d.Year() > 2201 {
				t.Fatalf("ParseDate(%q) = %v: out of range", s, d)
			}
			if d.Location().String() != "UTC" {
				t.Fatalf("ParseDate(%q) not in UTC", s)
			}
		} else if !strings.Contains(err.Error(), "date") {
			t.Fatalf("error without context: %v", err)
		}
	})
}
