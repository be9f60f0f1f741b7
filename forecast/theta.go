package forecast

import (
	"math"
)

// Theta is the Theta method of Assimakopoulos and Nikolopoulos (2000) in
// the form of Hyndman and Billah (2003): simple exponential smoothing with
// a drift of half the slope of the linear trend, applied to the series
// seasonally adjusted by classical decomposition (multiplicative when the
// data are positive) when the series spans at least three seasons and a
// 90% autocorrelation test at the seasonal lag finds seasonality. It was the best M3 method and a member of the M4
// benchmark combination. Intervals are those of SES, reseasonalised.
type Theta struct{}

// Name implements Method.
func (Theta) Name() string { return "theta" }

// Fit implements Method. It needs at least 3 observations.
func (Theta) Fit(y []float64, period int) (Model, error) {
	if err := checkSeries("theta", y, 3); err != nil {
		return nil, err
	}
	n := len(y)
	mod := &thetaModel{n: n, m: 1, nonneg: nonNegative(y)}
	x := y
	if period >= 2 && n >= 2*period && seasonalACF(y, period) {
		mod.m = period
		mod.mult = positive(y)
		mod.season = seasonalIndices(y, period, mod.mult)
		x = make([]float64, n)
		for t := range y {
			if mod.mult {
				x[t] = y[t] / mod.season[t%period]
			} else {
				x[t] = y[t] - mod.season[t%period]
			}
		}
	}
	// Linear trend slope by OLS on t = 1..n.
	var sx, sy, sxx, sxy float64
	for i, v := range x {
		t := float64(i + 1)
		sx, sy, sxx, sxy = sx+t, sy+v, sxx+t*t, sxy+t*v
	}
	fn := float64(n)
	mod.slope = (fn*sxy - sx*sy) / (fn*sxx - sx*sx)
	// SES: α by least squares, initial level the first value.
	sse := func(alpha float64) (float64, float64) {
		l, s := x[0], 0.0
		for _, v := range x[1:] {
			e := v - l
			s += e * e
			l += alpha * e
		}
		return s, l
	}
	u, _ := nelderMead(func(u []float64) float64 {
		s, _ := sse(0.001 + 0.998*logistic(u[0]))
		return s
	}, []float64{logit(0.3)}, 1, 80, 1e-8)
	mod.alpha = 0.001 + 0.998*logistic(u[0])
	s, l := sse(mod.alpha)
	mod.level = l
	mod.sigma2 = s / float64(max(n-2, 1))
	return mod, nil
}

type thetaModel struct {
	alpha, level, slope, sigma2 float64
	season                      []float64
	m, n                        int
	mult, nonneg                bool
}

func (m *thetaModel) Forecast(h int) Prediction {
	h = max(h, 0)
	point, sd := make([]float64, h), make([]float64, h)
	a := m.alpha
	drift := 1/a - math.Pow(1-a, float64(m.n))/a
	for i := range h {
		point[i] = m.level + m.slope/2*(float64(i)+drift)
		sd[i] = math.Sqrt(m.sigma2 * (1 + float64(i)*a*a))
	}
	p := normalPrediction(point, sd)
	if m.season != nil {
		for i := range h {
			s := m.season[(m.n+i)%m.m]
			for _, b := range [][]float64{p.Point, p.Lo80, p.Hi80, p.Lo95, p.Hi95} {
				if m.mult {
					b[i] *= s
				} else {
					b[i] += s
				}
			}
		}
	}
	if m.nonneg {
		p.clampNonNegative()
	}
	return p
}

// seasonalACF reports whether the autocorrelation at lag m exceeds the 90%
// limit 1.645·√((1 + 2Σ_{k<m} r_k²)/n), the seasonality test of the M4
// benchmarks.
func seasonalACF(y []float64, m int) bool {
	n := len(y)
	if n < 3*m {
		return false
	}
	mu := mean(y)
	var den float64
	for _, v := range y {
		den += (v - mu) * (v - mu)
	}
	if den == 0 {
		return false
	}
	acf := func(k int) float64 {
		var s float64
		for t := k; t < n; t++ {
			s += (y[t] - mu) * (y[t-k] - mu)
		}
		return s / den
	}
	var sum float64
	for k := 1; k < m; k++ {
		r := acf(k)
		sum += r * r
	}
	limit := 1.645 * math.Sqrt((1+2*sum)/float64(n))
	return math.Abs(acf(m)) > limit
}

func positive(y []float64) bool {
	for _, v := range y {
		if v <= 0 {
			return false
		}
	}
	return true
}
