// Package forecast computes short-term (1-3 months) and medium-term (12
// months) forecasts of monthly hiring series with 80% and 95% prediction
// intervals, reconciles them across a hierarchy (occupation → district →
// region) and evaluates methods by rolling-origin backtests scored as in the
// M4 competition (sMAPE, MASE, OWA relative to seasonal naive).
//
// Everything here is pure Go (standard library only) and free of I/O beyond
// the loaders: a Series goes in, a Forecast comes out. The warehouse and the
// command wire it to ClickHouse.
//
// Methods share one interface (Method → Model):
//
//   - Naive, SeasonalNaive: baselines with analytic intervals.
//   - ETS: exponential smoothing state-space models (simple, Holt, damped
//     Holt, Holt-Winters additive and multiplicative), smoothing parameters
//     fitted by Nelder-Mead on the likelihood; AutoETS picks by AICc.
//   - Theta: the Theta method (SES with drift) on seasonally adjusted data.
//   - Croston and TSB: intermittent count series with many zeros.
//   - Combination: the mean or median of several methods (default: AutoETS,
//     damped ETS and Theta).
//
// The intentions model (declared hires × realisation rate) needs two aligned
// series and so is a function, FitIntentions, not a Method.
package forecast
