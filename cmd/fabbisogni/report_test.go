package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/survey"
	"github.com/fabbisogni/fabbisogni/warehouse"
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
	gaps, err := a.wh.SkillGaps(ctx, "", 0, 0)
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
	if err := a.reportGaps(ctx, &out, "biella-tessile", 5, 0); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "SKILL GAPS  biella-tessile") || strings.Contains(out.String(), "torino") || strings.Count(out.String(), "\n") != 7 {
		t.Errorf("gaps report:\n%s", out.String())
	}
	if err := a.reportGaps(ctx, &out, "nowhere", 5, 0); err == nil {
		t.Error("report of an unknown district succeeded")
	}
}

// checkMinScore: without --min-score the gaps are skill_gaps' rows, field
// for field and in order, and the report is the same with --min-score 0;
// from 0.6, demand, its shares and the district totals count only the
// mentions scoring 0.6 or more (checked against skill_demand directly),
// supply is unchanged, the order follows the new gaps, and course plans
// teach and quote only that demand.
func checkMinScore(t *testing.T, a *app) {
	ctx := t.Context()
	const minScore = 0.6
	all, err := a.wh.SkillGaps(ctx, "", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	view, err := a.wh.QueryStrings(ctx, `
SELECT district, skill_uri, skill_label, demand_records, demand_workers, required_workers, preferred_workers, demand_share,
       supply_seekers, supply_share, gap, difficult_needs, mean_difficulty, long_open_vacancies, reposted_vacancies, hard_to_fill_signals
FROM skill_gaps
ORDER BY district, gap DESC, hard_to_fill_signals DESC, skill_label`)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(view) {
		t.Fatalf("%d gaps with every mention, skill_gaps has %d", len(all), len(view))
	}
	for i, g := range all {
		got := fmt.Sprint([]any{g.District, g.SkillURI, g.SkillLabel, g.DemandRecords, g.DemandWorkers, g.RequiredWorkers, g.PreferredWorkers, g.DemandShare,
			g.SupplySeekers, g.SupplyShare, g.Gap, g.DifficultNeeds, g.MeanDifficulty, g.LongOpen, g.Reposted, g.HardToFill})
		if want := fmt.Sprint(view[i]); got != want {
			t.Errorf("row %d:\n%s\nskill_gaps:\n%s", i, got, want)
		}
	}

	// The oracle: kept demand straight from skill_demand.
	type key struct{ district, skill string }
	kept := map[key][2]uint64{} // records, workers
	total := map[string]uint64{}
	rows, err := a.wh.QueryStrings(ctx, `
SELECT district, skill_uri, count(), sum(workers) FROM skill_demand
WHERE district != '' AND score >= toFloat32(?)
GROUP BY district, skill_uri`, minScore)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		n, _ := strconv.ParseUint(r[2], 10, 64)
		w, _ := strconv.ParseUint(r[3], 10, 64)
		kept[key{r[0], r[1]}] = [2]uint64{n, w}
		total[r[0]] += w
	}
	weak := queryCounts(t, a, fmt.Sprintf("SELECT 'n', count() FROM skill_demand WHERE district != '' AND score < toFloat32(%v)", minScore))["n"]
	if weak == 0 || len(kept) == 0 {
		t.Fatalf("%d demand rows under %v and %d skills at or above it: the demo data cannot show the filter", weak, minScore, len(kept))
	}
	sure, err := a.wh.SkillGaps(ctx, "", 0, minScore)
	if err != nil {
		t.Fatal(err)
	}
	before := map[key]warehouse.SkillGap{}
	for _, g := range all {
		before[key{g.District, g.SkillURI}] = g
	}
	near := func(x, y float64) bool { return math.Abs(x-y) < 2e-6 }
	seen := map[key]bool{}
	shares := map[string]float64{}
	changed := 0
	for i, g := range sure {
		k := key{g.District, g.SkillURI}
		seen[k] = true
		b, want := before[k], kept[k]
		if g.DemandRecords != want[0] || g.DemandWorkers != want[1] || !near(g.DemandShare, float64(want[1])/float64(max(total[g.District], 1))) {
			t.Errorf("%s %s: demand %d records, %d workers, share %v; skill_demand from %v: %d, %d of %d", g.District, g.SkillLabel,
				g.DemandRecords, g.DemandWorkers, g.DemandShare, minScore, want[0], want[1], total[g.District])
		}
		if g.SupplySeekers != b.SupplySeekers || g.SupplyShare != b.SupplyShare || !near(g.Gap, g.DemandShare-g.SupplyShare) ||
			g.DemandWorkers > b.DemandWorkers || g.HardToFill > b.HardToFill {
			t.Errorf("%s %s: %+v\nwith every mention: %+v", g.District, g.SkillLabel, g, b)
		}
		if i > 0 && sure[i-1].District == g.District && sure[i-1].Gap < g.Gap {
			t.Errorf("%s: %s (gap %v) after %s (gap %v)", g.District, g.SkillLabel, g.Gap, sure[i-1].SkillLabel, sure[i-1].Gap)
		}
		if g.DemandShare != b.DemandShare {
			changed++
		}
		shares[g.District] += g.DemandShare
	}
	for k := range kept {
		if !seen[k] {
			t.Errorf("%s %s: demand from %v but no row", k.district, k.skill, minScore)
		}
	}
	for k, b := range before {
		if b.SupplySeekers > 0 && !seen[k] {
			t.Errorf("%s %s: offered by %d job seekers but no row from %v", k.district, k.skill, b.SupplySeekers, minScore)
		}
	}
	for d, sum := range shares {
		if math.Abs(sum-1) > 1e-3 {
			t.Errorf("%s: demand shares from %v add up to %v", d, minScore, sum)
		}
	}
	if changed == 0 || reflect.DeepEqual(gapOrder(all), gapOrder(sure)) {
		t.Errorf("from %v: %d demand shares changed, same order %v: the filter did nothing", minScore, changed, reflect.DeepEqual(gapOrder(all), gapOrder(sure)))
	}

	// The command: no flag and --min-score 0 print the same; 0.6 says so and differs.
	common := []string{"report", "gaps", "--limit", "0", "--clickhouse", a.o.clickhouse, "--database", a.o.database}
	outs := map[string]string{}
	for _, v := range []string{"", "0", "0.6"} {
		args := common
		if v != "" {
			args = append(append([]string{}, common...), "--min-score", v)
		}
		var stdout, stderr bytes.Buffer
		if code := Main(ctx, args, &stdout, &stderr); code != 0 {
			t.Fatalf("fabbisogni %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
		}
		outs[v] = stdout.String()
	}
	if outs[""] != outs["0"] || strings.Contains(outs[""], "scoring") {
		t.Errorf("report gaps: --min-score 0 differs from the default, or the default names a score")
	}
	if outs["0.6"] == outs[""] || !strings.Contains(outs["0.6"], "SKILL GAPS  biella-tessile  (demand: skill mentions scoring 0.6 or more)") {
		t.Errorf("report gaps --min-score 0.6:\n%s", outs["0.6"])
	}

	// Course plans from 0.6 teach kept gaps and quote kept mentions only.
	h, err := nlp.LoadSkillHierarchy(a.escoPaths()...)
	if err != nil {
		t.Fatal(err)
	}
	const district = "torino-automotive"
	d, err := a.lookupDistrict(filepath.Join(testenv.ModuleRoot(t), "configs", "districts.json"), district)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := a.planCourses(ctx, h, d, 30, minScore)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range plan.Modules {
		for _, s := range m.Skills {
			if g := kept[key{district, s.SkillURI}]; g[1] == 0 || s.Gap <= 0 {
				t.Errorf("module %q teaches %s: %d workers from %v, gap %v", m.Label, s.SkillLabel, g[1], minScore, s.Gap)
			}
		}
	}
	recs, err := a.wh.SkillRecords(ctx, district, minScore)
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for k, v := range kept {
		if k.district == district {
			n += v[0]
		}
	}
	if uint64(len(recs)) != n {
		t.Errorf("%s: %d skill records from %v, skill_demand has %d", district, len(recs), minScore, n)
	}
	var out bytes.Buffer
	if err := writeCoursesTable(&out, plan); err != nil || len(plan.Modules) == 0 || !strings.Contains(out.String(), "\ndemand: skill mentions scoring 0.6 or more\n") {
		t.Errorf("course plan from %v (err %v):\n%s", minScore, err, out.String())
	}
}

// gapOrder lists the skills of each district in report order.
func gapOrder(gs []warehouse.SkillGap) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.District + " " + g.SkillURI
	}
	return out
}

// TestReportMinScoreFlag: --min-score outside 0..1 or not a number is a
// usage error naming the flag (before any server is reached), and the
// help of both reports explains it.
func TestReportMinScoreFlag(t *testing.T) {
	for _, report := range []string{"gaps", "courses"} {
		for _, v := range []string{"1.5", "-0.1", "abc", "NaN", ""} {
			code, _, errOut := runMain(t, "report", report, "--district", "biella-tessile", "--min-score", v)
			if code != 2 || !strings.Contains(errOut, `invalid value "`+v+`" for flag -min-score: want a number from 0 to 1`) {
				t.Errorf("report %s --min-score %q: exit %d, want 2 and an error naming the flag:\n%s", report, v, code, errOut)
			}
		}
		code, _, help := runMain(t, "report", report, "--help")
		if code != 0 || !strings.Contains(help, "-min-score X") || !strings.Contains(help, "careful human coder") || !strings.Contains(help, "--min-score X") {
			t.Errorf("report %s --help: exit %d, want --min-score explained:\n%s", report, code, help)
		}
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
		plan, err := a.planCourses(ctx, h, d, 30, 0)
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
