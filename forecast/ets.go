package forecast

import (
	"fmt"
	"math"

	"github.com/fabbisogni/fabbisogni"
)

// Component types of an exponential smoothing (ETS) model, in the notation
// of Hyndman, Koehler, Ord and Snyder, "Forecasting with exponential
// smoothing: the state space approach" (2008).
type (
	ErrorType  int
	TrendType  int
	SeasonType int
)

// Error components.
const (
	ErrorAdditive ErrorType = iota
	ErrorMultiplicative
)

// Trend components.
const (
	TrendNone TrendType = iota
	TrendAdditive
	TrendDamped
)

// Seasonal components.
const (
	SeasonNone SeasonType = iota
	SeasonAdditive
	SeasonMultiplicative
)

// ETS is one exponential smoothing model with smoothing parameters (α, β,
// γ, φ) fitted by maximum likelihood with Nelder-Mead, from initial states
// set by the classical heuristic (a 2×m moving-average decomposition of
// the first three seasons for the seasonal indices, a regression on the
// first seasonally adjusted values for level and trend).
//
// Constraints: 0 < α < 1, 0 < β < α, 0 < γ < 1−α, 0.8 <= φ <= 0.98.
// Multiplicative error or season need strictly positive data.
//
// Intervals are analytic for the additive-error models with no or additive
// season (the class-1 variance formula); for multiplicative models they use
// the same formula on the relative scale, the usual small-σ approximation.
type ETS struct {
	Error  ErrorType
	Trend  TrendType
	Season SeasonType
}

// Common models by their classical names.
var (
	SES                       = ETS{ErrorAdditive, TrendNone, SeasonNone}
	Holt                      = ETS{ErrorAdditive, TrendAdditive, SeasonNone}
	DampedHolt                = ETS{ErrorAdditive, TrendDamped, SeasonNone}
	HoltWintersAdditive       = ETS{ErrorAdditive, TrendAdditive, SeasonAdditive}
	HoltWintersMultiplicative = ETS{ErrorMultiplicative, TrendAdditive, SeasonMultiplicative}
)

// Name implements Method: "ets(A,Ad,M)" and the like.
func (e ETS) Name() string {
	er := map[ErrorType]string{ErrorAdditive: "A", ErrorMultiplicative: "M"}[e.Error]
	tr := map[TrendType]string{TrendNone: "N", TrendAdditive: "A", TrendDamped: "Ad"}[e.Trend]
	se := map[SeasonType]string{SeasonNone: "N", SeasonAdditive: "A", SeasonMultiplicative: "M"}[e.Season]
	return fmt.Sprintf("ets(%s,%s,%s)", er, tr, se)
}

// Fit implements Method. A seasonal model needs period >= 2 and at least
// two full seasons.
func (e ETS) Fit(y []float64, period int) (Model, error) {
	m, err := e.fit(y, period)
	if err != nil {
		return nil, err
	}
	return m, nil
}

// AutoETS fits each candidate model that the data allow and keeps the one
// with the lowest AICc. The zero value uses DefaultETSCandidates. The
// fitted Model is a fmt.Stringer naming the chosen model and parameters.
type AutoETS struct {
	// Label is the method name; "" means "ets".
	Label string
	// Candidates to choose from; nil means DefaultETSCandidates().
	Candidates []ETS
}

// DefaultETSCandidates returns the models AutoETS chooses from: additive
// error with no, additive or damped trend and no or additive season, and
// multiplicative error with multiplicative season (the stable
// Holt-Winters multiplicative family).
func DefaultETSCandidates() []ETS {
	var c []ETS
	for _, s := range []SeasonType{SeasonNone, SeasonAdditive} {
		for _, t := range []TrendType{TrendNone, TrendAdditive, TrendDamped} {
			c = append(c, ETS{ErrorAdditive, t, s})
		}
	}
	for _, t := range []TrendType{TrendNone, TrendAdditive, TrendDamped} {
		c = append(c, ETS{ErrorMultiplicative, t, SeasonMultiplicative})
	}
	return c
}

// Damped returns AutoETS restricted to damped-trend models, the "damped"
// member of the default combination.
func Damped() AutoETS {
	return AutoETS{Label: "damped", Candidates: []ETS{
		{ErrorAdditive, TrendDamped, SeasonNone},
		{ErrorAdditive, TrendDamped, SeasonAdditive},
		{ErrorMultiplicative, TrendDamped, SeasonMultiplicative},
	}}
}

