package main

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/survey"
)

// The job-seeker sample (testdata/jobseekers/README.md): 365 rows, 360
// profiles, 120 per district, 5 bad rows.
const (
	wantSeekerRows     = 365
	wantSeekerProfiles = 360
	wantSeekerRejects  = 5
)

func checkJobSeekersImport(t *testing.T, a *app) {
	ctx := t.Context()
	ex, _, err := a.extractor()
	if err != nil {
		t.Fatal(err)
	}
	file := testenv.Corpus(t, "jobseekers", "candidati-demo.csv")
	for run := 1; run <= 2; run++ { // a re-import changes nothing
		var rejects []survey.RowError
		st, err := a.importJobSeekers(ctx, ex, "", []string{file}, func(e survey.RowError) { rejects = append(rejects, e) })
		if err != nil {
			t.Fatal(err)
		}
		if st.Rows != wantSeekerRows || st.Accepted != wantSeekerProfiles || st.Rejected != wantSeekerRejects || len(rejects) != wantSeekerRejects {
			t.Fatalf("run %d: %+v, %d rejects; want %d rows, %d profiles, %d rejected", run, st, len(rejects), wantSeekerRows, wantSeekerProfiles, wantSeekerRejects)
		}
		for _, r := range rejects {
			if r.File != "candidati-demo.csv" || r.Row < 2 || r.Reason == "" {
				t.Errorf("reject without its place: %+v", r)
			}
		}
	}
	perDistrict := queryCounts(t, a, "SELECT district, count() FROM job_seekers FINAL GROUP BY district")
	for _, d := range []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare"} {
		if perDistrict[d] != 120 {
			t.Errorf("%s has %d job seekers, want 120 (%v)", d, perDistrict[d], perDistrict)
		}
	}
	skills := queryCounts(t, a, "SELECT 'all', count() FROM job_seeker_skills FINAL")
	if skills["all"] < wantSeekerProfiles {
		t.Errorf("%d job-seeker skills for %d profiles: nlp coded too few", skills["all"], wantSeekerProfiles)
	}
	// No personal data: the Nominativo column never reaches the table.
	n, err := a.wh.RunQuery(ctx, "SELECT 1 FROM job_seekers FINAL WHERE match(skills_text, '@|[0-9]{9,}')")
	if err != nil || n != 0 {
		t.Errorf("%d profiles with an e-mail or phone number in their skills (err %v)", n, err)
	}
}

func queryCounts(t *testing.T, a *app, q string) map[string]uint64 {
	t.Helper()
	rows, err := a.wh.QueryStrings(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]uint64{}
	for _, r := range rows {
		var n uint64
		for _, c := range r[1] {
			n = n*10 + uint64(c-'0')
		}
		m[r[0]] = n
	}
	return m
}

func checkGaps(t *testing.T, a *app) {
	ctx := t.Context()
	gaps, err := a.wh.SkillGaps(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	type sums struct{ demand, supply float64 }
	by := map[string]*sums{}
	for _, g := range gaps {
		if by[g.District] == nil {
			by[g.District] = &sums{}
		}
		by[g.District].demand += g.DemandShare
		by[g.District].supply += g.SupplyShare
		if math.Abs(g.Gap-(g.DemandShare-g.SupplyShare)) > 2e-6 {
			t.Errorf("%s %s: gap %v != %v - %v", g.District, g.SkillLabel, g.Gap, g.DemandShare, g.SupplyShare)
		}
		if g.RequiredWorkers > g.DemandWorkers || g.PreferredWorkers > g.DemandWorkers || g.HardToFill != g.DifficultNeeds+g.LongOpen+g.Reposted {
			t.Errorf("inconsistent row %+v", g)
		}
	}
	for _, d := range []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare"} {
		s := by[d]
		if s == nil || math.Abs(s.demand-1) > 1e-3 || math.Abs(s.supply-1) > 1e-3 {
			t.Errorf("%s: shares add up to %+v, want 1 and 1", d, s)
		}
	}
	// The view agrees with a direct count: workers behind "tend weaving machines" in Biella.
	const weaving = "http://data.europa.eu/esco/skill/98d1f42a-dcfe-4c9f-9abb-e72aedeaa26b"
	direct := queryCounts(t, a, `
SELECT 'w', sum(w) FROM (
    SELECT vacancy_id AS id, any(greatest(openings, 1)) AS w FROM vacancy_skills FINAL
    WHERE district = 'biella-tessile' AND skill_uri = '`+weaving+`' AND negated = 0 GROUP BY vacancy_id
    UNION ALL
    SELECT need_id AS id, any(hires) AS w FROM hiring_need_skills FINAL
    WHERE district = 'biella-tessile' AND skill_uri = '`+weaving+`' AND negated = 0 GROUP BY need_id)`)
	for _, g := range gaps {
		if g.District == "biella-tessile" && g.SkillURI == weaving && g.DemandWorkers != direct["w"] {
			t.Errorf("weaving demand %d workers, direct count %d", g.DemandWorkers, direct["w"])
		}
	}
	var out bytes.Buffer
	if err := a.reportGaps(ctx, &out, "biella-tessile", 5); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SKILL GAPS  biella-tessile") || strings.Contains(out.String(), "torino") || strings.Count(out.String(), "\n") != 7 {
		t.Errorf("gaps report:\n%s", out.String())
	}
	if err := a.reportGaps(ctx, &out, "nowhere", 5); err == nil {
		t.Error("report of an unknown district succeeded")
	}
}

