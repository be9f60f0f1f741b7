package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/survey"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func init() {
	register(command{name: "jobseekers", summary: "jobseekers import FILE...: load pseudonymised job-seeker profiles (skill supply)", run: runJobSeekers})
}

// jobSeekerBatch is how many profiles go to ClickHouse per insert.
const jobSeekerBatch = 1000

func runJobSeekers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return usageError{"usage: fabbisogni jobseekers import [flags] FILE..."}
	}
	var o options
	var districtsFile string
	fs := newFlagSet("jobseekers import", "jobseekers import [flags] FILE...", `
Imports pseudonymised job-seeker profile exports (CSV or XLSX: opaque id,
municipality, ISCO-08 code of the last job, education, skills as free text;
no names) into ClickHouse tables job_seekers and job_seeker_skills, the
supply side of the skill_gaps view. Rows are read and validated by the same
survey reader as campaign exports (encodings, separators, header search,
duplicates, ISTAT municipality coding, personal data masked; an id that is a
codice fiscale, e-mail or phone number is rejected); skills are coded by nlp.
Bad rows are listed on stderr with file, row, column and reason, and the rest
of the file goes in. Profiles are inserted directly, not through Kafka: they
are a periodic snapshot from the job centres' system, not a stream, and
keeping them off the shared topics keeps personal-adjacent data out of the
broker's retention.`, stderr)
	o.addWarehouse(fs)
	o.addData(fs)
	o.addNLP(fs)
	o.addLog(fs)
	fs.StringVar(&districtsFile, "districts", "", "districts JSON (configs/districts.json); empty uses the three built-in districts, as the pipeline does")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"give at least one FILE"}
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.openWarehouse(ctx); err != nil {
		return err
	}
	ex, _, err := a.extractor()
	if err != nil {
		return err
	}
	st, err := a.importJobSeekers(ctx, ex, districtsFile, fs.Args(), func(e survey.RowError) { fmt.Fprintf(stderr, "rejected: %v\n", e) })
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "job seekers: %d rows read, %d profiles stored, %d rows rejected\n", st.Rows, st.Accepted, st.Rejected)
	return nil
}

// jobSeekerStats counts an import.
type jobSeekerStats struct{ Rows, Accepted, Rejected int }

// importJobSeekers reads the files with survey's job-seeker reader, codes
// the skills with ex and inserts the profiles in batches.
func (a *app) importJobSeekers(ctx context.Context, ex *nlp.Extractor, districtsFile string, files []string, reject func(survey.RowError)) (jobSeekerStats, error) {
	var st jobSeekerStats
	gaz, err := a.gazetteer()
	if err != nil {
		return st, err
	}
	cfg := survey.DefaultConfig()
	cfg.Campaign = "jobseekers"
	cfg.Gazetteer = gaz
	cfg.Logger = a.log
	if districtsFile != "" {
		if cfg.Districts, err = warehouse.LoadDistricts(districtsFile, filepath.Join(a.o.data, "istat", "Elenco-comuni-italiani.csv")); err != nil {
			return st, err
		}
	}
	if cfg.ATECO, err = survey.LoadATECO(a.atecoPath()); err != nil {
		return st, err
	}
	im, err := survey.NewImporter(cfg)
	if err != nil {
		return st, err
	}
	var batch []warehouse.JobSeeker
	flush := func(ctx context.Context) error {
		if err := a.wh.InsertJobSeekers(ctx, batch); err != nil {
			return err
		}
		batch = batch[:0]
		return nil
	}
	for _, f := range files {
		fst, err := im.ImportSeekersFile(ctx, f, func(ctx context.Context, s survey.JobSeeker) error {
			x := ex.Extract(s.ID, "", s.SkillsText)
			batch = append(batch, warehouse.JobSeeker{
				ID: s.ID, MunicipalityCode: s.MunicipalityCode, MunicipalityName: s.MunicipalityName, ProvinceCode: s.ProvinceCode,
				District: s.District, ISCO: s.LastISCO, Education: s.Education, EducationLevel: s.EducationLevel,
				SkillsText: s.SkillsText, RegisteredAt: s.RegisteredAt, Extraction: &x, Provenance: s.Provenance,
			})
			if len(batch) >= jobSeekerBatch {
				return flush(ctx)
			}
			return nil
		}, func(e survey.RowError) {
			st.Rejected++
			if reject != nil {
				reject(e)
			}
		})
		if err != nil {
			return st, fmt.Errorf("jobseekers import %s: %w", f, err)
		}
		if err := flush(ctx); err != nil {
			return st, err
		}
		st.Rows += fst.Rows
		st.Accepted += fst.Accepted
		a.log.Info("job seekers imported", "file", f, "rows", fst.Rows)
	}
	return st, nil
}