// Name implements Method.
func (a AutoETS) Name() string {
	if a.Label != "" {
		return a.Label
	}
	return "ets"
}

// Fit implements Method. The error names the last candidate's failure when
// none could be fitted.
func (a AutoETS) Fit(y []float64, period int) (Model, error) {
	return a.choose(y, period, map[ETS]etsFit{})
}

// etsFit is a fitted candidate or why it failed.
type etsFit struct {
	m   *etsModel
	err error
}

// choose fits the candidates not already in fits (adding them) and
// returns the one with the lowest AICc. Sharing fits lets a combination of
// several AutoETS members fit each model once.
func (a AutoETS) choose(y []float64, period int, fits map[ETS]etsFit) (*etsModel, error) {
	cands := a.Candidates
	if cands == nil {
		cands = DefaultETSCandidates()
	}
	var best *etsModel
	var lastErr error
	for _, c := range cands {
		f, ok := fits[c]
		if !ok {
			f.m, f.err = c.fit(y, period)
			fits[c] = f
		}
		if f.err != nil {
			lastErr = f.err
			continue
		}
		if best == nil || f.m.aicc < best.aicc {
			best = f.m
		}
	}
	if best == nil {
		if lastErr == nil {
			lastErr = fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: no candidate models", a.Name())
		}
		return nil, lastErr
	}
	return best, nil
}

type etsModel struct {
	spec                    ETS
	alpha, beta, gamma, phi float64
	level, trend            float64
	season                  []float64 // ring: season[t%m] is the index of time t
	m, n                    int
	sigma2                  float64 // variance of the (relative, if multiplicative) errors
	lik, aicc               float64
	nonneg                  bool
}

// String names the fitted model and its parameters, e.g.
// "ets(M,Ad,M) α=0.312 β=0.010 γ=0.101 φ=0.950 AICc=812.3": after AutoETS
// it says which candidate won.
func (m *etsModel) String() string {
	s := fmt.Sprintf("%s α=%.3f", m.spec.Name(), m.alpha)
	if m.spec.Trend != TrendNone {
		s += fmt.Sprintf(" β=%.3f", m.beta)
	}
	if m.spec.Season != SeasonNone {
		s += fmt.Sprintf(" γ=%.3f", m.gamma)
	}
	if m.spec.Trend == TrendDamped {
		s += fmt.Sprintf(" φ=%.3f", m.phi)
	}
	return s + fmt.Sprintf(" AICc=%.1f", m.aicc)
}

func (e ETS) fit(y []float64, period int) (*etsModel, error) {
	name := e.Name()
	if err := checkSeries(name, y, 3); err != nil {
		return nil, err
	}
	n := len(y)
	m := 1
	if e.Season != SeasonNone {
		if period < 2 {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: seasonal model needs a period >= 2, got %d", name, period)
		}
		m = period
		if n < 2*m {
			return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: %d observations, need two seasons (%d)", name, n, 2*m)
		}
	}
	if e.Error == ErrorMultiplicative || e.Season == SeasonMultiplicative {
		for i, v := range y {
			if v <= 0 {
				return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: multiplicative model needs positive data, observation %d is %v", name, i, v)
			}
		}
	}
	nSmooth := 1
	if e.Trend != TrendNone {
		nSmooth++
	}
	if e.Season != SeasonNone {
		nSmooth++
	}
	if e.Trend == TrendDamped {
		nSmooth++
	}
	k := nSmooth + 1 + 1 // smoothing parameters, initial level, σ
	if e.Trend != TrendNone {
		k++
	}
	if e.Season != SeasonNone {
		k += m - 1
	}
	if n-k-1 <= 0 {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: %d observations are too few for %d parameters", name, n, k)
	}

	l0, b0, s0 := etsInit(y, e, m)
	r := etsRunner{spec: e, y: y, m: m, l0: l0, b0: b0, s0: s0, s: make([]float64, m)}
	// Unconstrained parameters: u → (α, β*, γ*, φ*) through the logistic.
	x0 := []float64{logit(0.3)}
	if e.Trend != TrendNone {
		x0 = append(x0, logit(0.1))
	}
	if e.Season != SeasonNone {
		x0 = append(x0, logit(0.1))
	}
	if e.Trend == TrendDamped {
		x0 = append(x0, logit((0.95-0.8)/0.18))
	}
	obj := func(u []float64) float64 {
		p := r.params(u)
		lik, _ := r.run(p)
		return lik
	}
	u, lik := nelderMead(obj, x0, 1.0, 60*len(x0)+40, 1e-6)
	if math.IsInf(lik, 0) || math.IsNaN(lik) {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: no finite likelihood (forecasts not positive)", name)
	}
	p := r.params(u)
	lik, sse := r.run(p)
	fk := float64(k)
	mod := &etsModel{
		spec: e, alpha: p[0], beta: p[1], gamma: p[2], phi: p[3],
		level: r.l, trend: r.b, season: append([]float64(nil), r.s...),
		m: m, n: n, lik: lik,
		aicc:   lik + 2*fk + 2*fk*(fk+1)/float64(n-k-1),
		sigma2: sse / float64(max(n-nSmooth, 1)),
		nonneg: nonNegative(y),
	}
	return mod, nil
}

