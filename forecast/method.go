package forecast

import (
	"math"
	"sort"

	"github.com/fabbisogni/fabbisogni"
)

// Method fits a forecasting model to a series. Implementations are
// stateless values, safe for concurrent use: Fit never modifies y.
type Method interface {
	// Name identifies the method in reports and in hiring_forecasts.
	Name() string
	// Fit fits the method to y, a monthly series oldest first, whose
	// seasonal period is period (12 for monthly data; 1 or 0 = none).
	// Errors have code fabbisogni.EInvalid when y is too short or not
	// finite for the method.
	Fit(y []float64, period int) (Model, error)
}

// Model is a fitted method. Safe for concurrent use.
type Model interface {
	// Forecast returns the next h values (h >= 1) with their intervals.
	Forecast(h int) Prediction
}

// Prediction is a forecast for horizons 1..len(Point).
// Lo80[i]..Hi80[i] and Lo95[i]..Hi95[i] are the central 80% and 95%
// prediction intervals of the value at horizon i+1.
type Prediction struct {
	Point      []float64
	Lo80, Hi80 []float64
	Lo95, Hi95 []float64
}

// Normal quantiles of the central 80% and 95% intervals.
const (
	z80 = 1.2815515655446004
	z95 = 1.959963984540054
)

func newPrediction(h int) Prediction {
	buf := make([]float64, 5*h)
	return Prediction{
		Point: buf[0:h:h], Lo80: buf[h : 2*h : 2*h], Hi80: buf[2*h : 3*h : 3*h],
		Lo95: buf[3*h : 4*h : 4*h], Hi95: buf[4*h : 5*h],
	}
}

// normalPrediction builds a prediction from points and standard deviations.
func normalPrediction(point, sd []float64) Prediction {
	p := newPrediction(len(point))
	copy(p.Point, point)
	for i := range point {
		p.Lo80[i], p.Hi80[i] = point[i]-z80*sd[i], point[i]+z80*sd[i]
		p.Lo95[i], p.Hi95[i] = point[i]-z95*sd[i], point[i]+z95*sd[i]
	}
	return p
}

// clampNonNegative raises every negative point and bound to 0. Models do
// it when the series they were fitted to has no negative value (counts).
func (p Prediction) clampNonNegative() {
	for _, s := range [][]float64{p.Point, p.Lo80, p.Hi80, p.Lo95, p.Hi95} {
		for i, v := range s {
			if v < 0 {
				s[i] = 0
			}
		}
	}
}

func nonNegative(y []float64) bool {
	for _, v := range y {
		if v < 0 {
			return false
		}
	}
	return true
}

func checkSeries(name string, y []float64, min int) error {
	if len(y) < min {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: %d observations, need at least %d", name, len(y), min)
	}
	for i, v := range y {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: observation %d is %v", name, i, v)
		}
	}
	return nil
}

// empiricalPrediction adds the quantiles of in-sample errors to a flat or
// varying point forecast: for intermittent and other models without a
// standard analytic variance. resid are one-step in-sample errors
// (actual − fitted); the spread grows with √h as for a random walk of those
// errors only when grow is true.
func empiricalPrediction(point []float64, resid []float64, grow bool) Prediction {
	p := newPrediction(len(point))
	copy(p.Point, point)
	if len(resid) == 0 {
		copy(p.Lo80, point)
		copy(p.Hi80, point)
		copy(p.Lo95, point)
		copy(p.Hi95, point)
		return p
	}
	r := append([]float64(nil), resid...)
	sort.Float64s(r)
	q := func(pr float64) float64 { return quantileSorted(r, pr) }
	q025, q10, q90, q975 := q(0.025), q(0.10), q(0.90), q(0.975)
	for i, v := range point {
		s := 1.0
		if grow {
			s = math.Sqrt(float64(i + 1))
		}
		p.Lo95[i], p.Lo80[i] = v+s*q025, v+s*q10
		p.Hi80[i], p.Hi95[i] = v+s*q90, v+s*q975
	}
	return p
}

// quantileSorted is the linearly interpolated quantile (type 7) of sorted x.
func quantileSorted(x []float64, p float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	h := p * float64(len(x)-1)
	lo := int(math.Floor(h))
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
