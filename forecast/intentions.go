package forecast

import (
	"fmt"
	"math"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// IntentionsConfig configures the intentions model.
type IntentionsConfig struct {
	// HalfLife in months of the weights of past months when estimating the
	// realisation rate: a month HalfLife months older weighs half as much.
	// 0 (the default) weighs every month equally.
	HalfLife float64
}

// Validate reports a negative half-life.
func (c IntentionsConfig) Validate() error {
	if c.HalfLife < 0 || math.IsNaN(c.HalfLife) {
		return fmt.Errorf("forecast: intentions config: half-life %v, want >= 0", c.HalfLife)
	}
	return nil
}

// IntentionsModel turns declared hires into expected realised hiring:
// realised ≈ Rate × declared, with Var(realised − Rate×declared) =
// Sigma2 × max(declared, 1), the variance of a count growing with its mean.
type IntentionsModel struct {
	Rate   float64 // realised per declared hire (weighted ratio estimator Σw·r / Σw·d)
	RateSE float64 // standard error of Rate
	Sigma2 float64 // residual variance per declared hire
	Months int     // months the rate was estimated on
}

// FitIntentions estimates the realisation rate from aligned histories:
// declared[i] hires declared by firms for month i (surveys) and
// realised[i] what was observed in month i (vacancies posted, workers
// requested, hires). The caller aligns them (declared for a quarter spread
// over its months, or shifted by the lag between declaring and posting).
// It needs at least one month with declared > 0; errors have code
// fabbisogni.EInvalid.
func FitIntentions(declared, realised []float64, cfg IntentionsConfig) (IntentionsModel, error) {
	if err := cfg.Validate(); err != nil {
		return IntentionsModel{}, fabbisogni.Errorf(fabbisogni.EInvalid, "%v", err)
	}
	if len(declared) != len(realised) {
		return IntentionsModel{}, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions: %d declared and %d realised months, want aligned series", len(declared), len(realised))
	}
	n := len(declared)
	for i := range n {
		d, r := declared[i], realised[i]
		if math.IsNaN(d) || math.IsInf(d, 0) || d < 0 || math.IsNaN(r) || math.IsInf(r, 0) || r < 0 {
			return IntentionsModel{}, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions: month %d: declared %v realised %v, want finite non-negative counts", i, d, r)
		}
	}
	w := func(i int) float64 {
		if cfg.HalfLife == 0 {
			return 1
		}
		return math.Pow(0.5, float64(n-1-i)/cfg.HalfLife)
	}
	var swd, swr, sd float64
	for i := range n {
		swd += w(i) * declared[i]
		swr += w(i) * realised[i]
		sd += declared[i]
	}
	if swd == 0 {
		return IntentionsModel{}, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions: no month with declared hires in %d months", n)
	}
	m := IntentionsModel{Rate: swr / swd, Months: n}
	var ss float64
	for i := range n {
		e := realised[i] - m.Rate*declared[i]
		ss += e * e / math.Max(declared[i], 1)
	}
	if n > 1 {
		m.Sigma2 = ss / float64(n-1)
	}
	m.RateSE = math.Sqrt(m.Sigma2 / math.Max(sd, 1))
	return m, nil
}

// Forecast returns the expected realised hiring for future declared hires,
// with normal intervals from the residual variance and the uncertainty of
// the rate, never below zero.
func (m IntentionsModel) Forecast(declared []float64) Prediction {
	point, sd := make([]float64, len(declared)), make([]float64, len(declared))
	for i, d := range declared {
		point[i] = m.Rate * d
		sd[i] = math.Sqrt(m.Sigma2*math.Max(d, 1) + d*d*m.RateSE*m.RateSE)
	}
	p := normalPrediction(point, sd)
	p.clampNonNegative()
	return p
}

// Intentions forecasts realised hiring for the h months after the end of
// realised from the hires declared for those months: declared must cover
// them, and the realisation rate is estimated on the months both series
// cover. The two series are aligned by month, so they may start at
// different months.
func Intentions(declared, realised Series, h int, cfg IntentionsConfig) (Forecast, error) {
	f := Forecast{Key: realised.Key, Method: "intentions", Start: realised.End()}
	if h < 1 {
		return f, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions %q: horizon %d, want >= 1", realised.Key, h)
	}
	from, to := laterMonth(declared.Start, realised.Start), earlierMonth(declared.End(), realised.End())
	if !from.Before(to) {
		return f, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions %q: declared %q (%s to %s) and realised (%s to %s) share no month", realised.Key, declared.Key, declared.Start.Format("2006-01"), declared.End().Format("2006-01"), realised.Start.Format("2006-01"), realised.End().Format("2006-01"))
	}
	if declared.End().Before(addMonths(realised.End(), h)) {
		return f, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: intentions %q: declared %q ends %s, need declared hires up to %s", realised.Key, declared.Key, declared.End().Format("2006-01"), addMonths(realised.End(), h).Format("2006-01"))
	}
	d := declared.Values[monthsBetween(declared.Start, from):monthsBetween(declared.Start, to)]
	r := realised.Values[monthsBetween(realised.Start, from):monthsBetween(realised.Start, to)]
	m, err := FitIntentions(d, r, cfg)
	if err != nil {
		return f, fmt.Errorf("forecast: intentions %q: %w", realised.Key, err)
	}
	off := monthsBetween(declared.Start, realised.End())
	f.Prediction = m.Forecast(declared.Values[off : off+h])
	return f, nil
}

func laterMonth(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlierMonth(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
