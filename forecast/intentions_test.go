package forecast

import (
	"math"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni"
)

func TestFitIntentionsExactRate(t *testing.T) {
	declared := []float64{10, 20, 0, 40, 5}
	realised := []float64{6, 12, 0, 24, 3}
	m, err := FitIntentions(declared, realised, IntentionsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.Rate-0.6) > 1e-12 || m.Sigma2 > 1e-20 || m.Months != 5 {
		t.Fatalf("model %+v, want rate 0.6 with no residual", m)
	}
	p := m.Forecast([]float64{50, 0})
	near(t, "point", p.Point, []float64{30, 0}, 1e-12)
	near(t, "hi95", p.Hi95, []float64{30, 0}, 1e-9)
}

func TestFitIntentionsHandComputed(t *testing.T) {
	// rate = (5+15)/(10+10) = 1; residuals −5 and 5, each over declared 10:
	// σ² = (2.5+2.5)/(2−1) = 5; SE(rate) = √(5/20) = 0.5.
	m, err := FitIntentions([]float64{10, 10}, []float64{5, 15}, IntentionsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Rate != 1 || math.Abs(m.Sigma2-5) > 1e-12 || math.Abs(m.RateSE-0.5) > 1e-12 {
		t.Fatalf("model %+v", m)
	}
	p := m.Forecast([]float64{4})
	sd := math.Sqrt(5*4 + 16*0.25)
	if math.Abs(p.Hi80[0]-(4+z80*sd)) > 1e-12 || p.Lo95[0] != 0 {
		t.Fatalf("interval [%v, %v] [%v, %v], want 4±%v·1.28 and lower 95%% clamped at 0", p.Lo80[0], p.Hi80[0], p.Lo95[0], p.Hi95[0], sd)
	}
	// Recent months weigh more with a half-life: the rate moves towards 1.5.
	w, err := FitIntentions([]float64{10, 10}, []float64{5, 15}, IntentionsConfig{HalfLife: 1})
	if err != nil {
		t.Fatal(err)
	}
	if want := (0.5*5 + 15) / (0.5*10 + 10); math.Abs(w.Rate-want) > 1e-12 {
		t.Fatalf("weighted rate %v, want %v", w.Rate, want)
	}
}

func TestIntentionsAlignsSeries(t *testing.T) {
	declared := Series{Key: "declared", Start: month("2024-01"), Values: []float64{10, 10, 20, 20, 30, 40}}
	realised := Series{Key: "realised", Start: month("2024-02"), Values: []float64{5, 10, 10}} // Feb-Apr
	f, err := Intentions(declared, realised, 2, IntentionsConfig{})
	if err != nil {
		t.Fatal(err)
	}
	// Rate on Feb-Apr: 25/50 = 0.5; May and June declared 30, 40.
	if !f.Start.Equal(month("2024-05")) || f.Method != "intentions" || f.Key != "realised" {
		t.Fatalf("forecast %+v", f)
	}
	near(t, "point", f.Point, []float64{15, 20}, 1e-12)
	_, err = Intentions(declared, realised, 3, IntentionsConfig{})
	if err == nil || !strings.Contains(err.Error(), "need declared hires up to 2024-08") {
		t.Fatalf("too short declared: %v", err)
	}
}

func TestIntentionsErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		d, r []float64
		cfg  IntentionsConfig
	}{
		{"misaligned", []float64{1, 2}, []float64{1}, IntentionsConfig{}},
		{"nothing declared", []float64{0, 0}, []float64{1, 2}, IntentionsConfig{}},
		{"negative", []float64{1, -2}, []float64{1, 2}, IntentionsConfig{}},
		{"nan", []float64{1, 2}, []float64{math.NaN(), 2}, IntentionsConfig{}},
		{"half-life", []float64{1, 2}, []float64{1, 2}, IntentionsConfig{HalfLife: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := FitIntentions(tc.d, tc.r, tc.cfg); fabbisogni.ErrorCode(err) != fabbisogni.EInvalid {
				t.Fatalf("err %v, want code invalid", err)
			}
		})
	}
	a := Series{Key: "a", Start: month("2020-01"), Values: []float64{1, 2}}
	b := Series{Key: "b", Start: month("2021-01"), Values: []float64{1, 2}}
	if _, err := Intentions(a, b, 1, IntentionsConfig{}); err == nil || !strings.Contains(err.Error(), "share no month") {
		t.Fatalf("disjoint: %v", err)
	}
}
