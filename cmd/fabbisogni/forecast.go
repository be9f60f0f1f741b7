package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/fabbisogni/fabbisogni/forecast"
)

func init() {
	register(command{name: "forecast", summary: "forecast run: store hiring forecasts; forecast backtest: score the forecaster on JOLTS, Lazio or any CSV", run: runForecast})
}

func runForecast(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "run" {
		return runForecastRun(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "backtest" {
		return usageError{"usage: fabbisogni forecast run [flags] | forecast backtest [--series FILE.csv | --jolts | --lazio]"}
	}
	var o options
	var seriesFile string
	var jolts, lazio bool
	var lazioBy string
	fs := newFlagSet("forecast backtest", "forecast backtest [flags]", `
Rolling-origin backtest of the forecasting methods (naive, seasonal naive,
exponential smoothing chosen by AICc, damped trend, Theta, Croston/TSB and
their combination): sMAPE, MASE and OWA relative to seasonal naive (as in
M4) by horizon group (1-3 and 4-12 months). --series takes any CSV with
columns series,month,value (month as YYYY-MM).`, stderr)
	o.addData(fs)
	fs.StringVar(&seriesFile, "series", "", "CSV file with columns series,month,value")
	fs.BoolVar(&jolts, "jolts", false, "backtest on the JOLTS job-openings series in DATA/series")
	fs.BoolVar(&lazio, "lazio", false, "backtest on the monthly Lazio job-centre series in DATA/lazio-cpi")
	fs.StringVar(&lazioBy, "lazio-by", "cpi", "with --lazio: series by job centre (cpi), by ISCO-08 major group (isco), or both (cpi-isco); ISCO groups are coded by the NLP stage from the posting's Qualifica and Mansioni")
	o.addNLP(fs)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var series []forecast.Series
	var err error
	cfg := forecast.DefaultBacktestConfig()
	title := ""
	switch {
	case seriesFile != "":
		f, ferr := os.Open(seriesFile)
		if ferr != nil {
			return ferr
		}
		series, err = forecast.ReadSeriesCSV(f)
		f.Close()
		title = seriesFile
	case jolts:
		series, err = forecast.LoadJOLTS(filepath.Join(o.data, "series"))
		title = "JOLTS job openings (not seasonally adjusted levels)"
	case lazio:
		path := filepath.Join(o.data, "lazio-cpi", "vacancies-2022-2025.jsonl")
		switch lazioBy {
		case "cpi":
			series, err = forecast.LazioSeries(path)
		case "isco", "cpi-isco":
			var key func(forecast.LazioRecord) string
			if key, err = lazioISCOKey(o, stderr, lazioBy == "cpi-isco"); err == nil {
				series, err = forecast.LazioSeriesBy(path, key)
			}
		default:
			return usageError{fmt.Sprintf("--lazio-by %q: want cpi, isco or cpi-isco", lazioBy)}
		}
		cfg.Horizon, cfg.Origins, cfg.MinTrain = 3, 6, 24 // the series span 39 months: 24 of training at least
		cfg.Groups = []forecast.HorizonGroup{{From: 1, To: 3}}
		title = "Lazio job centres, monthly vacancies by " + lazioBy
	default:
		return usageError{"give --series FILE.csv, --jolts or --lazio"}
	}
	if err != nil {
		if len(series) == 0 {
			return err
		}
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	methods := []forecast.Method{forecast.Naive{}, forecast.SeasonalNaive{}, forecast.SES, forecast.AutoETS{}, forecast.Damped(), forecast.Theta{}, forecast.TSB{}, forecast.DefaultCombination()}
	rep, err := forecast.Backtest(series, methods, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backtest: %s (%d series)\n", title, len(series))
	return rep.WriteTable(stdout)
}

// lazioISCOKey codes each Lazio posting to its ISCO-08 major group with the
// NLP stage (text: the Qualifica and the Mansioni), keyed alone or with the
// job centre; postings it cannot code go to group "?".
func lazioISCOKey(o options, stderr io.Writer, withCPI bool) (func(forecast.LazioRecord) string, error) {
	o.logLevel = "warn"
	a, err := newApp(o, stderr)
	if err != nil {
		return nil, err
	}
	ex, _, err := a.extractor()
	if err != nil {
		return nil, err
	}
	return func(r forecast.LazioRecord) string {
		g := "?"
		x := ex.Extract("", r.Qualifica, r.Mansioni)
		if c := x.BestISCO(); c != "" {
			g = c[:1]
		}
		if withCPI {
			return r.CPI + "/ISCO-" + g
		}
		return "ISCO-" + g
	}, nil
}
