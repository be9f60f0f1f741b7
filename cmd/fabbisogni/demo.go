package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/survey"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func init() {
	register(command{name: "demo", summary: "run the whole pipeline once on the sample corpus and print a report", run: runDemo})
}

// demoResult is what a demo run produced, for the report and the tests.
type demoResult struct {
	Vacancies     int // published to vacancies.raw
	CrawlFailed   int
	SurveyRecords int // published to survey.raw
	SurveyRejects int // rows rejected by the import (dead-lettered and in the rejects report)
	JobSeekers    int // job-seeker profiles imported (the supply side of skill gaps)
	SeekerRejects int
	ForecastRows  int // rows written to hiring_forecasts
	Extract       pipelines.StageStats
	Sink          pipelines.StageStats
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var corpus, rejects string
	var fresh bool
	fs := newFlagSet("demo", "demo [flags]", `
Runs the whole pipeline once on the sample corpus: serves testdata/jobboard on
a loopback port and crawls it politely, imports the contact-campaign exports
in testdata/survey, extracts ESCO occupations and skills, streams every record
through Kafka (the embedded broker unless --brokers is given) into ClickHouse,
waits until both stages have committed everything, and prints rows per table,
the top 10 skills and occupations per district, and the clickhouse-client
command to query the data. Running it again changes no count.`, stderr)
	o.addLog(fs)
	o.addWarehouse(fs)
	o.addKafka(fs)
	o.addStages(fs)
	o.addData(fs)
	o.addNLP(fs)
	fs.StringVar(&corpus, "corpus", "testdata", "end-to-end corpus folder holding jobboard/ and survey/")
	fs.StringVar(&rejects, "rejects", "var/rejects", "folder for the survey rejects reports (CSV)")
	fs.BoolVar(&fresh, "fresh", false, "drop the database first")
	fs.StringVar(&o.boardAddr, "jobboard-addr", "127.0.0.1:18081", "loopback address the sample job board is served on (stable, so that re-crawls see the same URLs)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	res, err := a.demo(ctx, corpus, rejects, fresh)
	if err != nil {
		return err
	}
	return a.printReport(ctx, stdout, res)
}

func (a *app) demo(ctx context.Context, corpus, rejectsDir string, fresh bool) (*demoResult, error) {
	start := time.Now()
	if err := a.openWarehouse(ctx); err != nil {
		return nil, err
	}
	if fresh {
		if err := a.wh.DropDatabase(ctx); err != nil {
			return nil, err
		}
		if _, err := a.wh.Migrate(ctx); err != nil {
			return nil, err
		}
	}
	ex, _, err := a.extractor()
	if err != nil {
		return nil, err
	}
	gaz, err := a.gazetteer()
	if err != nil {
		return nil, err
	}
	if err := a.startKafka(ctx); err != nil {
		return nil, err
	}
	st, err := a.startStages(ctx, ex)
	if err != nil {
		return nil, err
	}
	res := &demoResult{}
	runErr := func() error {
		if err := a.demoCrawl(ctx, filepath.Join(corpus, "jobboard"), gaz, res); err != nil {
			return err
		}
		if err := a.demoSurvey(ctx, filepath.Join(corpus, "survey"), rejectsDir, gaz, res); err != nil {
			return err
		}
		a.log.Info("waiting for the stages to drain")
		if err := st.waitDrained(ctx, a.brokers, 5*time.Minute); err != nil {
			return err
		}
		if err := a.demoJobSeekers(ctx, ex, filepath.Join(corpus, "jobseekers"), rejectsDir, res); err != nil {
			return err
		}
		fr, err := a.forecastRun(ctx, defaultForecastRunConfig())
		res.ForecastRows = fr.Rows
		return err
	}()
	stopErr := st.stop()
	if runErr != nil {
		return nil, runErr
	}
	if stopErr != nil {
		return nil, stopErr
	}
	res.Extract, res.Sink = st.extract.Stats(), st.sinkStats()
	a.log.Info("demo done", "duration_ms", time.Since(start).Milliseconds(), "vacancies", res.Vacancies, "survey_records", res.SurveyRecords)
	return res, nil
}

// demoCrawl serves the sample job board on loopback and crawls it.
func (a *app) demoCrawl(ctx context.Context, dir string, gaz *fabbisogni.Gazetteer, res *demoResult) error {
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("demo job board: %w", err)
	}
	addr := a.o.boardAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("serve the demo job board: %w (pass --jobboard-addr)", err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	srcs, err := crawl.LoadSources(filepath.Join(dir, "sources.json"))
	if err != nil {
		return err
	}
	if srcs, err = crawl.ResolveSources(srcs, base); err != nil {
		return err
	}
	c, dedup, flushState, err := a.crawler(ctx, gaz)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		buf := newVacancyBuffer(a.producer, 200)
		stats, err := c.Crawl(ctx, src, dedup(buf.add))
		if ferr := buf.flush(ctx); err == nil {
			err = ferr
		}
		if ferr := flushState(ctx); err == nil {
			err = ferr
		}
		if err != nil {
			return fmt.Errorf("crawl %s: %w", src.Name, err)
		}
		for _, pe := range stats.Errors {
			a.log.Warn("page failed", "source", src.Name, "url", pe.URL, "err", pe.Reason)
		}
		res.Vacancies += stats.Vacancies
		res.CrawlFailed += stats.Failed
		a.log.Info("crawl done", "source", src.Name, "url", base, "pages", stats.Pages, "vacancies", stats.Vacancies, "unchanged", stats.Unchanged,
			"not_modified", stats.NotModified, "skipped_robots", stats.Skipped, "failed", stats.Failed, "uncoded", stats.Uncoded, "closed", stats.Closed)
	}
	return nil
}

