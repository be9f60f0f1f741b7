package survey_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/survey"
)

var (
	refOnce sync.Once
	refGaz  *fabbisogni.Gazetteer
	refAt   *survey.ATECO
	refErr  error
)

// reference loads the ISTAT gazetteer and ATECO once per test binary.
func reference(tb testing.TB) (*fabbisogni.Gazetteer, *survey.ATECO) {
	tb.Helper()
	dir := testenv.SharedData(tb)
	refOnce.Do(func() {
		refGaz, refErr = fabbisogni.LoadGazetteer(filepath.Join(dir, "istat", "Elenco-comuni-italiani.csv"))
		if refErr == nil {
			refAt, refErr = survey.LoadATECO(filepath.Join(dir, "istat", "ateco2007-2022.xml"))
		}
	})
	if refErr != nil {
		tb.Fatal(refErr)
	}
	return refGaz, refAt
}

// fixedNow is the clock of the tests: after the sample campaign.
var fixedNow = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// MustImporter returns an importer for the campaign "test-2026" with the
// reference data and the fixed clock.
func MustImporter(tb testing.TB) *survey.Importer {
	tb.Helper()
	gaz, at := reference(tb)
	cfg := survey.DefaultConfig()
	cfg.Campaign = "test-2026"
	cfg.Gazetteer, cfg.ATECO = gaz, at
	cfg.Now = func() time.Time { return fixedNow }
	im, err := survey.NewImporter(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return im
}

// importAll imports a file and collects what comes out.
func importAll(tb testing.TB, im *survey.Importer, path string) ([]fabbisogni.SurveyRecord, []survey.RowError, survey.Stats) {
	tb.Helper()
	var recs []fabbisogni.SurveyRecord
	var rejects []survey.RowError
	st, err := im.ImportFile(context.Background(), path, func(_ context.Context, r fabbisogni.SurveyRecord) error {
		recs = append(recs, r)
		return nil
	}, func(e survey.RowError) { rejects = append(rejects, e) })
	if err != nil {
		tb.Fatal(err)
	}
	return recs, rejects, st
}
