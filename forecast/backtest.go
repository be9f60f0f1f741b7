package forecast

import (
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"sync"
	"text/tabwriter"
)

// HorizonGroup is a range of horizons, From..To months ahead inclusive.
type HorizonGroup struct{ From, To int }

func (g HorizonGroup) String() string { return fmt.Sprintf("%d-%d", g.From, g.To) }

// BacktestConfig configures a rolling-origin evaluation.
type BacktestConfig struct {
	Period   int            // seasonal period, of the methods and of MASE; default 12
	Horizon  int            // months forecast from each origin; default 12
	Origins  int            // forecast origins per series, the last one Horizon months before the end; default 24
	Step     int            // months between consecutive origins; default 1
	MinTrain int            // shortest training series; origins with less are skipped; default 3×Period
	Holdout  int            // months cut off the end of every series before anything else, to tune on a validation window and keep the test window unseen; default 0
	Groups   []HorizonGroup // horizon groups of the table; default 1-3 and 4-Horizon
	Baseline Method         // the OWA reference; default SeasonalNaive
	Workers  int            // goroutines; <= 0 means GOMAXPROCS
}

// DefaultBacktestConfig returns the configuration of the project's
// backtests: 24 monthly origins, 12 months ahead, scored at 1-3 and 4-12.
func DefaultBacktestConfig() BacktestConfig {
	return BacktestConfig{
		Period: 12, Horizon: 12, Origins: 24, Step: 1, MinTrain: 36,
		Groups:   []HorizonGroup{{1, 3}, {4, 12}},
		Baseline: SeasonalNaive{},
	}
}

// Validate reports a configuration that cannot run, after the defaults of
// zero fields are applied by Backtest.
func (c BacktestConfig) Validate() error {
	switch {
	case c.Period < 1:
		return fmt.Errorf("forecast: backtest config: period %d, want >= 1", c.Period)
	case c.Horizon < 1:
		return fmt.Errorf("forecast: backtest config: horizon %d, want >= 1", c.Horizon)
	case c.Origins < 1:
		return fmt.Errorf("forecast: backtest config: origins %d, want >= 1", c.Origins)
	case c.Step < 1:
		return fmt.Errorf("forecast: backtest config: step %d, want >= 1", c.Step)
	case c.MinTrain < 1:
		return fmt.Errorf("forecast: backtest config: min train %d, want >= 1", c.MinTrain)
	case c.Holdout < 0:
		return fmt.Errorf("forecast: backtest config: holdout %d, want >= 0", c.Holdout)
	}
	for _, g := range c.Groups {
		if g.From < 1 || g.To < g.From || g.To > c.Horizon {
			return fmt.Errorf("forecast: backtest config: horizon group %s outside 1-%d", g, c.Horizon)
		}
	}
	return nil
}

