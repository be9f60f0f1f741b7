package warehouse_test

import (
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

func forecastRows(run string, created time.Time, n int) []warehouse.ForecastRow {
	origin := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	var rs []warehouse.ForecastRow
	for h := 1; h <= n; h++ {
		rs = append(rs, warehouse.ForecastRow{
			RunID: run, CreatedAt: created, Method: "bottom-up auto", Level: "district", District: "biella-tessile",
			Measure: warehouse.MeasureWorkers, Origin: origin, Target: origin.AddDate(0, h-1, 0), Horizon: h,
			Point: float64(h), Lo80: 0, Hi80: float64(2 * h), Lo95: 0, Hi95: float64(3 * h),
		})
	}
	return rs
}

func TestInsertForecastsIdempotentAndLatest(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for i := 0; i < 2; i++ { // a retried batch
		if err := w.InsertForecasts(ctx, forecastRows("r1", t0, 12)); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := w.RunQuery(ctx, "SELECT 1 FROM hiring_forecasts FINAL"); err != nil || n != 12 {
		t.Fatalf("%d rows (err %v), want 12", n, err)
	}
	fs, err := w.LatestForecasts(ctx, "district", warehouse.MeasureWorkers, "biella-tessile", 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RunID != "r1" || fs[0].Point != 6 {
		t.Fatalf("latest %+v, want run r1 with 1+2+3", fs)
	}
	if err := w.InsertForecasts(ctx, forecastRows("r2", t0.Add(time.Hour), 3)); err != nil {
		t.Fatal(err)
	}
	fs, err = w.LatestForecasts(ctx, "district", warehouse.MeasureWorkers, "", 1, 12)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].RunID != "r2" || fs[0].Point != 6 {
		t.Fatalf("latest %+v, want only run r2", fs)
	}
	bad := forecastRows("r3", t0, 1)
	bad[0].Horizon = 0
	if err := w.InsertForecasts(ctx, bad); err == nil {
		t.Error("horizon 0 accepted")
	}
	// Without a forecast the course plan falls back to observed demand.
	fc, err := w.NextQuarterWorkers(ctx, "cuneo-agroalimentare")
	if err != nil || fc.RunID != "" {
		t.Errorf("fallback %+v, %v", fc, err)
	}
}

func TestInsertJobSeekersIdempotent(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	js := []warehouse.JobSeeker{{
		ID: "PSN-0001", MunicipalityCode: "096004", ProvinceCode: "096", District: "biella-tessile", ISCO: "7318", Education: "Diploma", EducationLevel: 3,
		SkillsText: "tessitura, rammendo",
		Extraction: &fabbisogni.Extraction{Skills: []fabbisogni.SkillMention{{URI: "u-weave", Label: "tend weaving machines", Text: "tessitura", Start: 0, End: 9}}},
		Provenance: fabbisogni.Provenance{Source: "jobseekers", File: "c.csv", Row: 2, FetchedAt: t0},
	}}
	for i := 0; i < 2; i++ {
		if err := w.InsertJobSeekers(ctx, js); err != nil {
			t.Fatal(err)
		}
	}
	wantRows(t, w, map[string]int{
		"SELECT 1 FROM job_seekers FINAL":                              1,
		"SELECT 1 FROM job_seeker_skills FINAL":                        1,
		"SELECT 1 FROM skill_supply WHERE district = 'biella-tessile'": 1,
		"SELECT 1 FROM skill_gaps WHERE supply_share = 1 AND gap = -1": 1,
		"SELECT 1 FROM job_seekers FINAL WHERE isco_group = '73'":      1,
	})
}

// TestDemandSectorFromMatchedFirm: a crawled vacancy without a sector gets
// the ATECO division of the surveyed firm it matches by name.
func TestDemandSectorFromMatchedFirm(t *testing.T) {
	w := testservers.Warehouse(t)
	ctx := t.Context()
	t0 := time.Date(2026, 10, 5, 9, 0, 0, 0, time.UTC)
	rec := fabbisogni.SurveyRecord{
		Firm:       fabbisogni.Firm{ID: "01234567890", Name: "ROSSI MECCANICA SRL", ATECO: "28.41.00", District: "torino-automotive"},
		Contact:    fabbisogni.ContactOutcome{ID: "c1", FirmID: "01234567890", Campaign: "q4", Date: t0, Outcome: fabbisogni.OutcomeReached},
		Provenance: fabbisogni.Provenance{Source: "q4", FetchedAt: t0},
	}
	if err := w.InsertSurvey(ctx, []fabbisogni.SurveyRecord{rec}); err != nil {
		t.Fatal(err)
	}
	mk := func(id, firm string) fabbisogni.Vacancy {
		return fabbisogni.Vacancy{ID: id, Title: "Saldatore", FirmName: firm, District: "torino-automotive", DatePosted: t0, Openings: 1,
			Provenance: fabbisogni.Provenance{Source: "t", FetchedAt: t0},
			Extraction: &fabbisogni.Extraction{Occupations: []fabbisogni.OccupationMatch{{ISCO: "7212"}}}}
	}
	if err := w.InsertVacancies(ctx, []fabbisogni.Vacancy{mk("v1", "Rossi Meccanica S.r.l."), mk("v2", "Ditta Sconosciuta SpA")}); err != nil {
		t.Fatal(err)
	}
	cells, err := w.Demand(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sectors := map[string]float64{}
	for _, c := range cells {
		if c.Measure == "vacancies" {
			sectors[c.Sector] += c.Value
		}
	}
	if sectors["28"] != 1 || sectors["na"] != 1 {
		t.Fatalf("vacancies by sector %v, want one in 28 (matched firm) and one in na", sectors)
	}
}