// demoSurvey imports every export in dir.
func (a *app) demoSurvey(ctx context.Context, dir, rejectsDir string, gaz *fabbisogni.Gazetteer, res *demoResult) error {
	var files []string
	for _, pat := range []string{"*.csv", "*.xlsx"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		files = append(files, m...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		return fmt.Errorf("demo survey: no CSV or XLSX export in %s", dir)
	}
	im, err := a.surveyImporter(gaz, "campagna-demo")
	if err != nil {
		return err
	}
	st, err := a.importSurveys(ctx, im, files, rejectsDir)
	res.SurveyRecords += st.Accepted
	res.SurveyRejects += st.Rejected
	return err
}

// demoJobSeekers imports the pseudonymised job-seeker profiles in dir (the
// supply side of the skill gaps), rejects to a report.
func (a *app) demoJobSeekers(ctx context.Context, ex *nlp.Extractor, dir, rejectsDir string, res *demoResult) error {
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	if len(files) == 0 {
		return nil
	}
	var rejs []survey.RowError
	st, err := a.importJobSeekers(ctx, ex, "", files, func(e survey.RowError) { rejs = append(rejs, e) })
	if err != nil {
		return err
	}
	res.JobSeekers, res.SeekerRejects = st.Accepted, st.Rejected
	if len(rejs) > 0 {
		report := filepath.Join(rejectsDir, "jobseekers.rejects.csv")
		if err := writeRejects(report, rejs); err != nil {
			return err
		}
		a.log.Warn("job-seeker rows rejected", "rejected", len(rejs), "report", report)
	}
	return nil
}

// vacancyBuffer batches crawled vacancies into produce requests.
type vacancyBuffer struct {
	p   *pipelines.Producer
	n   int
	buf []fabbisogni.Vacancy
}

func newVacancyBuffer(p *pipelines.Producer, n int) *vacancyBuffer { return &vacancyBuffer{p: p, n: n} }

func (b *vacancyBuffer) add(ctx context.Context, v fabbisogni.Vacancy) error {
	b.buf = append(b.buf, v)
	if len(b.buf) >= b.n {
		return b.flush(ctx)
	}
	return nil
}

func (b *vacancyBuffer) flush(ctx context.Context) error {
	if len(b.buf) == 0 {
		return nil
	}
	err := b.p.PublishVacancies(ctx, b.buf...)
	b.buf = b.buf[:0]
	return err
}

func (a *app) printReport(ctx context.Context, w io.Writer, res *demoResult) error {
	counts, err := a.wh.Counts(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Fabbisogni demo: %d vacancies crawled, %d survey records imported (%d rows rejected), through Kafka %v into ClickHouse %s/%s\n",
		res.Vacancies, res.SurveyRecords, res.SurveyRejects, a.brokers, a.wh.Addr(), a.wh.Database())
	fmt.Fprintf(w, "Stages: extract in=%d out=%d dead-lettered=%d; sink in=%d out=%d dead-lettered=%d\n",
		res.Extract.In, res.Extract.Out, res.Extract.Failed, res.Sink.In, res.Sink.Out, res.Sink.Failed)
	fmt.Fprintf(w, "Job seekers imported: %d (%d rows rejected); forecast rows written: %d\n\n", res.JobSeekers, res.SeekerRejects, res.ForecastRows)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tROWS (FINAL)")
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\n", c.Table, c.Rows)
	}
	tw.Flush()

	skills, err := a.wh.TopSkills(ctx, 10)
	if err != nil {
		return err
	}
	occs, err := a.wh.TopOccupations(ctx, 10)
	if err != nil {
		return err
	}
	districts := map[string]bool{}
	for _, r := range append(append([]warehouse.Ranked{}, skills...), occs...) {
		districts[r.District] = true
	}
	names := make([]string, 0, len(districts))
	for d := range districts {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, d := range names {
		label := d
		if label == "" {
			label = "(outside the configured districts)"
		}
		fmt.Fprintf(w, "\n== %s\n", label)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TOP SKILLS\tMENTIONS\tWORKERS")
		for _, r := range skills {
			if r.District == d {
				fmt.Fprintf(tw, "%s\t%d\t%d\n", truncate(r.Label, 60), r.Mentions, r.Workers)
			}
		}
		fmt.Fprintln(tw, "\t\t")
		fmt.Fprintln(tw, "TOP OCCUPATIONS (ISCO-08)\tMENTIONS\tWORKERS")
		for _, r := range occs {
			if r.District == d {
				fmt.Fprintf(tw, "%s %s\t%d\t%d\n", r.Code, truncate(a.occupationLabel(r), 55), r.Mentions, r.Workers)
			}
		}
		tw.Flush()
	}
	host, port, _ := net.SplitHostPort(a.wh.Addr())
	fmt.Fprintf(w, "\nQuery the data:\n  clickhouse-client --host %s --port %s --database %s --query \"SELECT district, count() FROM vacancies FINAL GROUP BY district\"\n", host, port, a.wh.Database())
	fmt.Fprintf(w, "Reports: fabbisogni report gaps | report courses --district biella-tessile | report outreach --district torino-automotive (ready-made SQL: docs/queries.md)\n")
	return nil
}

func truncate(s string, n int) string {
	s = strings.TrimSpace(s)
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// occupationLabel names an occupation row: the ESCO label, or for an ISCO
// group (the answer when no 4-digit code was sure enough) the group's name.
func (a *app) occupationLabel(r warehouse.Ranked) string {
	if strings.HasPrefix(r.Label, "ISCO ") && a.tax != nil {
		if g, ok := a.tax.ISCOGroup(r.Code); ok && g.Label("it") != "" {
			return g.Label("it") + " (gruppo)"
		}
	}
	return r.Label
}