func (c BacktestConfig) withDefaults() BacktestConfig {
	d := DefaultBacktestConfig()
	if c.Period == 0 {
		c.Period = d.Period
	}
	if c.Horizon == 0 {
		c.Horizon = d.Horizon
	}
	if c.Origins == 0 {
		c.Origins = d.Origins
	}
	if c.Step == 0 {
		c.Step = d.Step
	}
	if c.MinTrain == 0 {
		c.MinTrain = 3 * c.Period
	}
	if c.Groups == nil {
		c.Groups = []HorizonGroup{{1, min(3, c.Horizon)}}
		if c.Horizon > 3 {
			c.Groups = append(c.Groups, HorizonGroup{4, c.Horizon})
		}
	}
	if c.Baseline == nil {
		c.Baseline = d.Baseline
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c
}

// Report is the result of a backtest.
type Report struct {
	Config    BacktestConfig
	Series    int         // series given
	Scored    int         // (series, origin) pairs scored by every method
	Skipped   int         // (series, origin) pairs left out: a method failed, or the MASE scale is 0
	SkipNotes []string    // the first reasons for skipping
	Rows      []ReportRow // by method (in the order given, baseline first if it was not given), then group
}

// ReportRow scores one method on one horizon group, averaged over every
// scored series, origin and horizon of the group (as in M4).
type ReportRow struct {
	Method string
	Group  HorizonGroup
	N      int     // forecasts scored
	SMAPE  float64 // symmetric MAPE, percent: 200|y−f|/(|y|+|f|), 0 when both are 0
	MASE   float64 // |y−f| over the training mean absolute seasonal difference
	// OWA = (SMAPE/SMAPE_baseline + MASE/MASE_baseline)/2; 1 for the baseline.
	OWA float64
	// Cover80 and Cover95: share of actuals inside the 80% and 95% intervals.
	Cover80, Cover95 float64
}

// Row returns the row of a method and group.
func (r Report) Row(method string, g HorizonGroup) (ReportRow, bool) {
	for _, row := range r.Rows {
		if row.Method == method && row.Group == g {
			return row, true
		}
	}
	return ReportRow{}, false
}

// WriteTable writes the report as an aligned text table.
func (r Report) WriteTable(w io.Writer) error {
	c := r.Config
	fmt.Fprintf(w, "backtest: %d series, %d origins every %d months, horizon %d, period %d, holdout %d; scored %d (series, origin), skipped %d\n",
		r.Series, c.Origins, c.Step, c.Horizon, c.Period, c.Holdout, r.Scored, r.Skipped)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\thorizons\tn\tsMAPE\tMASE\tOWA\tcover80\tcover95\t")
	for _, row := range r.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.2f\t%.3f\t%.3f\t%.2f\t%.2f\t\n",
			row.Method, row.Group, row.N, row.SMAPE, row.MASE, row.OWA, row.Cover80, row.Cover95)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("forecast: write backtest table: %w", err)
	}
	for _, n := range r.SkipNotes {
		if _, err := fmt.Fprintf(w, "skipped: %s\n", n); err != nil {
			return fmt.Errorf("forecast: write backtest table: %w", err)
		}
	}
	return nil
}

// SMAPE returns the symmetric mean absolute percentage error of forecasts
// f of actuals y, in percent (M4 definition; a term with y = f = 0 is 0).
func SMAPE(y, f []float64) float64 {
	var s float64
	for i := range y {
		s += smapeTerm(y[i], f[i])
	}
	return s / float64(len(y))
}

func smapeTerm(y, f float64) float64 {
	d := math.Abs(y) + math.Abs(f)
	if d == 0 {
		return 0
	}
	return 200 * math.Abs(y-f) / d
}

// MASE returns the mean absolute scaled error of forecasts f of actuals y,
// scaled by the mean absolute lag-m difference of the training series
// (lag 1 when the series is not longer than m). It is +Inf or NaN when
// that scale is 0.
func MASE(train, y, f []float64, m int) float64 {
	var s float64
	for i := range y {
		s += math.Abs(y[i] - f[i])
	}
	return s / float64(len(y)) / maseScale(train, m)
}

func maseScale(train []float64, m int) float64 {
	if m < 1 || len(train) <= m {
		m = 1
	}
	var s float64
	for t := m; t < len(train); t++ {
		s += math.Abs(train[t] - train[t-m])
	}
	return s / float64(len(train)-m)
}

// OWA returns the overall weighted average of a method relative to a
// baseline, as in M4.
func OWA(smape, mase, smapeBase, maseBase float64) float64 {
	return (smape/smapeBase + mase/maseBase) / 2
}

// cell holds the errors of all methods at one (series, origin).
type cell struct {
	ok     bool
	note   string
	scale  float64
	actual []float64
	preds  []Prediction // by method
}

