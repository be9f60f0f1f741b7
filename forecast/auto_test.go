package forecast

import (
	"math"
	"testing"
)

func TestClassifyDemand(t *testing.T) {
	for _, tc := range []struct {
		name  string
		y     []float64
		class string
		adi   float64
		cv2   float64
	}{
		{"smooth", []float64{5, 5, 5, 5}, DemandSmooth, 1, 0},
		{"erratic", []float64{1, 9, 1, 9}, DemandErratic, 1, 16.0 / 25},
		{"intermittent", []float64{0, 0, 4, 0, 4, 0, 4, 0}, DemandIntermittent, 2, 0},
		{"lumpy", []float64{1, 0, 0, 9, 0, 0}, DemandLumpy, 3, 16.0 / 25},
		{"none", []float64{0, 0}, DemandNone, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			class, adi, cv2 := ClassifyDemand(tc.y)
			if class != tc.class || math.Abs(adi-tc.adi) > 1e-12 || math.Abs(cv2-tc.cv2) > 1e-12 {
				t.Fatalf("got %s ADI %v CV² %v, want %s %v %v", class, adi, cv2, tc.class, tc.adi, tc.cv2)
			}
		})
	}
}

func TestAutoDispatches(t *testing.T) {
	inter := []float64{0, 0, 3, 0, 0, 3, 0, 0, 3, 0, 0, 3}
	got := mustFit(t, Auto{}, inter, 12).Forecast(2)
	want := mustFit(t, TSB{}, inter, 12).Forecast(2)
	near(t, "intermittent", got.Point, want.Point, 0)

	regular := seasonalSeries(48)
	got = mustFit(t, Auto{}, regular, 12).Forecast(3)
	want = mustFit(t, DefaultCombination(), regular, 12).Forecast(3)
	near(t, "regular", got.Point, want.Point, 0)

	if _, err := (Auto{Regular: SeasonalNaive{}}).Fit([]float64{1, 2}, 12); err == nil {
		t.Fatal("too short for the regular method: no error")
	}
}
