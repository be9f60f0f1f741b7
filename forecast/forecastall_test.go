package forecast

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
)

func TestForecastAll(t *testing.T) {
	series := []Series{
		{Key: "a", Start: month("2024-01"), Values: seasonalSeries(30)},
		{Key: "short", Start: month("2024-01"), Values: []float64{1, 2}},
		{Key: "b", Start: month("2023-06"), Values: seasonalSeries(26)},
	}
	got, err := ForecastAll(series, 3, SeasonalNaive{}, 2)
	if err == nil || !strings.Contains(err.Error(), `series "short"`) || fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
		t.Fatalf("err %v, want an invalid error naming series short", err)
	}
	if len(got) != 3 || got[0].Key != "a" || got[1].Key != "short" || got[2].Key != "b" {
		t.Fatalf("forecasts %+v, want one per series in order", got)
	}
	if got[1].Err == nil || got[1].Point != nil {
		t.Errorf("short: %+v, want Err and no prediction", got[1])
	}
	if !got[0].Start.Equal(month("2026-07")) || got[0].Method != "snaive" || got[0].Err != nil {
		t.Errorf("a: %+v", got[0])
	}
	near(t, "a", got[0].Point, seasonalSeries(33)[30:], 0)
	near(t, "b", got[2].Point, seasonalSeries(29)[26:], 0)

	if _, err := ForecastAll(series, 0, Naive{}, 1); err == nil {
		t.Error("horizon 0 accepted")
	}
	if _, err := ForecastAll(series, 1, nil, 1); err == nil {
		t.Error("nil method accepted")
	}
}

// panicky panics on every fit: ForecastAll must survive it.
type panicky struct{}

func (panicky) Name() string                          { return "panicky" }
func (panicky) Fit(y []float64, _ int) (Model, error) { panic("boom") }

func TestForecastAllRecoversPanics(t *testing.T) {
	got, err := ForecastAll([]Series{{Key: "x", Values: []float64{1}}}, 1, panicky{}, 1)
	if err == nil || got[0].Err == nil || !strings.Contains(got[0].Err.Error(), "panic: boom") {
		t.Fatalf("got %+v, err %v", got, err)
	}
}

// syntheticSeries returns n monthly series of length 60 that look like
// the cells of the product: a third smooth and seasonal (district totals),
// a third noisy counts with trend, a third intermittent counts.
func syntheticSeries(n int) []Series {
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]Series, n)
	for i := range out {
		y := make([]float64, 60)
		level := 20 + 200*rng.Float64()
		slope := rng.NormFloat64() * 0.5
		amp := rng.Float64() * 0.3
		for t := range y {
			mu := (level + slope*float64(t)) * (1 + amp*math.Sin(2*math.Pi*float64(t)/12))
			switch i % 3 {
			case 0:
				y[t] = mu * (1 + 0.05*rng.NormFloat64())
			case 1:
				y[t] = math.Max(0, math.Round(mu/10+math.Sqrt(mu/10)*rng.NormFloat64()))
			default:
				if rng.Float64() < 0.2 {
					y[t] = float64(1 + rng.IntN(4))
				}
			}
		}
		out[i] = Series{Key: fmt.Sprintf("s%05d", i), Start: month("2020-01"), Values: y}
	}
	return out
}

// BenchmarkForecastAll20k forecasts 20,000 synthetic series 12 months ahead
// (issue 7: under 10 s on the 2-core machine). One iteration is the whole
// batch.
func BenchmarkForecastAll20k(b *testing.B) {
	series := syntheticSeries(20000)
	for _, m := range []Method{SeasonalNaive{}, Croston{}, AutoETS{}, DefaultCombination()} {
		b.Run(m.Name(), func(b *testing.B) {
			for b.Loop() {
				fc, err := ForecastAll(series, 12, m, 0)
				if err != nil && len(fc) != len(series) {
					b.Fatal(err)
				}
			}
		})
	}
}
