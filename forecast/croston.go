package forecast

// Croston is Croston's method (1972) for intermittent demand: exponential
// smoothing, with weight Alpha, of the non-zero demand sizes z and of the
// intervals p between them; the forecast is the mean demand per month z/p,
// flat over the horizon. With SBA the Syntetos-Boylan bias correction
// (1 − α/2) is applied. Intervals are the empirical quantiles of the
// one-step in-sample errors around that mean, never below zero: demand per
// month in a stationary intermittent series does not widen with h.
type Croston struct {
	Alpha float64 // smoothing weight in (0,1]; 0 means 0.1
	SBA   bool    // apply the Syntetos-Boylan approximation
}

// Name implements Method.
func (c Croston) Name() string {
	if c.SBA {
		return "sba"
	}
	return "croston"
}

// Fit implements Method. A series without demand forecasts 0. The
// initial size is the first demand, the initial interval the mean gap
// between demands.
func (c Croston) Fit(y []float64, _ int) (Model, error) {
	if err := checkSeries(c.Name(), y, 1); err != nil {
		return nil, err
	}
	a := c.Alpha
	if a <= 0 || a > 1 {
		a = 0.1
	}
	// Initial size: the first demand. Initial interval: the mean gap between
	// demands; the wait before the first demand is censored (the previous
	// demand is unknown), so it counts only when there is a single demand.
	var demands []int
	for t, v := range y {
		if v != 0 {
			demands = append(demands, t)
		}
	}
	if len(demands) == 0 {
		return &flatModel{point: 0, resid: make([]float64, len(y)), nonneg: nonNegative(y)}, nil
	}
	z, p := y[demands[0]], float64(demands[0]+1)
	if len(demands) > 1 {
		p = float64(demands[len(demands)-1]-demands[0]) / float64(len(demands)-1)
	}
	bias := 1.0
	if c.SBA {
		bias = 1 - a/2
	}
	resid := make([]float64, 0, len(y)-demands[0])
	last := demands[0]
	for t := demands[0] + 1; t < len(y); t++ {
		resid = append(resid, y[t]-bias*z/p)
		if y[t] != 0 {
			z += a * (y[t] - z)
			p += a * (float64(t-last) - p)
			last = t
		}
	}
	f := bias * z / p
	return &flatModel{point: f, resid: resid, nonneg: nonNegative(y)}, nil
}

// TSB is the method of Teunter, Syntetos and Babai (2011) for intermittent
// demand: the demand probability is smoothed every month (weight Beta) and
// the non-zero demand size when demand occurs (weight Alpha); the forecast
// is their product, so it decays towards zero when demand stops (Croston's
// does not). Intervals as for Croston.
type TSB struct {
	Alpha float64 // size smoothing weight; 0 means 0.1
	Beta  float64 // probability smoothing weight; 0 means 0.1
}

// Name implements Method.
func (TSB) Name() string { return "tsb" }

// Fit implements Method. The initial probability is the share of months
// with demand from the first demand on, and the initial size their mean.
func (c TSB) Fit(y []float64, _ int) (Model, error) {
	if err := checkSeries("tsb", y, 1); err != nil {
		return nil, err
	}
	a, b := c.Alpha, c.Beta
	if a <= 0 || a > 1 {
		a = 0.1
	}
	if b <= 0 || b > 1 {
		b = 0.1
	}
	// Leading zeros are left out, as by ClassifyDemand: they are usually
	// months before the source covered the cell.
	first := -1
	var nz, sum float64
	for t, v := range y {
		if v != 0 {
			if first < 0 {
				first = t
			}
			nz++
			sum += v
		}
	}
	if nz == 0 {
		return &flatModel{point: 0, resid: make([]float64, len(y)), nonneg: true}, nil
	}
	y = y[first:]
	p, z := nz/float64(len(y)), sum/nz
	resid := make([]float64, 0, len(y))
	for _, v := range y {
		resid = append(resid, v-p*z)
		if v != 0 {
			p += b * (1 - p)
			z += a * (v - z)
		} else {
			p -= b * p
		}
	}
	return &flatModel{point: p * z, resid: resid, nonneg: nonNegative(y)}, nil
}

// flatModel forecasts a constant with empirical intervals.
type flatModel struct {
	point  float64
	resid  []float64
	nonneg bool
}

func (m *flatModel) Forecast(h int) Prediction {
	h = max(h, 0)
	point := make([]float64, h)
	for i := range point {
		point[i] = m.point
	}
	p := empiricalPrediction(point, m.resid, false)
	if m.nonneg {
		p.clampNonNegative()
	}
	return p
}
