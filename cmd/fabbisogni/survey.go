package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/survey"
)

func init() {
	register(command{name: "survey", summary: "import contact-campaign exports (CSV, XLSX), or pull them from a campaign tool's API", run: runSurvey})
}

func runSurvey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "pull" {
		return runSurveyPull(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, "Usage: fabbisogni survey import [flags] FILE...\n       fabbisogni survey pull [flags] --url URL")
			return nil
		}
		return usageError{"usage: fabbisogni survey import [flags] FILE... | survey pull [flags] --url URL"}
	}
	var o options
	var campaign, rejects, mapping string
	fs := newFlagSet("survey import", "survey import [flags] FILE...", `
Imports contact-campaign exports (CSV with ; , or tab, UTF-8 or Latin-1; XLSX)
and publishes one record per firm contact to survey.raw, from where the
extract and sink stages (fabbisogni run) carry it into ClickHouse. Names,
phone numbers and e-mail addresses of contact persons never leave this
command. Each bad row is reported with file, sheet, row, column, value and
reason: to the rejects report (CSV) and to the dead-letter topic; every
good row still goes through. Importing the same file again changes nothing.`, stderr)
	o.addLog(fs)
	o.addKafka(fs)
	o.addData(fs)
	fs.StringVar(&campaign, "campaign", "", "campaign name recorded on every contact (default: the file's base name)")
	fs.StringVar(&rejects, "rejects", "var/rejects", "folder for the rejects reports")
	fs.StringVar(&mapping, "mapping", "", "column mapping file (JSON); default: the usual Italian headers")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"no FILE given"}
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	gaz, err := a.gazetteer()
	if err != nil {
		return err
	}
	if err := a.startKafka(ctx); err != nil {
		return err
	}
	a.progress = progressBar(stderr)
	im, err := a.surveyImporterMapping(gaz, campaign, mapping)
	if err != nil {
		return err
	}
	st, err := a.importSurveys(ctx, im, fs.Args(), rejects)
	fmt.Fprintf(stdout, "rows %d, accepted %d, rejected %d, needs %d\n", st.Rows, st.Accepted, st.Rejected, st.Needs)
	return err
}

func (a *app) surveyImporter(gaz *fabbisogni.Gazetteer, campaign string) (*survey.Importer, error) {
	return a.surveyImporterMapping(gaz, campaign, "")
}

func (a *app) surveyImporterMapping(gaz *fabbisogni.Gazetteer, campaign, mappingFile string) (*survey.Importer, error) {
	cfg := survey.DefaultConfig()
	cfg.Progress = a.progress
	cfg.Campaign = campaign
	cfg.Gazetteer = gaz
	cfg.Logger = a.log
	if mappingFile != "" {
		m, err := survey.LoadMapping(mappingFile)
		if err != nil {
			return nil, err
		}
		cfg.Mapping = m
	}
	at, err := survey.LoadATECO(a.atecoPath())
	if err != nil {
		return nil, err
	}
	cfg.ATECO = at
	return survey.NewImporter(cfg)
}

// importSurveys imports the files, publishing good records to survey.raw
// and rejects to the dead-letter topic and a CSV report per file.
func (a *app) importSurveys(ctx context.Context, im *survey.Importer, files []string, rejectsDir string) (survey.Stats, error) {
	var total survey.Stats
	for _, f := range files {
		report := filepath.Join(rejectsDir, strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))+".rejects.csv")
		st, err := a.publishSurvey(ctx, f, report, func(emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(survey.RowError)) (survey.Stats, error) {
			return im.ImportFile(ctx, f, emit, reject)
		})
		total.Rows += st.Rows
		total.Accepted += st.Accepted
		total.Rejected += st.Rejected
		total.Needs += st.Needs
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// publishSurvey runs one import (a file or a pull), publishing good records
// to survey.raw in batches, and each rejected row to the dead-letter topic
// and to the rejects report (written only when there are rejects).
func (a *app) publishSurvey(ctx context.Context, name, report string, run func(emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(survey.RowError)) (survey.Stats, error)) (survey.Stats, error) {
	var recs []fabbisogni.SurveyRecord
	var rejs []survey.RowError
	flush := func() error {
		err := a.producer.PublishSurvey(ctx, recs...)
		recs = recs[:0]
		return err
	}
	st, err := run(func(ctx context.Context, r fabbisogni.SurveyRecord) error {
		recs = append(recs, r)
		if len(recs) >= 500 {
			return flush()
		}
		return nil
	}, func(e survey.RowError) { rejs = append(rejs, e) })
	if err == nil {
		err = flush()
	}
	if err != nil {
		return st, fmt.Errorf("survey %s: %w", name, err)
	}
	if len(rejs) > 0 {
		dls := make([]pipelines.DeadLetter, len(rejs))
		for i, e := range rejs {
			dls[i] = pipelines.DeadLetter{Stage: "survey-import", Reason: e.Error(), Source: fmt.Sprintf("%s:%s:%d", e.File, e.Sheet, e.Row), At: time.Now().UTC()}
		}
		if err := a.producer.PublishDeadLetters(ctx, dls...); err != nil {
			return st, err
		}
		if err := writeRejects(report, rejs); err != nil {
			return st, err
		}
		a.log.Warn("rows rejected", "file", name, "rejected", len(rejs), "report", report)
	}
	a.log.Info("survey imported", "file", name, "rows", st.Rows, "accepted", st.Accepted, "rejected", st.Rejected, "needs", st.Needs)
	return st, nil
}