func checkCourses(t *testing.T, a *app) {
	ctx := t.Context()
	h, err := nlp.LoadSkillHierarchy(a.escoPaths()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare"} {
		d, err := a.lookupDistrict(filepath.Join(testenv.ModuleRoot(t), "configs", "districts.json"), name)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := a.planCourses(ctx, h, d, 30)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Modules) < 2 || plan.Forecast.RunID == "" {
			t.Fatalf("%s: %d modules, forecast %+v", name, len(plan.Modules), plan.Forecast)
		}
		learners, skills := 0, 0
		for _, m := range plan.Modules {
			learners += m.Learners
			skills += len(m.Skills)
			if len(m.Skills) == 0 || m.Learners < 1 || len(m.Occupations) == 0 || m.GapShare <= 0 {
				t.Errorf("%s: module %+v", name, m)
			}
		}
		// Learners never exceed the forecast workers (plus rounding up per module).
		if float64(learners) > plan.Forecast.Workers+float64(len(plan.Modules)) {
			t.Errorf("%s: %d learners for a forecast of %.1f workers", name, learners, plan.Forecast.Workers)
		}
		if skills > 30 {
			t.Errorf("%s: %d skills planned, at most 30", name, skills)
		}
		dir := t.TempDir()
		csvPath, xlsxPath, err := writeCoursesFiles(dir, plan)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(csvPath)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(recs) != len(plan.Modules)+1 {
			t.Fatalf("%s: CSV has %d records (err %v), want %d", csvPath, len(recs), err, len(plan.Modules)+1)
		}
		x, err := excelize.OpenFile(xlsxPath)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := x.GetRows("corsi")
		x.Close()
		if err != nil || len(rows) != len(recs) || rows[1][2] != recs[1][2] {
			t.Errorf("%s: XLSX rows %d (err %v) disagree with the CSV", xlsxPath, len(rows), err)
		}
		var out bytes.Buffer
		if err := writeCoursesTable(&out, plan); err != nil || !strings.Contains(out.String(), "COURSE PLAN  "+name) {
			t.Errorf("table (err %v):\n%s", err, out.String())
		}
	}
}

