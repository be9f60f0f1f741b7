package forecast_test

import (
	"fmt"
	"strings"

	"github.com/fabbisogni/fabbisogni/forecast"
)

func ExampleForecastAll() {
	csv := `series,month,value
torino/7231,2025-01,4
torino/7231,2025-02,0
torino/7231,2025-03,0
torino/7231,2025-04,4
torino/7231,2025-05,0
torino/7231,2025-06,0
torino/7231,2025-07,4
torino/7231,2025-08,0
`
	series, err := forecast.ReadSeriesCSV(strings.NewReader(csv))
	if err != nil {
		fmt.Println(err)
		return
	}
	fc, err := forecast.ForecastAll(series, 3, forecast.Croston{}, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range fc {
		for h, p := range f.Point {
			fmt.Printf("%s %s %s %.2f [%.2f, %.2f]\n", f.Key, f.Method, f.Start.AddDate(0, h, 0).Format("2006-01"), p, f.Lo80[h], f.Hi80[h])
		}
	}
	// Output:
	// torino/7231 croston 2025-09 1.33 [0.00, 4.00]
	// torino/7231 croston 2025-10 1.33 [0.00, 4.00]
	// torino/7231 croston 2025-11 1.33 [0.00, 4.00]
}

func ExampleBacktest() {
	// Three years of a season that grows by 10% a year.
	var y []float64
	for year := range 4 {
		for _, v := range []float64{10, 12, 15, 20, 22, 25, 30, 28, 20, 15, 12, 11} {
			y = append(y, v*(1+0.1*float64(year)))
		}
	}
	series := []forecast.Series{{Key: "demo", Values: y}}
	rep, err := forecast.Backtest(series, []forecast.Method{forecast.Naive{}, forecast.HoltWintersMultiplicative},
		forecast.BacktestConfig{Horizon: 3, Origins: 3, MinTrain: 24})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rep.Rows {
		fmt.Printf("%s OWA %.2f\n", r.Method, r.OWA)
	}
	// Output:
	// snaive OWA 1.00
	// naive OWA 6.71
	// ets(M,A,M) OWA 0.03
}
