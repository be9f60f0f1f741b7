package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
)

func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(t.Context(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestHelp(t *testing.T) {
	code, out, _ := runMain(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for name := range commands {
		if !strings.Contains(out, "  "+name) {
			t.Errorf("--help does not list %s", name)
		}
		// Every command explains itself; --help is not an error.
		args := []string{name, "--help"}
		switch name {
		case "survey":
			args = []string{"survey", "import", "--help"}
		case "dlq":
			args = []string{"dlq", "list", "--help"}
		case "report":
			args = []string{"report", "gaps", "--help"}
		case "jobseekers":
			args = []string{"jobseekers", "import", "--help"}
		case "forecast":
			args = []string{"forecast", "backtest", "--help"}
		}
		code, _, errOut := runMain(t, args...)
		if code != 0 || !strings.Contains(errOut, "Usage: fabbisogni "+name) {
			t.Errorf("%v: exit %d, help:\n%s", args, code, errOut)
		}
	}
	if code, _, _ := runMain(t, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, _ := runMain(t, "demo", "--no-such-flag"); code != 2 {
		t.Errorf("bad flag: exit %d, want 2", code)
	}
}

// TestExtractCommand: JSON lines in, one line out per input in order; a
// malformed line becomes an error line naming it, the rest goes on, and the
// exit status says so.
func TestExtractCommand(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.jsonl")
	lines := []string{
		`{"id":"a","title":"Saldatore TIG","text":"Richiesta esperienza nella saldatura TIG e lettura del disegno tecnico."}`,
		`{"id":"b", "title": }`,
		`{"id":"c","text":"Forklift operator, experience with warehouse management."}`,
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runMain(t, "extract", "--data", testenv.SharedData(t), "--log-level", "warn", in)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one malformed line)\n%s", code, errOut)
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if len(got) != 3 {
		t.Fatalf("%d output lines, want 3:\n%s", len(got), out)
	}
	var a, b, c struct {
		ID       string `json:"id"`
		Language string `json:"language"`
		Error    string `json:"error"`
		Skills   []struct {
			Text       string `json:"text"`
			Start, End int
		} `json:"skills"`
		TaxonomyVersion string `json:"taxonomy_version"`
	}
	for i, v := range []any{&a, &b, &c} {
		if err := json.Unmarshal([]byte(got[i]), v); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
	}
	if a.ID != "a" || a.Language != "it" || len(a.Skills) == 0 || a.TaxonomyVersion == "" {
		t.Errorf("line 1: %+v", a)
	}
	doc := "Saldatore TIG\nRichiesta esperienza nella saldatura TIG e lettura del disegno tecnico."
	for _, s := range a.Skills {
		if s.Start < 0 || s.End > len(doc) || doc[s.Start:s.End] != s.Text {
			t.Errorf("skill %+v: offsets do not point at its text", s)
		}
	}
	if !strings.Contains(b.Error, "line 2") {
		t.Errorf("line 2: %+v, want an error naming line 2", b)
	}
	if c.ID != "c" || c.Language != "en" {
		t.Errorf("line 3: %+v", c)
	}
}

// TestCrawlPageCommand prints the vacancy of one page of the demo board.
func TestCrawlPageCommand(t *testing.T) {
	pages, _ := filepath.Glob(testenv.Corpus(t, "jobboard", "annunci", "*.html"))
	if len(pages) == 0 {
		t.Fatal("no demo pages")
	}
	code, out, errOut := runMain(t, "crawl", "page", "--sources", testenv.Corpus(t, "jobboard", "sources.json"),
		"--data", testenv.SharedData(t), "--log-level", "warn", pages[0])
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var vs []struct {
		ID, Title, Description string
	}
	if err := json.Unmarshal([]byte(out), &vs); err != nil || len(vs) != 1 || vs[0].Title == "" || vs[0].Description == "" {
		t.Fatalf("output %s (%v)", out, err)
	}
}

// TestBacktestCommand runs the backtest on a CSV a user could write.
func TestBacktestCommand(t *testing.T) {
	var b strings.Builder
	b.WriteString("series,month,value\n")
	for s := 0; s < 3; s++ {
		for m := 0; m < 60; m++ {
			v := 100 + 10*float64(s) + 20*math.Sin(2*math.Pi*float64(m)/12) + float64(m)
			fmt.Fprintf(&b, "s%d,%d-%02d,%.1f\n", s, 2020+m/12, m%12+1, v)
		}
	}
	f := filepath.Join(t.TempDir(), "series.csv")
	if err := os.WriteFile(f, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runMain(t, "forecast", "backtest", "--series", f)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"OWA", "snaive", "comb", "1-3", "4-12"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("series,month,value\ns,2020-13,1\n"), 0o644)
	if code, _, errOut := runMain(t, "forecast", "backtest", "--series", bad); code == 0 || !strings.Contains(errOut, "line 2") {
		t.Errorf("bad CSV: exit %d, %q; want an error naming line 2", code, errOut)
	}
}

// TestOperatorCommands: migrate (twice), jobs and dlq list against the real servers.
func TestOperatorCommands(t *testing.T) {
	db := testenv.UniqueName(t, "cli")
	ch := testenv.ClickHouseAddr(t)
	for i := 0; i < 2; i++ {
		if code, out, errOut := runMain(t, "migrate", "--clickhouse", ch, "--database", db, "--log-level", "warn"); code != 0 || !strings.Contains(out, "up to date") {
			t.Fatalf("migrate %d: exit %d %s %s", i, code, out, errOut)
		}
	}
	if code, out, errOut := runMain(t, "jobs", "--clickhouse", ch, "--database", db, "--log-level", "warn"); code != 0 || !strings.Contains(out, "STATUS") {
		t.Fatalf("jobs: exit %d %s %s", code, out, errOut)
	}
	brokers := testservers.Broker(t)
	if code, out, errOut := runMain(t, "dlq", "list", "--brokers", strings.Join(brokers, ","), "--log-level", "warn"); code != 0 || out != "" {
		t.Fatalf("dlq list on an empty topic: exit %d %q %s", code, out, errOut)
	}
	if code, out, _ := runMain(t, "version"); code != 0 || !strings.Contains(out, "extractor") {
		t.Fatalf("version: exit %d %q", code, out)
	}
	a, err := newApp(options{clickhouse: ch, database: db, logLevel: "warn"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.openWarehouse(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer a.close()
	if err := a.wh.DropDatabase(t.Context()); err != nil {
		t.Fatal(err)
	}
}
