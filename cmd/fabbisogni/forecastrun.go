package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/forecast"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// forecastRunConfig configures one forecast run.
type forecastRunConfig struct {
	Horizon int              // months ahead; default 12 (1-3 short term, 12 medium term)
	Workers int              // goroutines fitting series; <= 0 means GOMAXPROCS
	Now     func() time.Time // created_at and run id; default time.Now
}

func defaultForecastRunConfig() forecastRunConfig {
	return forecastRunConfig{Horizon: 12, Now: time.Now}
}

// forecastRunResult says what a run did.
type forecastRunResult struct {
	RunID      string
	Series     int // leaf series (district x sector x ISCO 3-digit x measure)
	Forecasts  int // series forecast, leaves plus reconciled aggregates plus intentions
	Failed     int // series that could not be forecast (logged)
	Intentions int // series forecast by the intentions model
	Rows       int // rows written to hiring_forecasts
	Start      time.Time
}

// seriesNode is one series of the hierarchy of a measure: region, district,
// sector, ISCO 2-digit, ISCO 3-digit.
type seriesNode struct {
	measure, level, district, sector, isco string
}

func (n seriesNode) key() string {
	return strings.Join([]string{n.measure, n.level, n.district, n.sector, n.isco}, "|")
}

func (n seriesNode) parent() (seriesNode, bool) {
	switch n.level {
	case "isco3":
		p := n
		p.level = "isco2"
		if n.isco != warehouse.Unknown {
			p.isco = n.isco[:2]
		}
		return p, true
	case "isco2":
		return seriesNode{measure: n.measure, level: "sector", district: n.district, sector: n.sector}, true
	case "sector":
		return seriesNode{measure: n.measure, level: "district", district: n.district}, true
	case "district":
		return seriesNode{measure: n.measure, level: "region"}, true
	}
	return seriesNode{}, false
}

func parseNode(key string) seriesNode {
	f := strings.SplitN(key, "|", 5)
	for len(f) < 5 {
		f = append(f, "")
	}
	return seriesNode{f[0], f[1], f[2], f[3], f[4]}
}

func addMonths(t time.Time, n int) time.Time { return t.AddDate(0, n, 0) }

func monthIndex(start, t time.Time) int {
	return (t.Year()-start.Year())*12 + int(t.Month()-start.Month())
}

