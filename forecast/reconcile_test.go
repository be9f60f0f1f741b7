package forecast

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// flat returns a forecast of h months at v with ±w (80%) and ±2w (95%).
func flat(key string, h int, v, w float64) Forecast {
	p := newPrediction(h)
	for i := range h {
		p.Point[i], p.Lo80[i], p.Hi80[i], p.Lo95[i], p.Hi95[i] = v, v-w, v+w, v-2*w, v+2*w
	}
	return Forecast{Key: key, Method: "m", Start: month("2025-01"), Prediction: p}
}

// occupation → district → region.
var testHierarchy = Hierarchy{
	"torino/7231": "torino", "torino/8211": "torino",
	"biella/7318": "biella",
	"torino":      "piemonte", "biella": "piemonte",
}

func byKey(fc []Forecast) map[string]Forecast {
	m := map[string]Forecast{}
	for _, f := range fc {
		m[f.Key] = f
	}
	return m
}

func TestReconcileBottomUp(t *testing.T) {
	in := []Forecast{
		flat("torino/7231", 3, 10, 3), flat("torino/8211", 3, 5, 4), flat("biella/7318", 3, 2, 1),
		flat("torino", 3, 100, 1), // incoherent: replaced by the sum
	}
	out, err := ReconcileBottomUp(in, testHierarchy)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 6 || out[3].Key != "torino" || out[4].Key != "biella" || out[5].Key != "piemonte" {
		keys := []string{}
		for _, f := range out {
			keys = append(keys, f.Key)
		}
		t.Fatalf("keys %v, want the input then biella, piemonte", keys)
	}
	if err := CheckCoherent(out, testHierarchy, 1e-9); err != nil {
		t.Fatal(err)
	}
	got := byKey(out)
	near(t, "torino", got["torino"].Point, []float64{15, 15, 15}, 0)
	near(t, "piemonte", got["piemonte"].Point, []float64{17, 17, 17}, 0)
	// Half-widths in quadrature: torino √(3²+4²) = 5; piemonte √(25+1).
	near(t, "torino hi80", got["torino"].Hi80, []float64{20, 20, 20}, 1e-12)
	near(t, "piemonte lo95", got["piemonte"].Lo95, []float64{17 - 2*math.Sqrt(26), 17 - 2*math.Sqrt(26), 17 - 2*math.Sqrt(26)}, 1e-12)
	if got["piemonte"].Method != "bottom-up m" || !got["piemonte"].Start.Equal(month("2025-01")) {
		t.Errorf("aggregate %+v", got["piemonte"])
	}
	// The input is not modified.
	if in[3].Point[0] != 100 {
		t.Errorf("input modified")
	}
}

func TestReconcileBottomUpMissingLeaf(t *testing.T) {
	in := []Forecast{flat("torino/7231", 3, 10, 3), flat("biella/7318", 3, 2, 1)}
	out, err := ReconcileBottomUp(in, testHierarchy)
	if err != nil {
		t.Fatal(err)
	}
	got := byKey(out)
	if got["biella"].Err != nil || got["biella"].Point[0] != 2 {
		t.Errorf("biella %+v, want its one child's forecast", got["biella"])
	}
	for _, k := range []string{"torino", "piemonte", "torino/8211"} {
		if got[k].Err == nil || !strings.Contains(got[k].Err.Error(), "torino/8211") {
			t.Errorf("%s: err %v, want one naming the missing torino/8211", k, got[k].Err)
		}
	}
	mixed := []Forecast{flat("torino/7231", 3, 10, 3), flat("torino/8211", 2, 5, 4)}
	out, _ = ReconcileBottomUp(mixed, Hierarchy{"torino/7231": "torino", "torino/8211": "torino"})
	if e := byKey(out)["torino"].Err; e == nil || !strings.Contains(e.Error(), "disagree") {
		t.Errorf("horizons 3 and 2: %v", e)
	}
}

func TestReconcileTopDown(t *testing.T) {
	in := []Forecast{
		flat("piemonte", 2, 60, 6),
		flat("torino", 2, 20, 2), flat("biella", 2, 10, 1),
		flat("torino/7231", 2, 3, 1), flat("torino/8211", 2, 1, 1),
		flat("biella/7318", 2, 0, 0),
	}
	out, err := ReconcileTopDown(in, testHierarchy)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCoherent(out, testHierarchy, 1e-9); err != nil {
		t.Fatal(err)
	}
	got := byKey(out)
	near(t, "piemonte", got["piemonte"].Point, []float64{60, 60}, 0)
	near(t, "torino", got["torino"].Point, []float64{40, 40}, 1e-12)    // 60 × 20/30
	near(t, "7231", got["torino/7231"].Point, []float64{30, 30}, 1e-12) // 40 × 3/4
	near(t, "7231 hi80", got["torino/7231"].Hi80, []float64{40, 40}, 1e-12)
	near(t, "7318", got["biella/7318"].Point, []float64{20, 20}, 1e-12) // only child, forecast 0: takes it all
}

func TestHierarchyCycle(t *testing.T) {
	h := Hierarchy{"a": "b", "b": "c", "c": "a"}
	if _, err := ReconcileBottomUp(nil, h); err == nil || !strings.Contains(err.Error(), "own ancestor") {
		t.Fatalf("cycle: %v", err)
	}
	if _, err := ReconcileTopDown(nil, h); err == nil {
		t.Fatal("cycle accepted")
	}
}

func TestCheckCoherentReports(t *testing.T) {
	in := []Forecast{flat("torino", 1, 10, 1), flat("torino/7231", 1, 3, 1), flat("torino/8211", 1, 4, 1)}
	err := CheckCoherent(in, Hierarchy{"torino/7231": "torino", "torino/8211": "torino"}, 1e-9)
	if err == nil || !strings.Contains(err.Error(), `"torino" horizon 1: 10 vs children 7`) {
		t.Fatalf("err %v", err)
	}
}

// TestReconcileLazio forecasts every Lazio job centre with Auto, adds the
// region as their parent and checks that bottom-up reconciliation makes
// the centres add up to the region, intervals included.
func TestReconcileLazio(t *testing.T) {
	series, err := LazioSeries(filepath.Join(testenv.SharedData(t), "lazio-cpi", "vacancies-2022-2025.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	fc, err := ForecastAll(series, 3, Auto{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	h := Hierarchy{}
	for _, s := range series {
		h[s.Key] = "LAZIO"
	}
	out, err := ReconcileBottomUp(fc, h)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCoherent(out, h, 1e-9); err != nil {
		t.Fatal(err)
	}
	region := out[len(out)-1]
	if region.Key != "LAZIO" || region.Err != nil || !region.Start.Equal(month("2026-01")) {
		t.Fatalf("region %+v", region)
	}
	checkIntervals(t, "LAZIO", region.Prediction)
	t.Logf("Lazio vacancies forecast %s..: %.0f %.0f %.0f (80%% %.0f-%.0f at h=1)", region.Start.Format("2006-01"),
		region.Point[0], region.Point[1], region.Point[2], region.Lo80[0], region.Hi80[0])
}
