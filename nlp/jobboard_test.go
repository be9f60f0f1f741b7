package nlp

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

type boardPosting struct {
	File        string
	Title       string `json:"title"`
	Description string `json:"description"`
}

var (
	ldRe    = regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`)
	blockRe = regexp.MustCompile(`(?i)</?(p|li|ul|ol|h[1-6]|br|div)[^>]*>`)
	tagRe   = regexp.MustCompile(`<[^>]+>`)
)

// htmlText turns a JobPosting description into text, one block a line, the
// way the crawler hands it over.
func htmlText(s string) string {
	s = blockRe.ReplaceAllString(s, "\n")
	s = tagRe.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// jobboardPostings reads the JSON-LD JobPostings of the demo job board.
func jobboardPostings(tb testing.TB) []boardPosting {
	tb.Helper()
	dir := testenv.Corpus(tb, "jobboard", "annunci")
	files, err := filepath.Glob(filepath.Join(dir, "*.html"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no job board postings in %s: %v", dir, err)
	}
	sort.Strings(files)
	var out []boardPosting
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, m := range ldRe.FindAllSubmatch(b, -1) {
			var p boardPosting
			var typ struct {
				Type string `json:"@type"`
			}
			if json.Unmarshal(m[1], &typ) != nil || typ.Type != "JobPosting" {
				continue
			}
			if err := json.Unmarshal(m[1], &p); err != nil {
				tb.Fatalf("%s: %v", f, err)
			}
			p.File = filepath.Base(f)
			p.Description = htmlText(p.Description)
			out = append(out, p)
		}
	}
	return out
}

func TestJobboardDump(t *testing.T) {
	if os.Getenv("NLPDEV") == "" {
		t.Skip("dev dump")
	}
	e := MustExtractor(t)
	for _, p := range jobboardPostings(t) {
		x := e.Extract(p.File, p.Title, p.Description)
		var sk []string
		for _, s := range x.Skills {
			sk = append(sk, s.Text+"→"+s.Label)
		}
		var oc []string
		for _, o := range x.Occupations {
			oc = append(oc, o.Label+"["+o.ISCO+"]")
		}
		g := ""
		if x.ISCOGroup != nil {
			g = x.ISCOGroup.Code
		}
		t.Logf("%s (%s) %q\n  OCC %v grp=%s\n  SK %v\n  ATTR %+v", p.File, x.Language, p.Title, oc, g, sk, x.Attributes)
	}
}

func TestOccDebug(t *testing.T) {
	if os.Getenv("NLPDEV") == "" {
		t.Skip("dev dump")
	}
	e := MustExtractor(t)
	for _, p := range jobboardPostings(t) {
		full := p.Title + "\n" + p.Description
		toks := tokenize(full, nil)
		m := e.occs[detectLanguage(toks)]
		s := m.stream(toks, m.stems(toks))
		var hs []string
		for _, h := range m.match(s, toks, nil) {
			a, b := toks[s.idx[h.from]].start, toks[s.idx[h.to-1]].end
			var ls []string
			for _, tg := range h.targets {
				ls = append(ls, e.concepts[tg.concept].label("it"))
			}
			if len(ls) > 3 {
				ls = ls[:3]
			}
			hs = append(hs, full[a:b]+"→"+strings.Join(ls, ","))
		}
		t.Logf("%s: %v", p.Title, hs)
	}
}
