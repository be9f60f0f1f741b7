package nlp

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

type boardPosting struct {
	File        string
	Title       string `json:"title"`
	Description string `json:"description"`
}

var (
	h1Re    = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	bodyRe  = regexp.MustCompile(`(?s)<div class="(?:annuncio-testo|testo)">(.*?)</div>`)
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
		found := false
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
			found = true
		}
		if found {
			continue
		}
		// pages without JSON-LD: the visible title and text block
		h, d := h1Re.FindSubmatch(b), bodyRe.FindSubmatch(b)
		if h == nil || d == nil {
			tb.Fatalf("%s: neither JSON-LD nor an annuncio-testo block", f)
		}
		out = append(out, boardPosting{File: filepath.Base(f), Title: htmlText(string(h[1])), Description: htmlText(string(d[1]))})
	}
	return out
}

var update = flag.Bool("update", false, "rewrite golden files")

// goldenPosting is the reviewable summary of one extraction in the golden file.
type goldenPosting struct {
	File        string                `json:"file"`
	Title       string                `json:"title"`
	Language    string                `json:"language"`
	BestISCO    string                `json:"best_isco"`
	Occupations []string              `json:"occupations"`
	Skills      []string              `json:"skills"`
	Attributes  fabbisogni.Attributes `json:"attributes"`
}

// TestJobboardGolden extracts every posting of the demo job board and
// compares with testdata/jobboard.golden.json; run with -update after a
// deliberate change (lexicon, scoring) and review the diff.
func TestJobboardGolden(t *testing.T) {
	e := MustExtractor(t)
	var got []goldenPosting
	for _, p := range jobboardPostings(t) {
		x := e.Extract(p.File, p.Title, p.Description)
		g := goldenPosting{File: p.File, Title: p.Title, Language: x.Language, BestISCO: x.BestISCO(), Attributes: x.Attributes, Occupations: []string{}, Skills: []string{}}
		for _, o := range x.Occupations {
			g.Occupations = append(g.Occupations, fmt.Sprintf("%s %s %.3f", o.ISCO, o.Label, o.Score))
		}
		for _, s := range x.Skills {
			flags := ""
			if s.Required {
				flags += " required"
			}
			if s.Preferred {
				flags += " preferred"
			}
			if s.Negated {
				flags += " negated"
			}
			if len(s.Ambiguous) > 0 {
				flags += " ambiguous"
			}
			g.Skills = append(g.Skills, fmt.Sprintf("%q -> %s [%d:%d]%s", s.Text, s.Label, s.Start, s.End, flags))
		}
		got = append(got, g)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	path := filepath.Join("testdata", "jobboard.golden.json")
	if *update {
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestJobboardGolden -update to create it)", err)
	}
	if string(want) != string(b) {
		var w []goldenPosting
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if i >= len(w) || !reflect.DeepEqual(got[i], w[i]) {
				gb, _ := json.MarshalIndent(got[i], "", "  ")
				t.Errorf("posting %d differs from the golden file; got:\n%s", i, gb)
			}
		}
		if len(w) != len(got) {
			t.Errorf("golden has %d postings, got %d", len(w), len(got))
		}
	}
}
