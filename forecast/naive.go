package forecast

import "math"

// Naive forecasts every horizon with the last observation (random walk).
// Intervals are analytic: σ√h, σ the standard deviation of the first
// differences.
type Naive struct{}

// Name implements Method.
func (Naive) Name() string { return "naive" }

// Fit implements Method. It needs at least 2 observations.
func (Naive) Fit(y []float64, _ int) (Model, error) {
	if err := checkSeries("naive", y, 2); err != nil {
		return nil, err
	}
	ss := 0.0
	for t := 1; t < len(y); t++ {
		d := y[t] - y[t-1]
		ss += d * d
	}
	return naiveModel{last: y[len(y)-1], sigma: math.Sqrt(ss / float64(len(y)-1)), nonneg: nonNegative(y)}, nil
}

type naiveModel struct {
	last, sigma float64
	nonneg      bool
}

func (m naiveModel) Forecast(h int) Prediction {
	h = max(h, 0)
	point, sd := make([]float64, h), make([]float64, h)
	for i := range point {
		point[i] = m.last
		sd[i] = m.sigma * math.Sqrt(float64(i+1))
	}
	p := normalPrediction(point, sd)
	if m.nonneg {
		p.clampNonNegative()
	}
	return p
}

// SeasonalNaive forecasts each month with the value of the same month of
// the last observed season: ŷ(n+h) = y(n+h−m(k+1)), k = ⌊(h−1)/m⌋. It is
// the baseline of backtests (OWA = 1). Intervals are analytic: σ√(k+1), σ
// the standard deviation of the seasonal differences.
type SeasonalNaive struct{}

// Name implements Method.
func (SeasonalNaive) Name() string { return "snaive" }

// Fit implements Method. It needs at least period+1 observations; a period
// below 2 makes it Naive.
func (SeasonalNaive) Fit(y []float64, period int) (Model, error) {
	if period < 2 {
		return Naive{}.Fit(y, period)
	}
	if err := checkSeries("snaive", y, period+1); err != nil {
		return nil, err
	}
	ss := 0.0
	for t := period; t < len(y); t++ {
		d := y[t] - y[t-period]
		ss += d * d
	}
	last := append([]float64(nil), y[len(y)-period:]...)
	return snaiveModel{last: last, sigma: math.Sqrt(ss / float64(len(y)-period)), nonneg: nonNegative(y)}, nil
}

type snaiveModel struct {
	last   []float64 // the last season, oldest first
	sigma  float64
	nonneg bool
}

func (m snaiveModel) Forecast(h int) Prediction {
	h = max(h, 0)
	p := len(m.last)
	point, sd := make([]float64, h), make([]float64, h)
	for i := range point {
		point[i] = m.last[i%p]
		sd[i] = m.sigma * math.Sqrt(float64(i/p+1))
	}
	pr := normalPrediction(point, sd)
	if m.nonneg {
		pr.clampNonNegative()
	}
	return pr
}