// Backtest evaluates methods by rolling-origin forecasts on every series:
// for each origin it fits each method to the months before it and scores
// the next Horizon months. The baseline is added to methods when no method
// of the same name is given. A (series, origin) where any method fails is
// left out for all, so every row is scored on the same forecasts.
//
// The error is non-nil (and the report empty) only when the configuration
// is invalid, no methods are given, or nothing could be scored.
func Backtest(series []Series, methods []Method, cfg BacktestConfig) (Report, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return Report{}, err
	}
	if len(methods) == 0 {
		return Report{}, errors.New("forecast: backtest: no methods")
	}
	base := -1
	names := map[string]bool{}
	for i, m := range methods {
		if m == nil {
			return Report{}, fmt.Errorf("forecast: backtest: method %d is nil", i)
		}
		if names[m.Name()] {
			return Report{}, fmt.Errorf("forecast: backtest: two methods named %q", m.Name())
		}
		names[m.Name()] = true
		if m.Name() == cfg.Baseline.Name() {
			base = i
		}
	}
	if base < 0 {
		methods = append([]Method{cfg.Baseline}, methods...)
		base = 0
	}
	H := cfg.Horizon
	type job struct{ s, origin int }
	var jobs []job
	for si, s := range series {
		n := len(s.Values) - cfg.Holdout
		for o := 0; o < cfg.Origins; o++ {
			t := n - H - o*cfg.Step
			if t < cfg.MinTrain {
				break
			}
			jobs = append(jobs, job{si, t})
		}
	}
	cells := make([]cell, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int, cfg.Workers)
	for range cfg.Workers {
		wg.Go(func() {
			for j := range next {
				cells[j] = backtestCell(series[jobs[j].s], jobs[j].origin, methods, cfg)
			}
		})
	}
	for j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()

	rep := Report{Config: cfg, Series: len(series)}
	type acc struct {
		n                     int
		smape, mase, c80, c95 float64
	}
	accs := make([][]acc, len(methods))
	for k := range accs {
		accs[k] = make([]acc, len(cfg.Groups))
	}
	for _, c := range cells {
		if !c.ok {
			rep.Skipped++
			if len(rep.SkipNotes) < 10 {
				rep.SkipNotes = append(rep.SkipNotes, c.note)
			}
			continue
		}
		rep.Scored++
		for k, p := range c.preds {
			for gi, g := range cfg.Groups {
				a := &accs[k][gi]
				for i := g.From - 1; i < g.To; i++ {
					y, f := c.actual[i], p.Point[i]
					a.n++
					a.smape += smapeTerm(y, f)
					a.mase += math.Abs(y-f) / c.scale
					if y >= p.Lo80[i] && y <= p.Hi80[i] {
						a.c80++
					}
					if y >= p.Lo95[i] && y <= p.Hi95[i] {
						a.c95++
					}
				}
			}
		}
	}
	if rep.Scored == 0 {
		return rep, fmt.Errorf("forecast: backtest: nothing scored out of %d series (need %d months of training plus %d ahead)", len(series), cfg.MinTrain, H)
	}
	for k, m := range methods {
		for gi, g := range cfg.Groups {
			a, b := accs[k][gi], accs[base][gi]
			fn := float64(a.n)
			row := ReportRow{Method: m.Name(), Group: g, N: a.n,
				SMAPE: a.smape / fn, MASE: a.mase / fn, Cover80: a.c80 / fn, Cover95: a.c95 / fn}
			row.OWA = OWA(row.SMAPE, row.MASE, b.smape/float64(b.n), b.mase/float64(b.n))
			rep.Rows = append(rep.Rows, row)
		}
	}
	return rep, nil
}

func backtestCell(s Series, origin int, methods []Method, cfg BacktestConfig) (c cell) {
	train := s.Values[:origin]
	c.actual = s.Values[origin : origin+cfg.Horizon]
	month := s.Month(origin).Format("2006-01")
	c.scale = maseScale(train, cfg.Period)
	if !(c.scale > 0) || math.IsInf(c.scale, 0) {
		c.note = fmt.Sprintf("series %q origin %s: MASE scale is 0", s.Key, month)
		return c
	}
	defer func() {
		if r := recover(); r != nil {
			c.ok, c.note = false, fmt.Sprintf("series %q origin %s: panic: %v", s.Key, month, r)
		}
	}()
	c.preds = make([]Prediction, len(methods))
	for k, m := range methods {
		mod, err := m.Fit(train, cfg.Period)
		if err != nil {
			c.note = fmt.Sprintf("series %q origin %s: %s: %v", s.Key, month, m.Name(), err)
			return c
		}
		c.preds[k] = mod.Forecast(cfg.Horizon)
	}
	c.ok = true
	return c
}
