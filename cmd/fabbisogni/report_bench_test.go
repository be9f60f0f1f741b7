package main

import (
	"io"
	"path/filepath"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/nlp"
)

// BenchmarkAnswers times each answer on the demo data (with the job-seeker
// sample imported and one forecast run stored), as the users run them:
//
//	FABBISOGNI_TEST_CLICKHOUSE=127.0.0.1:19000 go test ./cmd/fabbisogni -run '^$' -bench Answers -benchtime 10x
func BenchmarkAnswers(b *testing.B) {
	a := mustDemoApp(b)
	ctx := b.Context()
	ex, _, err := a.extractor()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := a.importJobSeekers(ctx, ex, "", []string{testenv.Corpus(b, "jobseekers", "candidati-demo.csv")}, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := a.forecastRun(ctx, defaultForecastRunConfig()); err != nil {
		b.Fatal(err)
	}
	h, err := nlp.LoadSkillHierarchy(a.escoPaths()...)
	if err != nil {
		b.Fatal(err)
	}
	d, err := a.lookupDistrict(filepath.Join(testenv.ModuleRoot(b), "configs", "districts.json"), "biella-tessile")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("forecast run", func(b *testing.B) {
		for b.Loop() {
			if _, err := a.forecastRun(ctx, defaultForecastRunConfig()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("report gaps", func(b *testing.B) {
		for b.Loop() {
			if err := a.reportGaps(ctx, io.Discard, "", 15, 0); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("report courses", func(b *testing.B) {
		dir := b.TempDir()
		for b.Loop() {
			plan, err := a.planCourses(ctx, h, d, 30, 0)
			if err != nil {
				b.Fatal(err)
			}
			if err := writeCoursesTable(io.Discard, plan); err != nil {
				b.Fatal(err)
			}
			if _, _, err := writeCoursesFiles(dir, plan); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("report outreach", func(b *testing.B) {
		for b.Loop() {
			if err := a.reportOutreach(ctx, io.Discard, "torino-automotive", 20); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load skill hierarchy", func(b *testing.B) {
		for b.Loop() {
			if _, err := nlp.LoadSkillHierarchy(a.escoPaths()...); err != nil {
				b.Fatal(err)
			}
		}
	})
}