// etsInit sets the initial level, trend and seasonal indices.
func etsInit(y []float64, e ETS, m int) (l0, b0 float64, s0 []float64) {
	n := len(y)
	s0 = make([]float64, m)
	adj := make([]float64, n)
	copy(adj, y)
	if e.Season != SeasonNone {
		mult := e.Season == SeasonMultiplicative
		k := min(n, 3*m)
		s0 = seasonalIndices(y[:k], m, mult)
		for t := range adj {
			if mult {
				adj[t] = y[t] / s0[t%m]
			} else {
				adj[t] = y[t] - s0[t%m]
			}
		}
	} else {
		s0[0] = 0
	}
	L := min(n, max(10, m))
	if e.Trend == TrendNone {
		l0 = mean(adj[:min(L, n)])
		return l0, 0, s0
	}
	// OLS of adj[i] on time i+1; the intercept is the level at time 0.
	var sx, sy, sxx, sxy float64
	for i := 0; i < L; i++ {
		x := float64(i + 1)
		sx += x
		sy += adj[i]
		sxx += x * x
		sxy += x * adj[i]
	}
	fl := float64(L)
	b0 = (fl*sxy - sx*sy) / (fl*sxx - sx*sx)
	l0 = (sy - b0*sx) / fl
	return l0, b0, s0
}

// seasonalIndices estimates seasonal indices of y (at least two seasons)
// by classical decomposition with a centred 2×m moving average; index j is
// the season of times t with t%m == j. Additive indices sum to 0,
// multiplicative ones average 1.
func seasonalIndices(y []float64, m int, mult bool) []float64 {
	n := len(y)
	sum := make([]float64, m)
	cnt := make([]float64, m)
	half := m / 2
	for t := half; t+half < n && t-half >= 0; t++ {
		var ma float64
		if m%2 == 0 {
			if t+half >= n {
				break
			}
			ma = 0.5*y[t-half] + 0.5*y[t+half]
			for j := t - half + 1; j < t+half; j++ {
				ma += y[j]
			}
		} else {
			for j := t - half; j <= t+half; j++ {
				ma += y[j]
			}
		}
		ma /= float64(m)
		if mult {
			if ma == 0 {
				continue
			}
			sum[t%m] += y[t] / ma
		} else {
			sum[t%m] += y[t] - ma
		}
		cnt[t%m]++
	}
	idx := make([]float64, m)
	var tot float64
	for j := range idx {
		switch {
		case cnt[j] > 0:
			idx[j] = sum[j] / cnt[j]
		case mult:
			idx[j] = 1
		}
		tot += idx[j]
	}
	for j := range idx {
		if mult {
			if tot > 0 {
				idx[j] *= float64(m) / tot
			}
		} else {
			idx[j] -= tot / float64(m)
		}
	}
	return idx
}

// etsRunner runs the state-space recursions over y.
type etsRunner struct {
	spec   ETS
	y      []float64
	m      int
	l0, b0 float64
	s0     []float64
	// state after run
	l, b float64
	s    []float64
}

// params maps unconstrained u to (α, β, γ, φ).
func (r *etsRunner) params(u []float64) [4]float64 {
	const lo, hi = 1e-4, 0.9999
	p := [4]float64{0, 0, 0, 1}
	p[0] = lo + (hi-lo)*logistic(u[0])
	i := 1
	if r.spec.Trend != TrendNone {
		p[1] = p[0] * logistic(u[i])
		i++
	}
	if r.spec.Season != SeasonNone {
		p[2] = (1 - p[0]) * logistic(u[i])
		i++
	}
	if r.spec.Trend == TrendDamped {
		p[3] = 0.8 + 0.18*logistic(u[i])
	}
	if r.spec.Trend == TrendNone {
		p[3] = 0
	}
	return p
}

