package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

// demoOptions point the demo at the test ClickHouse, a database of its own,
// and an embedded broker persisted in kafkaDir.
func demoOptions(t *testing.T, database, kafkaDir string) options {
	return options{
		clickhouse: testenv.ClickHouseAddr(t),
		database:   database,
		kafkaDir:   kafkaDir,
		kafkaPort:  0,
		partitions: 3,
		data:       testenv.SharedData(t),
		logLevel:   "warn",
	}
}

// The sample corpus, counted by hand: the job board has 42 vacancy pages
// (one more page sits under a robots.txt-disallowed path and must not be
// crawled); the campaign export has 91 rows, 8 of them bad, and its 83 good
// rows are 60 distinct contacts of 60 firms declaring 59 needs; the job-seeker
// export has 360 good profiles and 5 bad rows.
var wantDemo = map[string]uint64{
	"vacancies":    42,
	"firms":        60,
	"contacts":     60,
	"hiring_needs": 59,
	"job_seekers":  360, // testdata/jobseekers: 365 rows, 5 bad
}

const (
	wantSurveyRecords = 83
	wantSurveyRejects = 8
)

// TestDemoEndToEnd runs the demo corpus through the embedded broker (over
// TCP, as with a real cluster) into ClickHouse, twice: the second run
// restarts the broker from its data directory and re-crawls and re-imports
// everything, and no FINAL count changes.
func TestDemoEndToEnd(t *testing.T) {
	ctx := t.Context()
	db := testenv.UniqueName(t, "e2e")
	kafkaDir := t.TempDir()
	board := freeAddr(t) // the same board address for both runs, as in make demo
	var first map[string]uint64
	for run := 1; run <= 2; run++ {
		var stderr bytes.Buffer
		o := demoOptions(t, db, kafkaDir)
		o.boardAddr = board
		a, err := newApp(o, &stderr)
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.demo(ctx, testenv.Corpus(t), t.TempDir(), false)
		if err != nil {
			a.close()
			t.Fatalf("run %d: %v\n%s", run, err, stderr.String())
		}
		// The second crawl finds every page unchanged (conditional GET and
		// content hashes kept in ClickHouse) and emits nothing; the survey
		// import is idempotent by file and row, so it may send everything again.
		wantCrawled := int(wantDemo["vacancies"])
		if run == 2 {
			wantCrawled = 0
		}
		if res.Vacancies != wantCrawled || res.SurveyRecords != wantSurveyRecords || res.SurveyRejects != wantSurveyRejects {
			t.Errorf("run %d: crawled %d vacancies, imported %d records, rejected %d rows; want %d, %d, %d",
				run, res.Vacancies, res.SurveyRecords, res.SurveyRejects, wantCrawled, wantSurveyRecords, wantSurveyRejects)
		}
		if n, err := a.wh.RunQuery(ctx, "SELECT vacancy_id FROM vacancy_lifetimes"); err != nil || n != int(wantDemo["vacancies"]) {
			t.Errorf("run %d: vacancy_lifetimes has %d rows (%v), want one per vacancy", run, n, err)
		}
		if res.JobSeekers != 360 || res.SeekerRejects != 5 || res.ForecastRows == 0 {
			t.Errorf("run %d: %d job seekers (%d rejected), %d forecast rows; want 360 (5) and some forecasts", run, res.JobSeekers, res.SeekerRejects, res.ForecastRows)
		}
		if res.Extract.Failed != 0 || res.Sink.Failed != 0 {
			t.Errorf("run %d: %d + %d records dead-lettered by the stages", run, res.Extract.Failed, res.Sink.Failed)
		}
		got := tableCounts(t, a)
		for table, want := range wantDemo {
			if got[table] != want {
				t.Errorf("run %d: %s has %d rows, want %d", run, table, got[table], want)
			}
		}
		if got["vacancy_skills"] == 0 || got["hiring_need_skills"] == 0 || got["job_seeker_skills"] == 0 {
			t.Errorf("run %d: no skills stored: %v", run, got)
		}
		if run == 1 {
			first = got
			checkSkillRows(t, a)
			checkReadmeQueries(t, a)
			checkNoPersonalData(t, a)
			var out bytes.Buffer
			if err := a.printReport(ctx, &out, res); err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare", "TOP SKILLS", "TOP OCCUPATIONS", "clickhouse-client --host"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("report lacks %q:\n%s", want, out.String())
				}
			}
			// The bad survey rows are in the dead-letter topic, with their file and row.
			dls, err := pipelines.ReadDeadLetters(ctx, a.brokers, 1000)
			if err != nil {
				t.Fatal(err)
			}
			if len(dls) != wantSurveyRejects {
				t.Errorf("%d dead letters, want %d", len(dls), wantSurveyRejects)
			}
			for _, d := range dls {
				if d.Stage != "survey-import" || !strings.Contains(d.Source, ".csv") || d.Reason == "" {
					t.Errorf("dead letter without its source: %+v", d)
				}
			}
		} else {
			for table, n := range first {
				if got[table] != n {
					t.Errorf("second run changed %s: %d rows, then %d", table, n, got[table])
				}
			}
		}
		if err := a.wh.Exec(ctx, "SELECT 1"); err != nil {
			t.Fatal(err)
		}
		if run == 2 {
			a.wh.DropDatabase(context.Background())
		}
		a.close()
	}
}

