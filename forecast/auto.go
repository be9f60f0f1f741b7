package forecast

import "github.com/fabbisogni/fabbisogni"

// Demand classes of Syntetos, Boylan and Croston (2005), by the average
// interval between demands (ADI, cut-off 1.32) and the squared coefficient
// of variation of the non-zero demand sizes (CV², cut-off 0.49).
const (
	DemandSmooth       = "smooth"       // ADI < 1.32, CV² < 0.49
	DemandErratic      = "erratic"      // ADI < 1.32, CV² >= 0.49
	DemandIntermittent = "intermittent" // ADI >= 1.32, CV² < 0.49
	DemandLumpy        = "lumpy"        // ADI >= 1.32, CV² >= 0.49
	DemandNone         = "none"         // no demand at all
)

// ClassifyDemand returns the demand class of y with its ADI and CV².
// Leading zeros are left out: they are usually months before the source
// started covering the cell, not months without demand.
func ClassifyDemand(y []float64) (class string, adi, cv2 float64) {
	first := -1
	var nz, sum, sumSq float64
	for t, v := range y {
		if v == 0 {
			continue
		}
		if first < 0 {
			first = t
		}
		nz++
		sum += v
		sumSq += v * v
	}
	if nz == 0 {
		return DemandNone, 0, 0
	}
	adi = float64(len(y)-first) / nz
	m := sum / nz
	if m != 0 {
		cv2 = (sumSq/nz - m*m) / (m * m)
	}
	switch {
	case adi < 1.32 && cv2 < 0.49:
		class = DemandSmooth
	case adi < 1.32:
		class = DemandErratic
	case cv2 < 0.49:
		class = DemandIntermittent
	default:
		class = DemandLumpy
	}
	return class, adi, cv2
}

// Auto picks a method per series by its demand class: Intermittent for
// intermittent, lumpy and empty series (most district × occupation cells),
// Regular for smooth and erratic ones (district and sector totals). It is
// the method for a batch that mixes both.
type Auto struct {
	Intermittent Method // nil means TSB{}: its forecast decays when an occupation goes quiet
	Regular      Method // nil means DefaultCombination()
}

// Name implements Method.
func (Auto) Name() string { return "auto" }

// Fit implements Method.
func (a Auto) Fit(y []float64, period int) (Model, error) {
	if err := checkSeries("auto", y, 1); err != nil {
		return nil, err
	}
	class, _, _ := ClassifyDemand(y)
	m := a.Regular
	if m == nil {
		m = DefaultCombination()
	}
	if class == DemandIntermittent || class == DemandLumpy || class == DemandNone {
		m = a.Intermittent
		if m == nil {
			m = TSB{}
		}
	}
	mod, err := m.Fit(y, period)
	if err != nil {
		return nil, fabbisogni.Errorf(fabbisogni.ErrorCode(err), "forecast: auto (%s series): %v", class, err)
	}
	return mod, nil
}
