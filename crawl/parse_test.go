package crawl_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

func TestParseDate(t *testing.T) {
	d := func(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"2026-08-21", d(2026, 8, 21)},
		{"21/08/2026", d(2026, 8, 21)},
		{"21.08.26", d(2026, 8, 21)},
		{"1/9/2026", d(2026, 9, 1)},
		{"21 agosto 2026", d(2026, 8, 21)},
		{"Pubblicato il 21 agosto 2026", d(2026, 8, 21)},
		{"lunedì 21 ago. 2026", d(2026, 8, 21)},
		{"1° settembre 2026", d(2026, 9, 1)},
		{"3 nov. 2026", d(2026, 11, 3)},
		{"21 AGOSTO 2026", d(2026, 8, 21)},
		{"5 November 2026", d(2026, 11, 5)},
		{"November 5, 2026", d(2026, 11, 5)},
		{"2026-12-05T23:59:59+01:00", time.Date(2026, 12, 5, 22, 59, 59, 0, time.UTC)},
		{"2026-12-05T10:00:00Z", time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)},
		{"2026-12-05 10:00", time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := crawl.ParseDate(tc.in)
			if err != nil || !got.Equal(tc.want) {
				t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "domani", "31/02/2026", "2026-13-01", "32 agosto 2026", "21 agosto", "a breve"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if got, err := crawl.ParseDate(bad); err == nil {
				t.Errorf("ParseDate(%q) = %v, want an error", bad, got)
			}
		})
	}
}

func page(head, body string) []byte {
	return []byte("<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>")
}

func ld(js string) string { return `<script type="application/ld+json">` + js + `</script>` }

