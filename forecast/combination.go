package forecast

import (
	"errors"
	"fmt"
	"sort"

	"github.com/fabbisogni/fabbisogni"
)

// Combination forecasts with the mean (or median) of its members' points,
// and each interval bound as the same statistic of the members' bounds
// (quantile averaging). A member that cannot fit a series is left out of
// that series' combination; the fit fails only when all members fail.
type Combination struct {
	Label   string   // method name; "" means "comb"
	Members []Method // nil means AutoETS, Damped and Theta
	Median  bool     // median instead of mean
}

// DefaultCombination is the mean of AutoETS, damped ETS and Theta: the
// combination the backtests score.
func DefaultCombination() Combination {
	return Combination{Label: "comb", Members: []Method{AutoETS{}, Damped(), Theta{}}}
}

// Name implements Method.
func (c Combination) Name() string {
	if c.Label != "" {
		return c.Label
	}
	return "comb"
}

// Fit implements Method.
func (c Combination) Fit(y []float64, period int) (Model, error) {
	members := c.Members
	if members == nil {
		members = DefaultCombination().Members
	}
	if len(members) == 0 {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: no members", c.Name())
	}
	var models []Model
	var errs []error
	fits := map[ETS]etsFit{} // ETS models shared by AutoETS members
	for _, m := range members {
		var mod Model
		var err error
		if a, ok := m.(AutoETS); ok {
			var em *etsModel
			if em, err = a.choose(y, period, fits); err == nil {
				mod = em
			}
		} else {
			mod, err = m.Fit(y, period)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", m.Name(), err))
			continue
		}
		models = append(models, mod)
	}
	if len(models) == 0 {
		return nil, fabbisogni.Errorf(fabbisogni.EInvalid, "forecast: %s: every member failed: %v", c.Name(), errors.Join(errs...))
	}
	return &combModel{models: models, median: c.Median}, nil
}

type combModel struct {
	models []Model
	median bool
}

func (c *combModel) Forecast(h int) Prediction {
	h = max(h, 0)
	preds := make([]Prediction, len(c.models))
	for i, m := range c.models {
		preds[i] = m.Forecast(h)
	}
	out := newPrediction(h)
	vals := make([]float64, len(preds))
	get := []func(Prediction) []float64{
		func(p Prediction) []float64 { return p.Point },
		func(p Prediction) []float64 { return p.Lo80 },
		func(p Prediction) []float64 { return p.Hi80 },
		func(p Prediction) []float64 { return p.Lo95 },
		func(p Prediction) []float64 { return p.Hi95 },
	}
	for k, dst := range [][]float64{out.Point, out.Lo80, out.Hi80, out.Lo95, out.Hi95} {
		for i := range h {
			for j, p := range preds {
				vals[j] = get[k](p)[i]
			}
			if c.median {
				dst[i] = median(vals)
			} else {
				dst[i] = mean(vals)
			}
		}
	}
	return out
}

func median(x []float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return quantileSorted(s, 0.5)
}
