package forecast

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
)

var season12 = []float64{-20, -15, -5, 0, 5, 15, 25, 20, 10, 0, -10, -25}

func seasonalSeries(n int) []float64 {
	y := make([]float64, n)
	for t := range y {
		y[t] = 100 + season12[t%12]
	}
	return y
}

func near(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %v, want %v (±%v)\ngot  %v\nwant %v", what, i, got[i], want[i], tol, got, want)
		}
	}
}

func mustFit(t *testing.T, m Method, y []float64, period int) Model {
	t.Helper()
	mod, err := m.Fit(y, period)
	if err != nil {
		t.Fatalf("%s: %v", m.Name(), err)
	}
	return mod
}

// checkIntervals asserts the nesting Lo95 <= Lo80 <= Point <= Hi80 <= Hi95.
func checkIntervals(t *testing.T, name string, p Prediction) {
	t.Helper()
	for i := range p.Point {
		if !(p.Lo95[i] <= p.Lo80[i] && p.Lo80[i] <= p.Point[i] && p.Point[i] <= p.Hi80[i] && p.Hi80[i] <= p.Hi95[i]) {
			t.Fatalf("%s horizon %d: intervals not nested: %v %v %v %v %v", name, i+1, p.Lo95[i], p.Lo80[i], p.Point[i], p.Hi80[i], p.Hi95[i])
		}
		for _, v := range []float64{p.Lo95[i], p.Hi95[i]} {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("%s horizon %d: bound %v", name, i+1, v)
			}
		}
	}
}

func TestSeasonalNaiveExactOnPureSeason(t *testing.T) {
	y := seasonalSeries(40)
	p := mustFit(t, SeasonalNaive{}, y, 12).Forecast(24)
	want := seasonalSeries(64)[40:]
	near(t, "point", p.Point, want, 0)
	near(t, "width", p.Hi95, want, 0) // no seasonal change: zero-width intervals
	checkIntervals(t, "snaive", p)
}

func TestSeasonalNaiveIntervals(t *testing.T) {
	// Seasonal differences are ±1 alternately after the first season: σ = 1.
	y := make([]float64, 24)
	for t := range y {
		y[t] = 10
		if t >= 12 && t%2 == 0 {
			y[t] = 11
		} else if t >= 12 {
			y[t] = 9
		}
	}
	p := mustFit(t, SeasonalNaive{}, y, 12).Forecast(13)
	if got, want := p.Hi95[0]-p.Point[0], z95; math.Abs(got-want) > 1e-12 {
		t.Errorf("h=1 half-width %v, want 1.96σ = %v", got, want)
	}
	if got, want := p.Hi80[12]-p.Point[12], z80*math.Sqrt2; math.Abs(got-want) > 1e-12 {
		t.Errorf("h=13 half-width %v, want 1.28σ√2 = %v", got, want)
	}
}

func TestNaive(t *testing.T) {
	y := []float64{1, 2, 4, 3, 5}
	p := mustFit(t, Naive{}, y, 12).Forecast(4)
	near(t, "point", p.Point, []float64{5, 5, 5, 5}, 0)
	// Differences 1, 2, -1, 2: σ² = (1+4+1+4)/4 = 2.5.
	sigma := math.Sqrt(2.5)
	if got := p.Hi80[3] - 5; math.Abs(got-z80*sigma*2) > 1e-12 {
		t.Errorf("h=4 half-width %v, want %v", got, z80*sigma*2)
	}
	if p.Lo95[3] != 0 {
		t.Errorf("counts: lower bound %v, want clamped to 0", p.Lo95[3])
	}
}

func TestHoltExactOnLinearTrend(t *testing.T) {
	y := make([]float64, 30)
	for t := range y {
		y[t] = 10 + 2*float64(t)
	}
	want := make([]float64, 6)
	for i := range want {
		want[i] = 10 + 2*float64(30+i)
	}
	for _, m := range []Method{Holt, AutoETS{}} {
		p := mustFit(t, m, y, 12).Forecast(6)
		near(t, m.Name(), p.Point, want, 1e-6)
		checkIntervals(t, m.Name(), p)
	}
}

func TestHoltWintersAdditiveExact(t *testing.T) {
	y := make([]float64, 48)
	for t := range y {
		y[t] = 100 + float64(t) + season12[t%12]
	}
	want := make([]float64, 12)
	for i := range want {
		want[i] = 100 + float64(48+i) + season12[(48+i)%12]
	}
	p := mustFit(t, HoltWintersAdditive, y, 12).Forecast(12)
	near(t, "point", p.Point, want, 1e-6)
}

