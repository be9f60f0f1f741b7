package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/survey"
)

func init() {
	register(command{name: "survey", summary: "import contact-campaign exports (CSV, XLSX) into the pipeline", run: runSurvey})
}

func runSurvey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stderr, "Usage: fabbisogni survey import [flags] FILE...")
			return nil
		}
		return usageError{"usage: fabbisogni survey import [flags] FILE..."}
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
	if err := fs.Parse(args[1:]); err != nil {
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
		var recs []fabbisogni.SurveyRecord
		var rejs []survey.RowError
		flush := func() error {
			if err := a.producer.PublishSurvey(ctx, recs...); err != nil {
				return err
			}
			recs = recs[:0]
			return nil
		}
		st, err := im.ImportFile(ctx, f, func(ctx context.Context, r fabbisogni.SurveyRecord) error {
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
			return total, fmt.Errorf("survey %s: %w", f, err)
		}
		if len(rejs) > 0 {
			dls := make([]pipelines.DeadLetter, len(rejs))
			for i, e := range rejs {
				dls[i] = pipelines.DeadLetter{Stage: "survey-import", Reason: e.Error(), Source: fmt.Sprintf("%s:%s:%d", e.File, e.Sheet, e.Row), At: time.Now().UTC()}
			}
			if err := a.producer.PublishDeadLetters(ctx, dls...); err != nil {
				return total, err
			}
			report, err := writeRejects(rejectsDir, f, rejs)
			if err != nil {
				return total, err
			}
			a.log.Warn("rows rejected", "file", f, "rejected", len(rejs), "report", report)
		}
		a.log.Info("survey imported", "file", f, "rows", st.Rows, "accepted", st.Accepted, "rejected", st.Rejected, "needs", st.Needs)
		total.Rows += st.Rows
		total.Accepted += st.Accepted
		total.Rejected += st.Rejected
		total.Needs += st.Needs
	}
	return total, nil
}

// writeRejects writes the rejects report of one file as CSV.
func writeRejects(dir, file string, rejs []survey.RowError) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("rejects report: %w", err)
	}
	name := filepath.Join(dir, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))+".rejects.csv")
	f, err := os.Create(name)
	if err != nil {
		return "", fmt.Errorf("rejects report: %w", err)
	}
	w := csv.NewWriter(f)
	w.Write([]string{"file", "sheet", "row", "column", "value", "reason"})
	for _, e := range rejs {
		w.Write([]string{e.File, e.Sheet, strconv.Itoa(e.Row), e.Column, e.Value, e.Reason})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return "", fmt.Errorf("rejects report %s: %w", name, err)
	}
	return name, f.Close()
}
