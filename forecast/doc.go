// Package forecast computes short-term (1-3 months) and medium-term (12
// months) forecasts of monthly hiring series with 80% and 95% prediction
// intervals, reconciles them across a hierarchy (occupation → district →
// region) and evaluates methods by rolling-origin backtests scored as in the
// M4 competition (sMAPE, MASE, OWA relative to seasonal naive).
//
// It is pure Go (standard library only) and does no I/O beyond its
// loaders: a Series goes in, a Forecast comes out; the warehouse and the
// command wire it to ClickHouse.
//
// Loaders: ReadSeriesCSV (columns series,month,value, the format of
// `fabbisogni forecast backtest --series`), LoadJOLTS (the BLS JOLTS
// not-seasonally-adjusted job-openings levels), LazioSeries and
// LazioSeriesBy (monthly vacancy counts of the Lazio job centres).
//
// Methods share one interface (Method → Model → Prediction):
//
//   - Naive, SeasonalNaive: baselines with analytic intervals.
//   - ETS: exponential smoothing state-space models (SES, Holt, damped Holt,
//     Holt-Winters additive and multiplicative), smoothing parameters fitted
//     by Nelder-Mead on the likelihood; AutoETS picks one by AICc, Damped
//     among the damped-trend ones.
//   - Theta: SES with drift on seasonally adjusted data.
//   - Croston (and its SBA variant) and TSB: intermittent count series.
//   - Combination: the mean or median of several methods;
//     DefaultCombination is the mean of AutoETS, Damped and Theta.
//   - Auto: TSB for intermittent and lumpy series, the combination for
//     smooth and erratic ones (ClassifyDemand).
//
// The intentions model (declared hires × a realisation rate estimated from
// what firms declared and what was later observed) needs two aligned
// series, so it is a pair of functions, FitIntentions and Intentions.
//
// ForecastAll forecasts a batch on several goroutines; ReconcileBottomUp
// and ReconcileTopDown make a batch coherent over a Hierarchy; Backtest
// scores methods and Report.WriteTable prints the table.
//
// Every model clamps its point forecast and interval bounds at zero when
// the series it was fitted to has no negative value (counts, levels).
package forecast