func TestHoltWintersMultiplicative(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	y := make([]float64, 72)
	for t := range y {
		y[t] = (200 + 2*float64(t)) * (1 + season12[t%12]/100) * (1 + 0.01*rng.NormFloat64())
	}
	mod := mustFit(t, HoltWintersMultiplicative, y, 12)
	p := mod.Forecast(12)
	want := make([]float64, 12)
	for i := range want {
		want[i] = (200 + 2*float64(72+i)) * (1 + season12[(72+i)%12]/100)
	}
	near(t, "point", p.Point, want, 0.04)
	checkIntervals(t, "hw mult", p)
	// The relative interval widens with the horizon.
	rel := func(i int) float64 { return (p.Hi95[i] - p.Lo95[i]) / p.Point[i] }
	if !(rel(11) > rel(0)) {
		t.Errorf("relative 95%% interval at h=12 (%v) not wider than at h=1 (%v)", rel(11), rel(0))
	}
	// AutoETS prefers a seasonal model here.
	auto := mustFit(t, AutoETS{}, y, 12).(*etsModel)
	if auto.spec.Season == SeasonNone {
		t.Errorf("AutoETS chose %s on a seasonal series", auto.spec.Name())
	}
}

func TestSESIntervalsMatchFormula(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	y := make([]float64, 60)
	l := 50.0
	for t := range y {
		y[t] = l + rng.NormFloat64()
		l = y[t]*0.4 + l*0.6
	}
	mod := mustFit(t, SES, y, 12).(*etsModel)
	p := mod.Forecast(3)
	near(t, "flat point", p.Point, []float64{p.Point[0], p.Point[0], p.Point[0]}, 1e-12)
	for h := 1; h <= 3; h++ {
		want := z95 * math.Sqrt(mod.sigma2*(1+float64(h-1)*mod.alpha*mod.alpha))
		if got := p.Hi95[h-1] - p.Point[h-1]; math.Abs(got-want) > 1e-9 {
			t.Errorf("h=%d half-width %v, want %v", h, got, want)
		}
	}
}

func TestDampedHoltFlattens(t *testing.T) {
	y := make([]float64, 40)
	for t := range y {
		y[t] = 100 + 30*(1-math.Pow(0.9, float64(t)))
	}
	p := mustFit(t, DampedHolt, y, 12).Forecast(60)
	if inc := p.Point[59] - p.Point[58]; inc < 0 || inc > 0.05 {
		t.Errorf("damped trend still moves %v a month at h=60", inc)
	}
	if p.Point[59] > 140 {
		t.Errorf("damped forecast %v overshoots the asymptote 130", p.Point[59])
	}
}

func TestCrostonKnownAnswer(t *testing.T) {
	y := make([]float64, 40)
	for t := 3; t < 40; t += 4 {
		y[t] = 5
	}
	// Demand 5 every 4 months: size 5, interval 4, 1.25 a month.
	p := mustFit(t, Croston{}, y, 12).Forecast(6)
	near(t, "croston", p.Point, []float64{1.25, 1.25, 1.25, 1.25, 1.25, 1.25}, 1e-12)
	checkIntervals(t, "croston", p)
	if p.Lo95[0] != 0 || p.Hi95[0] < 3.5 {
		t.Errorf("95%% interval [%v, %v], want [0, ≈3.75] from errors −1.25 and 3.75", p.Lo95[0], p.Hi95[0])
	}
	sba := mustFit(t, Croston{SBA: true, Alpha: 0.2}, y, 12).Forecast(1)
	near(t, "sba", sba.Point, []float64{1.25 * 0.9}, 1e-12)
	// TSB's probability jumps after each demand and decays between: the
	// series ends on a demand, so the forecast sits above the mean 1.25 but
	// below 5 × (0.25 + 0.1 × 0.75).
	tsb := mustFit(t, TSB{}, y, 12).Forecast(1)
	if tsb.Point[0] < 1.25 || tsb.Point[0] > 5*(0.25+0.1*0.75) {
		t.Errorf("tsb %v, want in [1.25, 1.625]", tsb.Point[0])
	}
}

func TestTSBDecaysWhenDemandStops(t *testing.T) {
	y := make([]float64, 48)
	for t := 0; t < 24; t += 2 {
		y[t] = 4
	}
	cro := mustFit(t, Croston{}, y, 12).Forecast(1).Point[0]
	tsb := mustFit(t, TSB{}, y, 12).Forecast(1).Point[0]
	if !(tsb < cro/3) {
		t.Errorf("after 24 months without demand TSB forecasts %v, Croston %v: TSB should have decayed", tsb, cro)
	}
	zero := mustFit(t, Croston{}, make([]float64, 10), 12).Forecast(2)
	near(t, "no demand", zero.Hi95, []float64{0, 0}, 0)
}