func tableCounts(t *testing.T, a *app) map[string]uint64 {
	t.Helper()
	cs, err := a.wh.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]uint64{}
	for _, c := range cs {
		m[c.Table] = c.Rows
	}
	return m
}

// checkSkillRows re-extracts every stored vacancy with the same extractor
// and checks that vacancy_skills holds exactly the mentions it finds.
func checkSkillRows(t *testing.T, a *app) {
	t.Helper()
	ex, _, err := a.extractor()
	if err != nil {
		t.Fatal(err)
	}
	vs, err := a.wh.StoredVacancies(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, v := range vs {
		want += len(ex.Extract(v.ID, v.Title, v.Description).Skills)
	}
	if got := tableCounts(t, a)["vacancy_skills"]; got != uint64(want) {
		t.Errorf("vacancy_skills has %d rows; re-extracting the %d stored vacancies finds %d mentions", got, len(vs), want)
	}
}

// checkReadmeQueries runs every SQL example of README.md against the demo
// data: each must run and return rows.
func checkReadmeQueries(t *testing.T, a *app) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no SQL examples")
	}
	for _, b := range blocks {
		for _, q := range strings.Split(b[1], ";") {
			if strings.TrimSpace(stripComments(q)) == "" {
				continue
			}
			n, err := a.wh.RunQuery(t.Context(), q)
			if err != nil {
				t.Errorf("README query failed: %v\n%s", err, q)
			} else if n == 0 {
				t.Errorf("README query returned no rows on the demo data:\n%s", q)
			}
		}
	}
}

func stripComments(q string) string {
	var b strings.Builder
	for _, l := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// checkNoPersonalData scans every text column of every table for the names,
// phone numbers and e-mail addresses of the contact persons in the imported
// campaign export (columns Referente, Telefono, Email, also written into
// Note), and for anything shaped like an e-mail or a phone number: none may
// reach ClickHouse.
func checkNoPersonalData(t *testing.T, a *app) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(testenv.Corpus(t, "survey"), "*.csv"))
	var names, phones []string
	nonDigit := regexp.MustCompile(`\D`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		col := map[string]int{}
		for _, l := range strings.Split(string(b), "\n") {
			cells := strings.Split(l, ";")
			if _, ok := col["Referente"]; !ok {
				for i, c := range cells {
					col[strings.TrimSpace(c)] = i
				}
				continue
			}
			get := func(h string) string {
				if i, ok := col[h]; ok && i < len(cells) {
					return strings.TrimSpace(cells[i])
				}
				return ""
			}
			if n := get("Referente"); len(n) > 3 {
				names = append(names, strings.ToLower(n))
			}
			if p := strings.TrimPrefix(nonDigit.ReplaceAllString(get("Telefono"), ""), "39"); len(p) >= 9 {
				phones = append(phones, p)
			}
		}
	}
	if len(names) < 20 || len(phones) < 20 {
		t.Fatalf("found only %d contact names and %d phones in the export: the scan would prove little", len(names), len(phones))
	}
	email := regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	phone := regexp.MustCompile(`(?:\+39[ .]?)?\b(?:3\d{2}|0\d{1,3})[ .]\d{3}[ .]?\d{3,4}\b`)
	hits, values := 0, 0
	scan := func(table, column, v string) {
		values++
		low := strings.ToLower(v)
		report := func(what, m string) {
			hits++
			t.Errorf("%s.%s holds %s %q: %q", table, column, what, m, truncate(v, 120))
		}
		for _, n := range names {
			if strings.Contains(low, n) {
				report("the contact name", n)
				return
			}
		}
		digits := nonDigit.ReplaceAllString(v, "")
		for _, p := range phones {
			if strings.Contains(digits, p) {
				report("the contact phone", p)
				return
			}
		}
		if m := email.FindString(v); m != "" {
			report("an e-mail address", m)
		} else if m := phone.FindString(v); m != "" {
			report("a phone number", m)
		}
	}
	// The detectors must fire on the export itself, or the scan proves nothing.
	var rawHits int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, l := range strings.Split(string(b), "\n") {
			low := strings.ToLower(l)
			found := email.MatchString(l) || phone.MatchString(l)
			for _, n := range names {
				found = found || strings.Contains(low, n)
			}
			if found {
				rawHits++
			}
		}
	}
	if rawHits < 20 {
		t.Fatalf("the detectors find personal data on only %d lines of the export itself", rawHits)
	}
	err := a.wh.EachText(t.Context(), scan)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("privacy scan: %d text values against %d contact names and %d phones, %d hits (the detectors fire on %d lines of the export)", values, len(names), len(phones), hits, rawHits)
}