// forecastRun reads the monthly demand series from the warehouse, forecasts
// every district x sector x ISCO 3-digit cell of every measure with
// forecast.Auto (TSB for intermittent cells, the combination otherwise),
// sums them bottom-up to ISCO 2-digit, sector, district and region so the
// levels add up, adds the intentions model (declared hires times a
// realisation rate) for the workers-requested series of every node where
// firms declared hires, and stores everything in hiring_forecasts under
// one run id.
func (a *app) forecastRun(ctx context.Context, cfg forecastRunConfig) (forecastRunResult, error) {
	var res forecastRunResult
	if cfg.Horizon < 1 || cfg.Horizon > 24 {
		return res, fmt.Errorf("forecast run: horizon %d, want 1-24", cfg.Horizon)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cells, err := a.wh.Demand(ctx)
	if err != nil {
		return res, err
	}
	if len(cells) == 0 {
		return res, fabbisogni.Errorf(fabbisogni.ENotFound, "forecast run: no vacancies or declared needs in %s", a.wh.Database())
	}
	needs, err := a.wh.DeclaredNeeds(ctx)
	if err != nil {
		return res, err
	}
	rec, leaves, start, err := computeForecasts(cells, needs, cfg)
	if err != nil {
		return res, err
	}
	res.Series, res.Start = len(leaves), addMonths(start, len(leaves[0].Values))
	for _, f := range rec {
		if f.Method == "intentions" && f.Err == nil {
			res.Intentions++
		}
	}

	created := cfg.Now().UTC()
	res.RunID = runID(created)
	var rows []warehouse.ForecastRow
	for _, f := range rec {
		if f.Err != nil {
			res.Failed++
			a.log.Warn("series not forecast", "series", f.Key, "err", f.Err)
			continue
		}
		res.Forecasts++
		n := parseNode(f.Key)
		for h := range f.Point {
			rows = append(rows, warehouse.ForecastRow{
				RunID: res.RunID, CreatedAt: created, Method: f.Method, Level: n.level, District: n.district, Sector: n.sector,
				ISCO: n.isco, Measure: n.measure, Origin: f.Start, Target: addMonths(f.Start, h), Horizon: h + 1,
				Point: f.Point[h], Lo80: f.Lo80[h], Hi80: f.Hi80[h], Lo95: f.Lo95[h], Hi95: f.Hi95[h],
			})
		}
	}
	if err := a.wh.InsertForecasts(ctx, rows); err != nil {
		return res, err
	}
	res.Rows = len(rows)
	a.log.Info("forecast run stored", "run_id", res.RunID, "series", res.Series, "forecasts", res.Forecasts, "failed", res.Failed, "intentions", res.Intentions, "rows", res.Rows)
	return res, nil
}

func runID(t time.Time) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return t.Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// computeForecasts is the computation of a forecast run, without I/O: the
// leaf series built from the cells, their Auto forecasts, the bottom-up
// aggregates and the intentions forecasts, in that order.
func computeForecasts(cells []warehouse.DemandCell, needs []warehouse.DeclaredNeed, cfg forecastRunConfig) ([]forecast.Forecast, []forecast.Series, time.Time, error) {
	leaves, hier, start := demandSeries(cells)
	fc, err := forecast.ForecastAll(leaves, cfg.Horizon, forecast.Auto{}, cfg.Workers)
	if err != nil && len(fc) == 0 {
		return nil, nil, start, err
	}
	rec, err := forecast.ReconcileBottomUp(fc, hier)
	if err != nil {
		return nil, nil, start, err
	}
	return append(rec, intentionsForecasts(leaves, needs, start, cfg.Horizon)...), leaves, start, nil
}

// demandSeries turns demand cells into one leaf series per measure,
// district, sector and ISCO 3-digit group, all spanning the same months
// (the first to the last month with any demand, zeros in between) so that
// they can be summed, and the hierarchy above them.
func demandSeries(cells []warehouse.DemandCell) ([]forecast.Series, forecast.Hierarchy, time.Time) {
	first, last := cells[0].Month, cells[0].Month
	for _, c := range cells {
		if c.Month.Before(first) {
			first = c.Month
		}
		if c.Month.After(last) {
			last = c.Month
		}
	}
	n := monthIndex(first, last) + 1
	idx := map[string]int{}
	var leaves []forecast.Series
	hier := forecast.Hierarchy{}
	for _, c := range cells {
		node := seriesNode{measure: c.Measure, level: "isco3", district: c.District, sector: c.Sector, isco: c.ISCO3}
		k := node.key()
		i, ok := idx[k]
		if !ok {
			i = len(leaves)
			idx[k] = i
			leaves = append(leaves, forecast.Series{Key: k, Start: first, Values: make([]float64, n)})
			for cur := node; ; {
				p, ok := cur.parent()
				if !ok {
					break
				}
				hier[cur.key()] = p.key()
				cur = p
			}
		}
		leaves[i].Values[monthIndex(first, c.Month)] += c.Value
	}
	sort.Slice(leaves, func(i, j int) bool { return leaves[i].Key < leaves[j].Key })
	return leaves, hier, first
}

// spreadDeclared spreads hires declared in a month over the months they
// were declared for: "within 3 months" evenly over the next three, "3 to
// 12 months" over the nine after; hires beyond 12 months are outside any
// horizon here and left out.
func spreadDeclared(n warehouse.DeclaredNeed) (from, months int, ok bool) {
	switch n.Horizon {
	case fabbisogni.Horizon3Months:
		return 1, 3, true
	case fabbisogni.Horizon12Months:
		return 4, 9, true
	}
	return 0, 0, false
}

// intentionsForecasts forecasts the workers requested of every node (leaf
// or aggregate) that has declared hires covering at least the next month,
// with forecast.Intentions: the realisation rate is what was posted in the
// months firms had declared hires for, over those declared hires.
func intentionsForecasts(leaves []forecast.Series, needs []warehouse.DeclaredNeed, start time.Time, horizon int) []forecast.Forecast {
	if len(leaves) == 0 || len(needs) == 0 {
		return nil
	}
	n := len(leaves[0].Values)
	end := n + 12 + 1
	realised := map[string][]float64{}
	declared := map[string][]float64{}
	add := func(m map[string][]float64, leaf seriesNode, vals []float64, size int) {
		for cur, ok := leaf, true; ok; cur, ok = cur.parent() {
			k := cur.key()
			if m[k] == nil {
				m[k] = make([]float64, size)
			}
			for i, v := range vals {
				m[k][i] += v
			}
		}
	}
	for _, s := range leaves {
		node := parseNode(s.Key)
		if node.measure == warehouse.MeasureWorkers {
			add(realised, node, s.Values, n)
		}
	}
	for _, d := range needs {
		from, months, ok := spreadDeclared(d)
		if !ok {
			continue
		}
		vals := make([]float64, end)
		base := monthIndex(start, d.Month)
		for i := 0; i < months; i++ {
			if j := base + from + i; j >= 0 && j < end {
				vals[j] += d.Hires / float64(months)
			}
		}
		add(declared, seriesNode{measure: warehouse.MeasureWorkers, level: "isco3", district: d.District, sector: d.Sector, isco: d.ISCO3}, vals, end)
	}
	keys := make([]string, 0, len(declared))
	for k := range declared {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []forecast.Forecast
	for _, k := range keys {
		dv := declared[k]
		h := 0
		for h < horizon && n+h < len(dv) && dv[n+h] > 0 {
			h++
		}
		if h == 0 {
			continue // nothing declared for next month: no intentions forecast
		}
		rv := realised[k]
		if sum(rv) == 0 {
			// Nothing ever posted in this cell (vacancies often lack the
			// firm's ATECO code, so sector cells of declared needs have no
			// postings): a rate of 0 would say nothing; the levels above
			// carry the intentions forecast.
			continue
		}
		f, err := forecast.Intentions(forecast.Series{Key: k, Start: start, Values: dv[:n+h]}, forecast.Series{Key: k, Start: start, Values: rv}, h, forecast.IntentionsConfig{})
		if err != nil {
			if fabbisogni.ErrorCode(err) == fabbisogni.EInvalid {
				continue // no month with declared hires in the history: no rate to estimate
			}
			f.Err = err
		}
		out = append(out, f)
	}
	return out
}

// forecastJob is the scheduled forecast: it runs forecastRun with the
// defaults on the app's warehouse (opening it when the app has none).
// cmd's run schedules it, e.g. monthly, through forecastJobRows.
func (a *app) forecastJob(ctx context.Context) error {
	_, err := a.forecastJobRows(ctx)
	return err
}

// forecastJobRows is forecastJob in the scheduler's job signature: it
// returns the rows written to hiring_forecasts.
func (a *app) forecastJobRows(ctx context.Context) (int64, error) {
	if a.wh == nil {
		if err := a.openWarehouse(ctx); err != nil {
			return 0, err
		}
	}
	res, err := a.forecastRun(ctx, defaultForecastRunConfig())
	return int64(res.Rows), err
}

func runForecastRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	cfg := defaultForecastRunConfig()
	fs := newFlagSet("forecast run", "forecast run [flags]", `
Forecasts hiring demand from the data in ClickHouse and stores the result in
hiring_forecasts under a new run id. Series: new vacancies, workers requested
and declared hires per month, by district x sector (ATECO division) x
occupation (ISCO-08 3-digit), summed bottom-up to ISCO 2-digit, sector,
district and region. Method: Auto (TSB for intermittent cells, the mean of
ETS, damped ETS and Theta otherwise), plus the intentions model (declared
hires x realisation rate) where firms declared hires. Horizons 1-3 are the
short term, 12 the medium term; every forecast has 80% and 95% intervals.`, stderr)
	o.addWarehouse(fs)
	o.addLog(fs)
	fs.IntVar(&cfg.Horizon, "horizon", cfg.Horizon, "months ahead (1-24)")
	fs.IntVar(&cfg.Workers, "workers", 0, "goroutines fitting series (0: one per CPU)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.openWarehouse(ctx); err != nil {
		return err
	}
	t0 := time.Now()
	res, err := a.forecastRun(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "forecast run %s: %d leaf series from %s, %d forecasts stored (%d by intentions, %d failed), %d rows in hiring_forecasts, %s\n",
		res.RunID, res.Series, res.Start.Format("2006-01"), res.Forecasts, res.Intentions, res.Failed, res.Rows, time.Since(t0).Round(time.Millisecond))
	return nil
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}
