package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni/warehouse"
)

// TestAnswers runs the demo corpus once and checks every answer built on it.
func TestAnswers(t *testing.T) {
	a := mustDemoApp(t)
	t.Run("forecast run", func(t *testing.T) { checkForecastRun(t, a) })
	t.Run("jobseekers import", func(t *testing.T) { checkJobSeekersImport(t, a) })
	t.Run("gaps", func(t *testing.T) { checkGaps(t, a) })
	t.Run("courses", func(t *testing.T) { checkCourses(t, a) })
	t.Run("min score", func(t *testing.T) { checkMinScore(t, a) })
	t.Run("outreach", func(t *testing.T) { checkOutreach(t, a) })
	t.Run("docs queries", func(t *testing.T) { checkDocsQueries(t, a) })
	t.Run("commands", func(t *testing.T) { checkCommands(t, a) })
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

// syntheticDemand builds n leaf cells (3 districts x 20 sectors x ISCO
// 3-digit groups) of 36 months of workers requested: two thirds
// intermittent counts (most months zero), one third smooth seasonal series,
// as in a region's real district x occupation grid.
func syntheticDemand(n int) []warehouse.DemandCell {
	rng := rand.New(rand.NewPCG(7, 11))
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var cells []warehouse.DemandCell
	for i := 0; i < n; i++ {
		d := []string{"torino-automotive", "biella-tessile", "cuneo-agroalimentare"}[i%3]
		sector := fmt.Sprintf("%02d", 10+(i/3)%20)
		isco := fmt.Sprintf("%03d", 100+i/60)
		smooth := i%3 == 0
		level := 2 + rng.Float64()*20
		for m := 0; m < 36; m++ {
			var v float64
			if smooth {
				v = math.Round(level * (1 + 0.3*math.Sin(2*math.Pi*float64(m)/12) + 0.2*rng.NormFloat64()))
			} else if rng.Float64() < 0.25 {
				v = float64(1 + rng.IntN(4))
			}
			if v > 0 {
				cells = append(cells, warehouse.DemandCell{Measure: warehouse.MeasureWorkers, District: d, Sector: sector, ISCO3: isco, Month: start.AddDate(0, m, 0), Value: v})
			}
		}
	}
	return cells
}

// BenchmarkForecastRun20k times the computation of a forecast run over
// 20,000 district x sector x ISCO cells: Auto on every cell, bottom-up
// sums to ISCO 2-digit, sector, district and region, 12 months ahead with
// intervals (the target: under 10 s on this machine).
//
//	go test ./cmd/fabbisogni -run '^$' -bench ForecastRun20k -benchtime 1x
func BenchmarkForecastRun20k(b *testing.B) {
	cells := syntheticDemand(20_000)
	cfg := defaultForecastRunConfig()
	for b.Loop() {
		fc, leaves, _, err := computeForecasts(cells, nil, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if len(leaves) != 20_000 || len(fc) <= len(leaves) {
			b.Fatalf("%d leaves, %d forecasts", len(leaves), len(fc))
		}
	}
}