func TestThetaOnSeasonalSeries(t *testing.T) {
	y := seasonalSeries(60)
	for t := range y {
		y[t] *= 1 + float64(t)/600 // slight trend keeps the test honest
	}
	p := mustFit(t, Theta{}, y, 12).Forecast(12)
	want := make([]float64, 12)
	for i := range want {
		want[i] = (100 + season12[(60+i)%12]) * (1 + float64(60+i)/600)
	}
	near(t, "theta", p.Point, want, 0.03)
	checkIntervals(t, "theta", p)
	flat := mustFit(t, Theta{}, []float64{7, 7, 7, 7, 7}, 12).Forecast(3)
	near(t, "constant", flat.Point, []float64{7, 7, 7}, 1e-9)
}

func TestCombination(t *testing.T) {
	y := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 20, 21, 22}
	comb := Combination{Members: []Method{Naive{}, SeasonalNaive{}}}
	p := mustFit(t, comb, y, 12).Forecast(3)
	// naive: 22 22 22; snaive: 4 5 6.
	near(t, "mean", p.Point, []float64{13, 13.5, 14}, 1e-12)
	med := Combination{Median: true, Members: []Method{Naive{}, SeasonalNaive{}, Croston{}}}
	pm := mustFit(t, med, y, 12).Forecast(1)
	// croston: every month has demand: size smoothed, interval 1.
	cro := mustFit(t, Croston{}, y, 12).Forecast(1).Point[0]
	want := []float64{4, 22, cro}
	if cro > 4 && cro < 22 {
		want = []float64{cro}
	}
	if len(want) != 1 {
		t.Fatalf("croston %v outside (4,22): adjust the test", cro)
	}
	near(t, "median", pm.Point, want, 1e-12)

	// A failing member is left out; all failing is an error.
	short := []float64{3, 4, 5}
	got := mustFit(t, Combination{Members: []Method{Naive{}, SeasonalNaive{}}}, short, 12).Forecast(1)
	near(t, "one member", got.Point, []float64{5}, 0)
	_, err := Combination{Members: []Method{SeasonalNaive{}}}.Fit(short, 12)
	if fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
		t.Errorf("all members failing: %v, want an EInvalid error", err)
	}
}

func TestDefaultCombinationIntervals(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	y := make([]float64, 72)
	for t := range y {
		y[t] = 50 + 0.5*float64(t) + season12[t%12]/2 + 3*rng.NormFloat64()
	}
	p := mustFit(t, DefaultCombination(), y, 12).Forecast(12)
	checkIntervals(t, "comb", p)
}

func TestMethodErrors(t *testing.T) {
	nan := []float64{1, 2, math.NaN(), 4, 5}
	for _, tc := range []struct {
		m      Method
		y      []float64
		period int
	}{
		{Naive{}, []float64{1}, 12},
		{SeasonalNaive{}, seasonalSeries(12), 12},
		{SES, nan, 12},
		{HoltWintersAdditive, seasonalSeries(20), 12},
		{HoltWintersAdditive, seasonalSeries(30), 1},
		{HoltWintersMultiplicative, append(seasonalSeries(30), 0), 12},
		{AutoETS{}, []float64{1, 2}, 12},
		{Theta{}, []float64{1, math.Inf(1), 2}, 12},
		{Croston{}, nil, 12},
		{TSB{}, nan, 12},
	} {
		t.Run(tc.m.Name(), func(t *testing.T) {
			_, err := tc.m.Fit(tc.y, tc.period)
			if fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
				t.Fatalf("err %v, want code invalid", err)
			}
			var fe *fabbisogni.Error
			if !errors.As(err, &fe) {
				t.Fatalf("err %T", err)
			}
		})
	}
}

func TestFitDoesNotModifyInput(t *testing.T) {
	y := seasonalSeries(50)
	orig := append([]float64(nil), y...)
	for _, m := range []Method{Naive{}, SeasonalNaive{}, AutoETS{}, Theta{}, Croston{}, TSB{}, DefaultCombination()} {
		mustFit(t, m, y, 12).Forecast(3)
	}
	near(t, "input", y, orig, 0)
}

func TestNelderMeadRosenbrock(t *testing.T) {
	f := func(x []float64) float64 { return 100*sq(x[1]-x[0]*x[0]) + sq(1-x[0]) }
	x, v := nelderMead(f, []float64{-1.2, 1}, 0.5, 2000, 1e-14)
	if math.Abs(x[0]-1) > 1e-3 || math.Abs(x[1]-1) > 1e-3 || v > 1e-6 {
		t.Fatalf("minimum at %v (%v), want (1,1)", x, v)
	}
}

func TestAutoETSNamesItsChoice(t *testing.T) {
	y := make([]float64, 30)
	for t := range y {
		y[t] = 10 + 2*float64(t)
	}
	mod := mustFit(t, AutoETS{}, y, 12)
	s, ok := mod.(fmt.Stringer)
	if !ok || !strings.HasPrefix(s.String(), "ets(") || !strings.Contains(s.String(), "AICc=") {
		t.Fatalf("model %v does not name itself", mod)
	}
}
