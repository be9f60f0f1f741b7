package main

import (
	"math"
	"testing"
	"time"
)

// TestAnswers runs the demo corpus once and checks every answer built on it.
func TestAnswers(t *testing.T) {
	a := mustDemoApp(t)
	t.Run("forecast run", func(t *testing.T) { checkForecastRun(t, a) })
	t.Run("jobseekers import", func(t *testing.T) { checkJobSeekersImport(t, a) })
	t.Run("gaps", func(t *testing.T) { checkGaps(t, a) })
	t.Run("courses", func(t *testing.T) { checkCourses(t, a) })
	t.Run("outreach", func(t *testing.T) { checkOutreach(t, a) })
	t.Run("docs queries", func(t *testing.T) { checkDocsQueries(t, a) })
}

func checkForecastRun(t *testing.T, a *app) {
	ctx := t.Context()
	cfg := defaultForecastRunConfig()
	cfg.Now = func() time.Time { return time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC) }
	res, err := a.forecastRun(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Series == 0 || res.Failed != 0 || res.Rows > res.Forecasts*12 || res.Rows < (res.Forecasts-res.Intentions)*12 || res.Intentions == 0 {
		t.Fatalf("run %+v: want leaf series, none failed, 12 rows per forecast (fewer for intentions: as far as hires were declared), some intentions forecasts", res)
	}
	// The demo's vacancies run from October to November 2026: horizon 1 is December.
	if got := res.Start.Format("2006-01"); got != "2026-12" {
		t.Errorf("forecast starts %s, want 2026-12", got)
	}
	// Bottom-up: every level of every measure adds up to the same total, and intervals hold the point.
	type agg struct{ level, measure string }
	totals := map[agg]float64{}
	fs, err := a.wh.LatestForecasts(ctx, "region", "workers", "", 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 || fs[0].RunID != res.RunID {
		t.Fatalf("region workers forecasts %+v, want bottom-up and intentions of run %s", fs, res.RunID)
	}
	for _, level := range []string{"region", "district", "sector", "isco2", "isco3"} {
		for _, m := range []string{"vacancies", "workers", "declared"} {
			rows, err := a.wh.LatestForecasts(ctx, level, m, "", 1, 12)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				if r.Method != "intentions" {
					totals[agg{level, m}] += r.Point
				}
			}
		}
	}
	for _, m := range []string{"vacancies", "workers", "declared"} {
		want := totals[agg{"region", m}]
		if want <= 0 {
			t.Errorf("%s: region forecast %v, want > 0", m, want)
		}
		for _, level := range []string{"district", "sector", "isco2", "isco3"} {
			if got := totals[agg{level, m}]; math.Abs(got-want) > 1e-6*want {
				t.Errorf("%s: %s forecasts add up to %v, region %v", m, level, got, want)
			}
		}
	}
	n, err := a.wh.RunQuery(ctx, "SELECT 1 FROM hiring_forecasts FINAL WHERE NOT (lo95 <= lo80 AND lo80 <= point AND point <= hi80 AND hi80 <= hi95 AND lo95 >= 0)")
	if err != nil || n != 0 {
		t.Errorf("%d forecasts with intervals not nested around the point (err %v)", n, err)
	}
	// A second run adds a run; the latest view shows only it.
	cfg.Now = func() time.Time { return time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC) }
	res2, err := a.forecastRun(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fs, err = a.wh.LatestForecasts(ctx, "region", "workers", "", 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.RunID != res2.RunID {
			t.Errorf("latest forecast of run %s, want %s", f.RunID, res2.RunID)
		}
	}
	if err := a.forecastJob(ctx); err != nil {
		t.Errorf("forecastJob: %v", err)
	}
}
