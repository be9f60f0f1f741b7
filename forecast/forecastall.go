package forecast

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
)

// MonthlyPeriod is the seasonal period of monthly series.
const MonthlyPeriod = 12

// Forecast is the forecast of one series by one method.
type Forecast struct {
	Key    string
	Method string
	// Start is the month of horizon 1: the month after the last observation.
	Start time.Time
	Prediction
	// Err is why this series could not be forecast (Prediction is empty).
	Err error
}

// ForecastAll fits m to every series (seasonal period 12) and forecasts h
// months ahead, on workers goroutines (<= 0 means GOMAXPROCS).
//
// The result has one Forecast per series, in the order of series. A series
// that cannot be forecast has its Err set and the others go through; the
// returned error then joins those errors, each naming its series. The
// error is also non-nil, with no forecasts, when h < 1 or m is nil.
func ForecastAll(series []Series, h int, m Method, workers int) ([]Forecast, error) {
	if h < 1 {
		return nil, fmt.Errorf("forecast: forecast all: horizon %d, want >= 1", h)
	}
	if m == nil {
		return nil, errors.New("forecast: forecast all: nil method")
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Forecast, len(series))
	var wg sync.WaitGroup
	next := make(chan int, workers)
	for range workers {
		wg.Go(func() {
			for i := range next {
				out[i] = forecastOne(series[i], h, m)
			}
		})
	}
	for i := range series {
		next <- i
	}
	close(next)
	wg.Wait()
	var errs []error
	for _, f := range out {
		if f.Err != nil {
			errs = append(errs, f.Err)
		}
	}
	return out, errors.Join(errs...)
}

func forecastOne(s Series, h int, m Method) (f Forecast) {
	f = Forecast{Key: s.Key, Method: m.Name(), Start: s.End()}
	defer func() {
		if r := recover(); r != nil {
			f.Prediction = Prediction{}
			f.Err = fmt.Errorf("forecast: series %q: %s: panic: %v", s.Key, m.Name(), r)
		}
	}()
	mod, err := m.Fit(s.Values, MonthlyPeriod)
	if err != nil {
		f.Err = fmt.Errorf("forecast: series %q: %w", s.Key, err)
		return f
	}
	f.Prediction = mod.Forecast(h)
	return f
}