func checkOutreach(t *testing.T, a *app) {
	ctx := t.Context()
	rows, err := a.wh.Outreach(ctx, "torino-automotive", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 20 {
		t.Fatalf("%d firms in torino-automotive", len(rows))
	}
	never, contacted := 0, 0
	for i, r := range rows {
		if r.Why == "" || r.District != "torino-automotive" {
			t.Errorf("row %d without a reason: %+v", i, r)
		}
		if i > 0 && rows[i-1].Score < r.Score {
			t.Errorf("row %d out of order: %.2f after %.2f", i, r.Score, rows[i-1].Score)
		}
		if r.NeverContacted {
			never++
			if !strings.Contains(r.Why, "never contacted") || r.Contacts != 0 {
				t.Errorf("never-contacted row %+v", r)
			}
		} else {
			contacted++
			if !strings.Contains(r.Why, "last contacted") || r.LastContact.IsZero() {
				t.Errorf("contacted row %+v", r)
			}
		}
		if want := float64(r.PostedWorkers) + math.Max(float64(r.DeclaredHires), r.ForecastHires); math.Abs(r.ExpectedHires-want) > 0.02 {
			t.Errorf("%s: expected hires %.2f, want %.2f", r.FirmName, r.ExpectedHires, want)
		}
	}
	if never == 0 || contacted == 0 {
		t.Errorf("%d never contacted, %d contacted: want both kinds", never, contacted)
	}
	// The forecast shares of posting firms add up to the district forecast.
	fc, err := a.wh.NextQuarterWorkers(ctx, "torino-automotive")
	if err != nil {
		t.Fatal(err)
	}
	var share float64
	for _, r := range rows {
		share += r.ForecastHires
	}
	if math.Abs(share-fc.Workers) > 0.05*float64(len(rows)) {
		t.Errorf("firms' forecast shares add up to %.2f, district forecast %.2f", share, fc.Workers)
	}
	var out bytes.Buffer
	if err := a.reportOutreach(ctx, &out, "torino-automotive", 5); err != nil || strings.Count(out.String(), "\n") != 7 {
		t.Errorf("outreach report (err %v):\n%s", err, out.String())
	}
	names := make([]string, 0, len(rows))
	for _, r := range rows {
		names = append(names, r.FirmName)
	}
	sort.Strings(names)
	for i := 1; i < len(names); i++ {
		if names[i] == names[i-1] {
			t.Errorf("firm %q listed twice", names[i])
		}
	}
}

// checkDocsQueries runs every SQL block of docs/queries.md against the demo
// data (with job seekers and a forecast run loaded). Each must run; each
// must return rows, except the accuracy query, which needs observed target
// months and says so in the document.
func checkDocsQueries(t *testing.T, a *app) {
	doc, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(t), "docs", "queries.md"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```sql\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	if len(blocks) < 10 {
		t.Fatalf("docs/queries.md has %d SQL blocks", len(blocks))
	}
	for i, b := range blocks {
		q := strings.TrimSuffix(strings.TrimSpace(b[1]), ";")
		if strings.Contains(q, ";") {
			t.Errorf("block %d holds more than one statement", i+1)
		}
		n, err := a.wh.RunQuery(t.Context(), q)
		switch {
		case err != nil:
			t.Errorf("block %d failed: %v\n%s", i+1, err, q)
		case n == 0 && !strings.Contains(q, "AS coverage95"):
			t.Errorf("block %d returned no rows on the demo data:\n%s", i+1, q)
		}
	}
}

// checkCommands runs the commands as a user types them, on the test's
// database: flags, wiring and output.
func checkCommands(t *testing.T, a *app) {
	ctx := t.Context()
	common := []string{"--clickhouse", a.o.clickhouse, "--database", a.o.database}
	data := []string{"--data", a.o.data}
	out := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append([]string{"forecast", "run"}, common...), "rows in hiring_forecasts"},
		{append(append([]string{"jobseekers", "import"}, append(common, data...)...), testenv.Corpus(t, "jobseekers", "candidati-demo.csv")), "360 profiles stored, 5 rows rejected"},
		{append([]string{"report", "gaps", "--district", "cuneo-agroalimentare", "--limit", "3"}, common...), "SKILL GAPS  cuneo-agroalimentare"},
		{append(append([]string{"report", "courses", "--district", "torino-automotive", "--out", out,
			"--districts", filepath.Join(testenv.ModuleRoot(t), "configs", "districts.json")}, common...), data...), "courses-torino-automotive.xlsx"},
		{append([]string{"report", "outreach", "--district", "biella-tessile", "--limit", "5"}, common...), "OUTREACH PRIORITIES  biella-tessile"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(ctx, tc.args, &stdout, &stderr); code != 0 || !strings.Contains(stdout.String(), tc.want) {
			t.Errorf("fabbisogni %s: exit %d, want %q in\n%s\nstderr:\n%s", strings.Join(tc.args, " "), code, tc.want, stdout.String(), stderr.String())
		}
	}
	for _, args := range [][]string{
		{"report"}, {"report", "nothing"}, append([]string{"report", "courses"}, common...), {"jobseekers", "import"},
		append([]string{"report", "courses", "--district", "atlantide"}, append(common, data...)...),
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(ctx, args, &stdout, &stderr); code != 2 {
			t.Errorf("fabbisogni %s: exit %d, want 2 (usage)\n%s", strings.Join(args, " "), code, stderr.String())
		}
	}
}