func TestParsePageJSONLD(t *testing.T) {
	for _, tc := range []struct {
		name  string
		html  []byte
		check func(t *testing.T, title, desc, firm, place, id string, openings int, skills []string, salary [2]float64, unit string)
	}{
		{"plain text description with bullets and raw newlines",
			page(ld("{\"@context\":\"https://schema.org\",\"@type\":\"JobPosting\",\"title\":\"Magazziniere\",\"description\":\"Cerchiamo magazziniere.\n• carico e scarico\n• inventari\",\"hiringOrganization\":\"Logistica Alfa\",\"jobLocation\":{\"@type\":\"Place\",\"address\":\"Fossano\"},\"identifier\":42,\"totalJobOpenings\":\"3\",\"skills\":\"muletto; inventario, picking\"}"), ""),
			func(t *testing.T, title, desc, firm, place, id string, openings int, skills []string, salary [2]float64, unit string) {
				if desc != "Cerchiamo magazziniere.\n- carico e scarico\n- inventari" || firm != "Logistica Alfa" || place != "Fossano" || id != "42" || openings != 3 || len(skills) != 3 {
					t.Errorf("desc %q firm %q place %q id %q openings %d skills %v", desc, firm, place, id, openings, skills)
				}
			}},
		{"escaped HTML description, array of types, salary value",
			page(ld(`[{"@type":["JobPosting"],"name":"Saldatore","description":"&lt;p&gt;Saldatura TIG&lt;/p&gt;&lt;ul&gt;&lt;li&gt;acciaio inox&lt;/li&gt;&lt;/ul&gt;","baseSalary":{"@type":"MonetaryAmount","currency":"eur","value":{"@type":"QuantitativeValue","value":"1.800,00","unitText":"MONTH"}},"hiringOrganization":[{"@type":"Organization","name":"Inox Beta"}]}]`), ""),
			func(t *testing.T, title, desc, firm, place, id string, openings int, skills []string, salary [2]float64, unit string) {
				if title != "Saldatore" || desc != "Saldatura TIG\n- acciaio inox" || firm != "Inox Beta" || salary != [2]float64{1800, 1800} || unit != "MONTH" || openings != 1 {
					t.Errorf("title %q desc %q firm %q salary %v %s openings %d", title, desc, firm, salary, unit, openings)
				}
			}},
		{"graph with @id references and a DefinedTerm skill list",
			page(ld(`{"@context":"https://schema.org","@graph":[{"@type":"Organization","@id":"#o","name":"Gamma Srl"},{"@type":"Place","@id":"#p","address":{"@type":"PostalAddress","addressLocality":"Alba","addressRegion":"CN"}},{"@type":"JobPosting","title":"Enologo","hiringOrganization":{"@id":"#o"},"jobLocation":{"@id":"#p"},"skills":[{"@type":"DefinedTerm","name":"vinificazione"},"analisi sensoriale"],"identifier":{"@type":"PropertyValue","value":"G-7"}}]}`), ""),
			func(t *testing.T, title, desc, firm, place, id string, openings int, skills []string, salary [2]float64, unit string) {
				if firm != "Gamma Srl" || place != "Alba" || id != "G-7" || strings.Join(skills, "|") != "vinificazione|analisi sensoriale" {
					t.Errorf("firm %q place %q id %q skills %v", firm, place, id, skills)
				}
			}},
		{"JSON-LD wins over selectors, broken script ignored",
			page(ld(`{"@type":"JobPosting",`)+ld(`{"@type":"JobPosting","title":"Da JSON-LD"}`), `<h1>Da selettore</h1>`),
			func(t *testing.T, title, desc, firm, place, id string, openings int, skills []string, salary [2]float64, unit string) {
				if title != "Da JSON-LD" || !strings.HasPrefix(id, "url-") {
					t.Errorf("title %q id %q", title, id)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			vs, err := crawl.ParsePage("https://board.example/a/1.html", tc.html, crawl.Selectors{Title: "h1"})
			if err != nil || len(vs) != 1 {
				t.Fatalf("ParsePage: %d vacancies, %v", len(vs), err)
			}
			v := vs[0]
			tc.check(t, v.Title, v.Description, v.FirmName, v.MunicipalityName, v.ID, v.Openings, v.PublishedSkills, [2]float64{v.SalaryMin, v.SalaryMax}, v.SalaryUnit)
		})
	}
}

func TestParsePageMicrodataAndSelectors(t *testing.T) {
	micro := page("", `<div itemscope itemtype="http://schema.org/JobPosting"><span itemprop="title">Cuoco</span>
<div itemprop="hiringOrganization" itemscope itemtype="http://schema.org/Organization"><span itemprop="name">Trattoria Delta</span></div>
<span itemprop="jobLocation" itemscope itemtype="http://schema.org/Place"><span itemprop="address">Bra</span></span>
<meta itemprop="datePosted" content="2026-10-01"><div itemprop="description"><p>Cucina piemontese.</p><ul><li>primi</li><li>secondi</li></ul></div></div>`)
	vs, err := crawl.ParsePage("https://x.example/j", micro, crawl.Selectors{})
	if err != nil || len(vs) != 1 {
		t.Fatalf("microdata: %d, %v", len(vs), err)
	}
	if v := vs[0]; v.Title != "Cuoco" || v.FirmName != "Trattoria Delta" || v.MunicipalityName != "Bra" || v.Description != "Cucina piemontese.\n- primi\n- secondi" || v.DatePosted.IsZero() {
		t.Errorf("microdata vacancy %+v", v)
	}

	sel := crawl.Selectors{ID: "article@data-id", Title: "h1", Description: ".testo", Place: ".luogo", DatePosted: ".data", Openings: ".posti", Skills: "ul.skills li"}
	plain := page("", `<article data-id=" Rif. 77 "><h1>Cameriere</h1><p class="luogo">Cuneo</p><p class="data">Pubblicato il 2 marzo 2026</p><div class="testo">Servizio ai tavoli.<br>Turni serali.</div><span class="posti">n. 2 posti</span><ul class="skills"><li>inglese</li><li>HACCP</li></ul></article>`)
	vs, err = crawl.ParsePage("https://x.example/k", plain, sel)
	if err != nil || len(vs) != 1 {
		t.Fatalf("selectors: %d, %v", len(vs), err)
	}
	if v := vs[0]; v.ID != "77" || v.Description != "Servizio ai tavoli.\nTurni serali." || v.Openings != 2 || len(v.PublishedSkills) != 2 || v.DatePosted.Month() != time.March {
		t.Errorf("selector vacancy %+v", v)
	}
	vs, err = crawl.ParsePage("https://x.example/none", page("", "<p>Chi siamo</p>"), sel)
	if err != nil || len(vs) != 0 {
		t.Errorf("page without vacancy: %v, %v", vs, err)
	}
}

func TestLoadSources(t *testing.T) {
	srcs, err := crawl.LoadSources(testenv.Corpus(t, "jobboard", "sources.json"))
	if err != nil {
		t.Fatal(err)
	}
	if s := srcs[0]; s.Name != "jobboard-demo" || s.Delay != 20*time.Millisecond || s.Concurrency != 2 || s.Selectors.Title == "" {
		t.Errorf("loaded %+v", s)
	}
	r, err := crawl.ResolveSources(srcs, "http://127.0.0.1:8080/")
	if err != nil {
		t.Fatal(err)
	}
	if r[0].StartURLs[0] != "http://127.0.0.1:8080/index.html" || len(r[0].AllowedHosts) != 1 || r[0].AllowedHosts[0] != "127.0.0.1:8080" {
		t.Errorf("resolved %v %v", r[0].StartURLs, r[0].AllowedHosts)
	}
	if srcs[0].StartURLs[0] != "/index.html" {
		t.Error("ResolveSources changed its input")
	}
	for name, body := range map[string]string{
		"bad kind":       `{"sources":[{"name":"a","kind":"ftp","start_urls":["http://x/"]}]}`,
		"bad selector":   `{"sources":[{"name":"a","start_urls":["http://x/"],"selectors":{"title":"h1[["}}]}`,
		"duplicate name": `[{"name":"a","start_urls":["http://x/"]},{"name":"a","start_urls":["http://y/"]}]`,
		"bad delay":      `{"sources":[{"name":"a","start_urls":["http://x/"],"delay":"soon"}]}`,
		"unknown field":  `{"sources":[{"name":"a","start_urls":["http://x/"],"dealy":"1s"}]}`,
		"no start urls":  `{"sources":[{"name":"a"}]}`,
		"bad schedule":   `{"sources":[{"name":"a","start_urls":["http://x/"],"schedule":"every hour"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "sources.json")
			os.WriteFile(p, []byte(body), 0o644)
			if _, err := crawl.LoadSources(p); err == nil || !strings.Contains(err.Error(), "sources.json") {
				t.Errorf("LoadSources: err %v, want an error naming the file", err)
			}
		})
	}
}

func TestPageCommand(t *testing.T) {
	c := mustCrawler(t, testConfig(t))
	file := testenv.Corpus(t, "jobboard", "annunci", "saldatore-a-filo-mig-mag-to-2026-0102.html")
	srcs, _ := crawl.LoadSources(testenv.Corpus(t, "jobboard", "sources.json"))
	vs, err := c.Page(t.Context(), file, srcs[0].Selectors)
	if err != nil || len(vs) != 1 {
		t.Fatalf("Page(file): %v, %v", vs, err)
	}
	if v := vs[0]; v.ID != "page:TO-2026-0102" || v.MunicipalityCode != "001120" || v.District != "torino-automotive" || !strings.HasPrefix(v.Provenance.URL, "file://") {
		t.Errorf("Page(file) = %+v", v)
	}
	b := serveBoard(t, testenv.Corpus(t, "jobboard"), nil)
	vs, err = c.Page(t.Context(), b.URL+"/annunci/saldatore-a-filo-mig-mag-to-2026-0102.html", srcs[0].Selectors)
	if err != nil || len(vs) != 1 || vs[0].Title != "Saldatore a filo MIG/MAG" {
		t.Fatalf("Page(url): %v, %v", vs, err)
	}
	if _, err := c.Page(t.Context(), b.URL+"/riservato/annuncio-interno.html", srcs[0].Selectors); err == nil {
		t.Error("Page fetched a URL robots.txt disallows")
	}
}

// A JobPosting without title or description is not a vacancy: the page is
// reported as failed, not emitted.
func TestInvalidPostingReported(t *testing.T) {
	empty := page(ld(`{"@type":"JobPosting","identifier":"X-1","hiringOrganization":"Nessuno"}`), "")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			http.NotFound(w, r)
			return
		}
		w.Write(empty)
	}))
	defer srv.Close()
	c := mustCrawler(t, testConfig(t))
	var col collector
	st, err := c.Crawl(t.Context(), crawl.Source{Name: "s", StartURLs: []string{srv.URL + "/a"}, AllowPrivate: true}, col.emit)
	if err != nil {
		t.Fatal(err)
	}
	if len(col.vacs) != 0 || st.Failed != 1 || !strings.Contains(st.Errors[0].Reason, "neither title nor description") {
		t.Errorf("emitted %d, stats %+v", len(col.vacs), st)
	}
}