// run returns the concentrated −2·log-likelihood (up to a constant) and
// the sum of squared (relative, for multiplicative error) one-step errors,
// leaving the final state in r.
func (r *etsRunner) run(p [4]float64) (lik, sse float64) {
	alpha, beta, gamma, phi := p[0], p[1], p[2], p[3]
	l, b := r.l0, r.b0
	if r.spec.Trend == TrendNone {
		b = 0
	}
	s := r.s
	copy(s, r.s0)
	m := r.m
	// Σ log ŷ for multiplicative errors, kept as a product in mantissa and
	// exponent (math.Frexp) instead of a logarithm a step: a third faster.
	prod, prodExp := 1.0, 0
	multErr := r.spec.Error == ErrorMultiplicative
	for t, yt := range r.y {
		T := l + phi*b
		j := t % m
		var yhat float64
		switch r.spec.Season {
		case SeasonNone:
			yhat = T
		case SeasonAdditive:
			yhat = T + s[j]
		case SeasonMultiplicative:
			yhat = T * s[j]
		}
		if !multErr {
			e := yt - yhat
			sse += e * e
			switch r.spec.Season {
			case SeasonNone:
				l = T + alpha*e
				b = phi*b + beta*e
			case SeasonAdditive:
				l = T + alpha*e
				b = phi*b + beta*e
				s[j] += gamma * e
			case SeasonMultiplicative:
				if s[j] <= 0 || T <= 0 {
					return math.Inf(1), math.Inf(1)
				}
				l = T + alpha*e/s[j]
				b = phi*b + beta*e/s[j]
				s[j] += gamma * e / T
			}
		} else {
			if yhat <= 0 {
				return math.Inf(1), math.Inf(1)
			}
			eps := (yt - yhat) / yhat
			sse += eps * eps
			var e int
			prod, e = math.Frexp(prod * yhat)
			prodExp += e
			switch r.spec.Season {
			case SeasonNone:
				l = T * (1 + alpha*eps)
				b = phi*b + beta*T*eps
			case SeasonAdditive:
				l = T + alpha*yhat*eps
				b = phi*b + beta*yhat*eps
				s[j] += gamma * yhat * eps
			case SeasonMultiplicative:
				l = T * (1 + alpha*eps)
				b = phi*b + beta*T*eps
				s[j] *= 1 + gamma*eps
			}
		}
	}
	r.l, r.b = l, b
	n := float64(len(r.y))
	if sse <= 0 {
		sse = 1e-300
	}
	lik = n * math.Log(sse/n)
	if multErr {
		lik += 2 * (math.Log(prod) + float64(prodExp)*math.Ln2)
	}
	if math.IsNaN(lik) {
		return math.Inf(1), math.Inf(1)
	}
	return lik, sse
}

// Forecast implements Model.
func (m *etsModel) Forecast(h int) Prediction {
	h = max(h, 0)
	point, sd := make([]float64, h), make([]float64, h)
	var phiSum, phiPow, cum float64 = 0, 1, 0
	for i := range h {
		step := i + 1
		phiPow *= m.phi
		switch m.spec.Trend {
		case TrendAdditive:
			phiSum = float64(step)
		case TrendDamped:
			phiSum += phiPow
		}
		T := m.level + phiSum*m.trend
		s := m.season[(m.n+i)%m.m]
		switch m.spec.Season {
		case SeasonNone:
			point[i] = T
		case SeasonAdditive:
			point[i] = T + s
		case SeasonMultiplicative:
			point[i] = T * s
		}
		// Class-1 variance: σ²(1 + Σ_{j<h} c_j²), c_j = α + βφ_j + γ[j%m==0].
		v := m.sigma2 * (1 + cum)
		if m.spec.Error == ErrorMultiplicative {
			v *= point[i] * point[i]
		}
		sd[i] = math.Sqrt(v)
		c := m.alpha + m.beta*phiSum
		if m.spec.Trend == TrendNone {
			c = m.alpha
		}
		if m.spec.Season != SeasonNone && step%m.m == 0 {
			c += m.gamma
		}
		cum += c * c
	}
	p := normalPrediction(point, sd)
	if m.nonneg {
		p.clampNonNegative()
	}
	return p
}
