package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/xuri/excelize/v2"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func init() {
	register(command{name: "report", summary: "report gaps|courses|outreach: skill gaps, course plans for the academies, firms to call next", run: runReport})
}

const reportUsage = "usage: fabbisogni report gaps [--district NAME] [--min-score X] | report courses --district NAME [--min-score X] | report outreach --district NAME"

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{reportUsage}
	}
	switch args[0] {
	case "gaps":
		return runReportGaps(ctx, args[1:], stdout, stderr)
	case "courses":
		return runReportCourses(ctx, args[1:], stdout, stderr)
	case "outreach":
		return runReportOutreach(ctx, args[1:], stdout, stderr)
	}
	return usageError{reportUsage}
}

// reportApp opens the warehouse for a report command.
func reportApp(ctx context.Context, o options, stderr io.Writer) (*app, error) {
	if o.logLevel == "info" { // a report is for reading: keep the terminal for it
		o.logLevel = "warn"
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return nil, err
	}
	if err := a.openWarehouse(ctx); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// minScoreFlag is --min-score: demand counts only the skill mentions
// scoring at least this, a number from 0 to 1 (0: every mention).
type minScoreFlag float64

func (f *minScoreFlag) String() string { return formatScore(float64(*f)) }

func (f *minScoreFlag) Set(v string) error {
	x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(x >= 0 && x <= 1) { // NaN fails too
		return errors.New("want a number from 0 to 1, e.g. 0.6")
	}
	*f = minScoreFlag(x)
	return nil
}

// addMinScore adds --min-score to a report's flags.
func addMinScore(fs *flag.FlagSet, p *minScoreFlag) {
	fs.Var(p, "min-score", `count as demand only the skill mentions scoring at least `+"`X`"+`, from 0 to 1
(default 0: every mention). A mention's score is the share of such mentions
(the same wording coded as the same skill) that a careful human coder codes,
from the extractor's record on its hand-coded gold set (`+formatScore(nlp.UnseenFormReliability)+` for a wording
never checked there). On the gold set's unseen postings, mentions scoring 0.6
or more were right about 85 times in 100, all mentions about 76, at the cost
of about one right mention in seven. Job seekers' skills (supply) are not filtered; demand
shares, gaps and the district totals they divide by count only the kept
mentions.`)
}

// formatScore writes a score threshold as typed: 0.6, not 0.600000.
func formatScore(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// demandNote says which mentions a report's demand counts, for its header.
func demandNote(minScore float64) string {
	return "demand: skill mentions scoring " + formatScore(minScore) + " or more"
}

func runReportGaps(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var district string
	var limit int
	var minScore minScoreFlag
	fs := newFlagSet("report gaps", "report gaps [flags]", `
Prints the skill gaps of every district (or one): per ESCO skill, the share
of demand (workers requested by vacancies and hires declared by firms that
mention it) minus the share of supply (registered job seekers offering it),
largest gap first, with the hard-to-fill signals behind it: declared
difficulty, vacancies open over 45 days, reposts. The rows are those of the
skill_gaps view; with --min-score X, demand (and its shares, gaps and
hard-to-fill signals) counts only the skill mentions scoring X or more, the
surer list (--min-score 0.6: about 85 mentions in 100 right, against 76).`, stderr)
	o.addWarehouse(fs)
	o.addLog(fs)
	fs.StringVar(&district, "district", "", "district name (e.g. torino-automotive); empty for all")
	fs.IntVar(&limit, "limit", 15, "skills per district (0: all)")
	addMinScore(fs, &minScore)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := reportApp(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	return a.reportGaps(ctx, stdout, district, limit, float64(minScore))
}

// reportGaps prints the skill gaps over the demand of mentions scoring
// minScore or more (0: every mention; the header says so otherwise).
func (a *app) reportGaps(ctx context.Context, w io.Writer, district string, limit int, minScore float64) error {
	gaps, err := a.wh.SkillGaps(ctx, district, limit, minScore)
	if err != nil {
		return err
	}
	if len(gaps) == 0 {
		return fmt.Errorf("report gaps: no skill demand or supply for district %q in %s (run the pipeline and `fabbisogni jobseekers import` first)", district, a.wh.Database())
	}
	note := ""
	if minScore > 0 {
		note = "  (" + demandNote(minScore) + ")"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	cur := ""
	for _, g := range gaps {
		if g.District != cur {
			if cur != "" {
				fmt.Fprintln(tw)
			}
			cur = g.District
			fmt.Fprintf(tw, "SKILL GAPS  %s%s\n", cur, note)
			fmt.Fprintln(tw, "skill\tdemand %\tworkers\treq\tpref\tsupply %\tseekers\tgap pp\thard-to-fill\twhy")
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%d\t%d\t%d\t%.1f\t%d\t%+.1f\t%d\t%s\n", clip(g.SkillLabel, 48), 100*g.DemandShare, g.DemandWorkers,
			g.RequiredWorkers, g.PreferredWorkers, 100*g.SupplyShare, g.SupplySeekers, 100*g.Gap, g.HardToFill, hardWhy(g.DifficultNeeds, g.LongOpen, g.Reposted))
	}
	return tw.Flush()
}

func hardWhy(difficult, longOpen, reposted uint64) string {
	var p []string
	if difficult > 0 {
		p = append(p, fmt.Sprintf("%d needs rated difficult", difficult))
	}
	if longOpen > 0 {
		p = append(p, fmt.Sprintf("%d open >45 days", longOpen))
	}
	if reposted > 0 {
		p = append(p, fmt.Sprintf("%d reposted", reposted))
	}
	if len(p) == 0 {
		return "-"
	}
	return strings.Join(p, ", ")
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// courseModule is one module of a course plan: skills taught together.
type courseModule struct {
	Group       string // ESCO skill group URI ("" for skills outside the hierarchy)
	Code        string // group code, "S8.1"
	Label       string // group label
	Skills      []warehouse.SkillGap
	GapShare    float64  // sum of the skills' positive gaps
	Learners    int      // ceil(forecast workers x GapShare)
	Occupations []string // occupations served, most workers first
	Examples    []string // example postings: title <url>
	Why         string
}

// coursePlan is the plan of one academy (district and sector).
type coursePlan struct {
	District, Label string
	Sectors         []string
	Forecast        warehouse.DistrictForecast
	Quarter         string
	MinScore        float64 // demand counted only the skill mentions scoring this or more (0: every one)
	Modules         []courseModule
}

// courseGroupDepth is the depth in the ESCO skills pillar at which skills
// are grouped into modules: 0 is the pillar ("S"), 1 a top group ("S8
// working with machinery"), 2 its sub-group ("S8.1 ...").
const courseGroupDepth = 2

// planCourses builds the course plan of a district: the skills whose
// demand share exceeds their supply share (the largest maxSkills gaps),
// grouped into modules by their ESCO skill group at courseGroupDepth;
// a skill alone in its group joins the module whose skills it shares the
// most postings with (co-occurrence), when it shares any. Each module gets
// learners = ceil(next-quarter forecast of workers x the sum of its skills'
// gaps): over all modules that is at most the forecast itself. Demand,
// co-occurrence and examples count only the skill mentions scoring
// minScore or more (0: every mention).
func (a *app) planCourses(ctx context.Context, h *nlp.SkillHierarchy, d fabbisogni.District, maxSkills int, minScore float64) (coursePlan, error) {
	plan := coursePlan{District: d.Name, Label: d.Label, Sectors: d.ATECOPrefixes, MinScore: minScore}
	gaps, err := a.wh.SkillGaps(ctx, d.Name, 0, minScore)
	if err != nil {
		return plan, err
	}
	var teach []warehouse.SkillGap
	for _, g := range gaps {
		if g.Gap > 0 && len(teach) < maxSkills {
			teach = append(teach, g)
		}
	}
	if len(teach) == 0 {
		hint := "import job seekers and run the pipeline first"
		if minScore > 0 {
			hint = demandNote(minScore) + "; try a lower --min-score"
		}
		return plan, fabbisogni.Errorf(fabbisogni.ENotFound, "report courses: district %q has no skill whose demand exceeds supply in %s (%s)", d.Name, a.wh.Database(), hint)
	}
	if plan.Forecast, err = a.wh.NextQuarterWorkers(ctx, d.Name); err != nil {
		return plan, err
	}
	recs, err := a.wh.SkillRecords(ctx, d.Name, minScore)
	if err != nil {
		return plan, err
	}
	bySkill := map[string][]warehouse.SkillRecord{}
	for _, r := range recs {
		if r.Source == "need" && r.ATECO != "" && !d.MatchesSector(strings.ReplaceAll(r.ATECO, ".", "")) && !d.MatchesSector(r.ATECO) {
			continue // a declared need of a firm outside the academy's sector
		}
		bySkill[r.SkillURI] = append(bySkill[r.SkillURI], r)
	}
	// modules by skill group
	idx := map[string]int{}
	for _, g := range teach {
		grp := h.GroupAt(g.SkillURI, courseGroupDepth)
		i, ok := idx[grp]
		if !ok {
			i = len(plan.Modules)
			idx[grp] = i
			m := courseModule{Group: grp, Label: "other skills (outside the ESCO skill groups)"}
			if l, c, ok := h.GroupLabel(grp); ok {
				m.Label, m.Code = l, c
			}
			plan.Modules = append(plan.Modules, m)
		}
		plan.Modules[i].Skills = append(plan.Modules[i].Skills, g)
	}
	plan.Modules = mergeByCooccurrence(plan.Modules, bySkill)
	for i := range plan.Modules {
		m := &plan.Modules[i]
		for _, s := range m.Skills {
			m.GapShare += s.Gap
		}
		m.Learners = int(math.Ceil(plan.Forecast.Workers * m.GapShare))
		m.Occupations, m.Examples = moduleEvidence(m.Skills, bySkill)
		m.Why = fmt.Sprintf("%d skills demanded more than offered (gap %.1f pp of the district's skill demand)", len(m.Skills), 100*m.GapShare)
		if hard := sumHard(m.Skills); hard > 0 {
			m.Why += fmt.Sprintf("; %d hard-to-fill signals", hard)
		}
	}
	sort.SliceStable(plan.Modules, func(i, j int) bool {
		if plan.Modules[i].GapShare != plan.Modules[j].GapShare {
			return plan.Modules[i].GapShare > plan.Modules[j].GapShare
		}
		return plan.Modules[i].Label < plan.Modules[j].Label
	})
	return plan, nil
}

func sumHard(gs []warehouse.SkillGap) uint64 {
	var n uint64
	for _, g := range gs {
		n += g.HardToFill
	}
	return n
}

// mergeByCooccurrence moves every skill that is alone in its module into
// the module whose skills appear in the most of the same postings, when
// any; modules left empty are dropped.
func mergeByCooccurrence(ms []courseModule, bySkill map[string][]warehouse.SkillRecord) []courseModule {
	recs := func(uri string) map[string]bool {
		s := map[string]bool{}
		for _, r := range bySkill[uri] {
			s[r.RecordID] = true
		}
		return s
	}
	for i := range ms {
		if len(ms[i].Skills) != 1 {
			continue
		}
		mine := recs(ms[i].Skills[0].SkillURI)
		best, bestN := -1, 0
		for j := range ms {
			if j == i || len(ms[j].Skills) == 0 || (len(ms[j].Skills) == 1 && j > i) {
				continue
			}
			n := 0
			for _, s := range ms[j].Skills {
				for r := range recs(s.SkillURI) {
					if mine[r] {
						n++
					}
				}
			}
			if n > bestN {
				best, bestN = j, n
			}
		}
		if best >= 0 {
			ms[best].Skills = append(ms[best].Skills, ms[i].Skills[0])
			ms[i].Skills = nil
		}
	}
	out := ms[:0]
	for _, m := range ms {
		if len(m.Skills) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// moduleEvidence returns the occupations a module serves (by workers of
// the postings and needs mentioning its skills) and up to three example
// vacancies (those mentioning the most of its skills).
func moduleEvidence(skills []warehouse.SkillGap, bySkill map[string][]warehouse.SkillRecord) (occs, examples []string) {
	type rec struct {
		r     warehouse.SkillRecord
		count int
	}
	seen := map[string]*rec{}
	var order []string
	for _, s := range skills {
		for _, r := range bySkill[s.SkillURI] {
			if x, ok := seen[r.RecordID]; ok {
				x.count++
				continue
			}
			seen[r.RecordID] = &rec{r: r, count: 1}
			order = append(order, r.RecordID)
		}
	}
	occWorkers := map[string]uint64{}
	for _, id := range order {
		r := seen[id].r
		name := r.Occupation
		if name == "" && r.ISCO != "" {
			name = "ISCO " + r.ISCO
		}
		if name != "" {
			occWorkers[name] += max(r.Workers, 1)
		}
	}
	for o := range occWorkers {
		occs = append(occs, o)
	}
	sort.Slice(occs, func(i, j int) bool {
		if occWorkers[occs[i]] != occWorkers[occs[j]] {
			return occWorkers[occs[i]] > occWorkers[occs[j]]
		}
		return occs[i] < occs[j]
	})
	if len(occs) > 3 {
		occs = occs[:3]
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := seen[order[i]], seen[order[j]]
		if a.count != b.count {
			return a.count > b.count
		}
		return a.r.Workers > b.r.Workers
	})
	for _, id := range order {
		r := seen[id].r
		if r.Source != "vacancy" || len(examples) == 3 {
			continue
		}
		examples = append(examples, fmt.Sprintf("%s <%s>", r.Title, r.URL))
	}
	return occs, examples
}

// skillNames lists a module's skill labels.
func skillNames(gs []warehouse.SkillGap) string {
	n := make([]string, len(gs))
	for i, g := range gs {
		n[i] = g.SkillLabel
	}
	return strings.Join(n, "; ")
}

func runReportCourses(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var district, districtsFile, outDir string
	var maxSkills int
	var minScore minScoreFlag
	fs := newFlagSet("report courses", "report courses --district NAME [flags]", `
Plans the next quarter's courses for a district's training academy: the
skills whose share of demand (vacancies and declared needs) exceeds their
share among registered job seekers, grouped into course modules by the ESCO
skill hierarchy (skill group at depth 2, e.g. "S8.1") and by co-occurrence
in postings (a skill alone in its group joins the module it is most often
asked for with). Each module says how many learners it needs (next-quarter
forecast of workers requested x the module's gap share), which occupations
it serves and example postings. With --min-score X, demand (and so the
gaps, the learners, the co-occurrence and the examples) counts only the
skill mentions scoring X or more, the surer list. Writes the table on the
terminal and courses-DISTRICT.csv and courses-DISTRICT.xlsx in --out.`, stderr)
	o.addWarehouse(fs)
	o.addData(fs)
	o.addNLP(fs)
	o.addLog(fs)
	fs.StringVar(&district, "district", "", "district name, e.g. biella-tessile (required)")
	fs.StringVar(&districtsFile, "districts", "configs/districts.json", "districts JSON; the district's ATECO prefixes are the academy's sector")
	fs.StringVar(&outDir, "out", ".", "folder for the CSV and XLSX files")
	fs.IntVar(&maxSkills, "skills", 30, "largest gaps to plan for")
	addMinScore(fs, &minScore)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if district == "" {
		return usageError{"--district NAME is required"}
	}
	a, err := reportApp(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	d, err := a.lookupDistrict(districtsFile, district)
	if err != nil {
		return err
	}
	h, err := nlp.LoadSkillHierarchy(a.escoPaths()...)
	if err != nil {
		return err
	}
	plan, err := a.planCourses(ctx, h, d, maxSkills, float64(minScore))
	if err != nil {
		return err
	}
	if err := writeCoursesTable(stdout, plan); err != nil {
		return err
	}
	csvPath, xlsxPath, err := writeCoursesFiles(outDir, plan)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwritten: %s, %s\n", csvPath, xlsxPath)
	return nil
}

// lookupDistrict finds a district in the districts file (or the built-in
// ones when the file does not exist).
func (a *app) lookupDistrict(file, name string) (fabbisogni.District, error) {
	ds := fabbisogni.DefaultDistricts()
	if _, err := os.Stat(file); err == nil {
		if ds, err = warehouse.LoadDistricts(file, filepath.Join(a.o.data, "istat", "Elenco-comuni-italiani.csv")); err != nil {
			return fabbisogni.District{}, err
		}
	}
	d, ok := warehouse.District(ds, name)
	if !ok {
		var names []string
		for _, d := range ds {
			if !strings.HasPrefix(d.Name, "prov-") {
				names = append(names, d.Name)
			}
		}
		return d, usageError{fmt.Sprintf("district %q not in %s (districts: %s, or prov-XX for a province)", name, file, strings.Join(names, ", "))}
	}
	return d, nil
}

func (p coursePlan) header() []string {
	return []string{"module", "esco group", "skills", "gap pp", "learners", "occupations served", "example postings", "why"}
}

func (p coursePlan) rows() [][]string {
	var out [][]string
	for i, m := range p.Modules {
		out = append(out, []string{
			fmt.Sprintf("%d. %s", i+1, m.Label), m.Code, skillNames(m.Skills), fmt.Sprintf("%.1f", 100*m.GapShare), strconv.Itoa(m.Learners),
			strings.Join(m.Occupations, "; "), strings.Join(m.Examples, "; "), m.Why,
		})
	}
	return out
}

func writeCoursesTable(w io.Writer, p coursePlan) error {
	fmt.Fprintf(w, "COURSE PLAN  %s (%s)  sectors ATECO %s\n", p.District, p.Label, strings.Join(p.Sectors, ", "))
	fmt.Fprintf(w, "learners from: %.1f workers, %s\n", p.Forecast.Workers, p.Forecast.Basis)
	if p.MinScore > 0 {
		fmt.Fprintln(w, demandNote(p.MinScore))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "module\tgroup\tlearners\tgap pp\tskills\toccupations served")
	for i, m := range p.Modules {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%s\t%s\n", clip(fmt.Sprintf("%d. %s", i+1, m.Label), 44), m.Code, m.Learners, 100*m.GapShare,
			clip(skillNames(m.Skills), 70), clip(strings.Join(m.Occupations, "; "), 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, m := range p.Modules {
		if len(m.Examples) > 0 {
			fmt.Fprintf(w, "  %d. examples: %s\n", i+1, strings.Join(m.Examples, "; "))
		}
	}
	return nil
}

// writeCoursesFiles writes the plan as CSV and XLSX in dir.
func writeCoursesFiles(dir string, p coursePlan) (string, string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	base := filepath.Join(dir, "courses-"+p.District)
	f, err := os.Create(base + ".csv")
	if err != nil {
		return "", "", err
	}
	cw := csv.NewWriter(f)
	cw.Write(p.header())
	cw.WriteAll(p.rows())
	if err := errors.Join(cw.Error(), f.Close()); err != nil {
		return "", "", fmt.Errorf("report courses: write %s.csv: %w", base, err)
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "corsi"
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return "", "", err
	}
	hdr := p.header()
	if err := x.SetSheetRow(sheet, "A1", &hdr); err != nil {
		return "", "", err
	}
	for i, r := range p.rows() {
		cells := make([]any, len(r))
		for j, v := range r {
			cells[j] = v
		}
		cells[3], cells[4] = 100*p.Modules[i].GapShare, p.Modules[i].Learners
		if err := x.SetSheetRow(sheet, fmt.Sprintf("A%d", i+2), &cells); err != nil {
			return "", "", err
		}
	}
	info := "Sheet2"
	x.NewSheet(info)
	x.SetSheetName(info, "fonte")
	x.SetSheetRow("fonte", "A1", &[]any{"district", p.District})
	x.SetSheetRow("fonte", "A2", &[]any{"learners from", fmt.Sprintf("%.1f workers: %s", p.Forecast.Workers, p.Forecast.Basis)})
	x.SetSheetRow("fonte", "A3", &[]any{"sectors (ATECO)", strings.Join(p.Sectors, ", ")})
	if p.MinScore > 0 {
		x.SetSheetRow("fonte", "A4", &[]any{"demand counted", demandNote(p.MinScore)})
	}
	if err := x.SaveAs(base + ".xlsx"); err != nil {
		return "", "", fmt.Errorf("report courses: write %s.xlsx: %w", base, err)
	}
	return base + ".csv", base + ".xlsx", nil
}

func runReportOutreach(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var district string
	var limit int
	fs := newFlagSet("report outreach", "report outreach --district NAME [flags]", `
Ranks the firms of a district for the outreach team: expected hires (workers
requested by recent postings plus the larger of declared hires and the
firm's share of the district forecast), raised by hard-to-fill signals and
by time since the last contact (never contacted first). Each row says why.
Reads the outreach_priority view.`, stderr)
	o.addWarehouse(fs)
	o.addLog(fs)
	fs.StringVar(&district, "district", "", "district name (required)")
	fs.IntVar(&limit, "limit", 20, "firms to list (0: all)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if district == "" {
		return usageError{"--district NAME is required"}
	}
	a, err := reportApp(ctx, o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	return a.reportOutreach(ctx, stdout, district, limit)
}

func (a *app) reportOutreach(ctx context.Context, w io.Writer, district string, limit int) error {
	rows, err := a.wh.Outreach(ctx, district, limit)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return fabbisogni.Errorf(fabbisogni.ENotFound, "report outreach: no firms in district %q in %s", district, a.wh.Database())
	}
	fmt.Fprintf(w, "OUTREACH PRIORITIES  %s\n", district)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tfirm\tscore\texpected hires\tlast contact\twhy")
	for i, r := range rows {
		last := "never"
		if !r.NeverContacted {
			last = r.LastContact.Format("2006-01-02") + " " + r.LastOutcome
		}
		fmt.Fprintf(tw, "%d\t%s\t%.1f\t%.1f\t%s\t%s\n", i+1, clip(r.FirmName, 40), r.Score, r.ExpectedHires, last, r.Why)
	}
	return tw.Flush()
}