// writeRejects writes a rejects report (CSV, values already masked).
func writeRejects(name string, rejs []survey.RowError) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	f, err := os.Create(name)
	if err != nil {
		return fmt.Errorf("rejects report: %w", err)
	}
	rw := survey.NewRejectsWriter(f)
	for _, e := range rejs {
		rw.Reject(e)
	}
	if err := rw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("rejects report %s: %w", name, err)
	}
	return f.Close()
}

// progressBar draws import progress on a terminal (nothing otherwise).
func progressBar(w io.Writer) func(survey.Progress) {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(p survey.Progress) {
		line := fmt.Sprintf("%s: %d rows", filepath.Base(p.File), p.Rows)
		if p.Size > 0 {
			pct := float64(p.Read) / float64(p.Size)
			n := int(pct * 30)
			line += fmt.Sprintf(" [%s%s] %3.0f%%", strings.Repeat("#", n), strings.Repeat(".", 30-n), pct*100)
		}
		if p.Done {
			fmt.Fprintf(f, "\r%s\n", line)
		} else {
			fmt.Fprintf(f, "\r%s", line)
		}
	}
}

func runSurveyPull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var pc pullOptions
	var rejects string
	fs := newFlagSet("survey pull", "survey pull [flags] --url URL", `
Pulls a contact campaign from the HTTP JSON endpoint of a campaign or CRM tool
(paginated; retries on network errors, 429 and 5xx honouring Retry-After)
and publishes it like "survey import": good records to survey.raw, rejected
items to the rejects report and the dead-letter topic. The bearer token is
read from FABBISOGNI_SURVEY_TOKEN, never from a flag (flags show in ps).`, stderr)
	o.addLog(fs)
	o.addKafka(fs)
	o.addData(fs)
	pc.add(fs)
	fs.StringVar(&rejects, "rejects", "var/rejects", "folder for the rejects report")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if pc.url == "" {
		return usageError{"--url is required"}
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	gaz, err := a.gazetteer()
	if err != nil {
		return err
	}
	if err := a.startKafka(ctx); err != nil {
		return err
	}
	st, err := a.pullSurvey(ctx, gaz, pc, rejects)
	fmt.Fprintf(stdout, "items %d, accepted %d, rejected %d, needs %d\n", st.Rows, st.Accepted, st.Rejected, st.Needs)
	return err
}

// pullOptions configure a survey pull (survey pull, and the scheduled pull of run).
type pullOptions struct {
	url, campaign string
}

func (p *pullOptions) add(fs *flag.FlagSet) {
	fs.StringVar(&p.url, "url", "", "campaign endpoint URL (token in FABBISOGNI_SURVEY_TOKEN)")
	fs.StringVar(&p.campaign, "campaign", "", "campaign name recorded on every contact (default: the endpoint's host and path)")
}

func (a *app) pullSurvey(ctx context.Context, gaz *fabbisogni.Gazetteer, pc pullOptions, rejectsDir string) (survey.Stats, error) {
	im, err := a.surveyImporter(gaz, pc.campaign)
	if err != nil {
		return survey.Stats{}, err
	}
	cfg := survey.DefaultPullConfig()
	cfg.URL = pc.url
	cfg.Token = os.Getenv("FABBISOGNI_SURVEY_TOKEN")
	report := filepath.Join(rejectsDir, fmt.Sprintf("pull-%s.rejects.csv", time.Now().UTC().Format("20060102T150405")))
	return a.publishSurvey(ctx, pc.url, report, func(emit func(context.Context, fabbisogni.SurveyRecord) error, reject func(survey.RowError)) (survey.Stats, error) {
		return im.Pull(ctx, cfg, emit, reject)
	})
}
