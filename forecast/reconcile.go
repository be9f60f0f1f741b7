package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Hierarchy maps each series key to the key of its parent: an occupation
// cell to its district, a district to its region. Roots map to "" or are
// absent.
type Hierarchy map[string]string

// Validate reports a key that is its own ancestor.
func (h Hierarchy) Validate() error {
	for k := range h {
		seen := map[string]bool{k: true}
		for p := h[k]; p != ""; p = h[p] {
			if seen[p] {
				return fmt.Errorf("forecast: hierarchy: %q is its own ancestor", k)
			}
			seen[p] = true
		}
	}
	return nil
}

func (h Hierarchy) children() map[string][]string {
	ch := map[string][]string{}
	for k, p := range h {
		if p != "" {
			ch[p] = append(ch[p], k)
		}
	}
	for _, c := range ch {
		sort.Strings(c)
	}
	return ch
}

// ReconcileBottomUp makes forecasts coherent by summing the bottom level:
// every key with children in h gets, horizon by horizon, the sum of its
// children's (reconciled) points, so occupation forecasts add up exactly
// to district and region totals. Leaves keep their forecasts. Interval
// half-widths add in quadrature (children's errors taken as independent),
// and the bounds stay at or above zero when every child's do.
//
// The result has the input's forecasts in order, aggregates replaced, then
// aggregates that had no forecast of their own, sorted by key. An
// aggregate whose descendants lack a forecast, failed, or disagree on
// start month or horizon gets Err set; the others go through. The error is
// non-nil only for an invalid hierarchy.
func ReconcileBottomUp(fc []Forecast, h Hierarchy) ([]Forecast, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	byKey := map[string]Forecast{}
	for _, f := range fc {
		byKey[f.Key] = f
	}
	children := h.children()
	done := map[string]Forecast{}
	var agg func(k string) Forecast
	agg = func(k string) Forecast {
		if f, ok := done[k]; ok {
			return f
		}
		kids := children[k]
		if len(kids) == 0 {
			f, ok := byKey[k]
			if !ok {
				f = Forecast{Key: k, Err: fmt.Errorf("forecast: reconcile %q: no forecast", k)}
			}
			done[k] = f
			return f
		}
		out := Forecast{Key: k}
		var parts []Forecast
		for _, c := range kids {
			f := agg(c)
			if f.Err != nil {
				out.Err = fmt.Errorf("forecast: reconcile %q: child %q: %w", k, c, f.Err)
				done[k] = out
				return out
			}
			parts = append(parts, f)
		}
		first := parts[0]
		out.Start, out.Method = first.Start, "bottom-up "+strings.TrimPrefix(first.Method, "bottom-up ")
		hor := len(first.Point)
		for _, p := range parts[1:] {
			if !p.Start.Equal(first.Start) || len(p.Point) != hor {
				out.Err = fmt.Errorf("forecast: reconcile %q: children %q (%s, %d months) and %q (%s, %d months) disagree", k,
					first.Key, first.Start.Format("2006-01"), hor, p.Key, p.Start.Format("2006-01"), len(p.Point))
				done[k] = out
				return out
			}
		}
		out.Prediction = sumPredictions(parts, hor)
		done[k] = out
		return out
	}
	return assemble(fc, h, children, agg), nil
}

func sumPredictions(parts []Forecast, hor int) Prediction {
	p := newPrediction(hor)
	nonneg := true
	for i := range hor {
		var pt, l80, h80, l95, h95 float64
		for _, f := range parts {
			x := f.Point[i]
			pt += x
			l80 += sq(x - f.Lo80[i])
			h80 += sq(f.Hi80[i] - x)
			l95 += sq(x - f.Lo95[i])
			h95 += sq(f.Hi95[i] - x)
			if f.Lo95[i] < 0 || f.Lo80[i] < 0 || x < 0 {
				nonneg = false
			}
		}
		p.Point[i] = pt
		p.Lo80[i], p.Hi80[i] = pt-math.Sqrt(l80), pt+math.Sqrt(h80)
		p.Lo95[i], p.Hi95[i] = pt-math.Sqrt(l95), pt+math.Sqrt(h95)
	}
	if nonneg {
		p.clampNonNegative()
	}
	return p
}

func sq(x float64) float64 { return x * x }

// assemble lists fc with reconciled values, then the new aggregates.
func assemble(fc []Forecast, h Hierarchy, children map[string][]string, get func(string) Forecast) []Forecast {
	out := make([]Forecast, 0, len(fc))
	have := map[string]bool{}
	for _, f := range fc {
		have[f.Key] = true
		out = append(out, get(f.Key))
	}
	var extra []string
	for k := range children {
		if !have[k] {
			extra = append(extra, k)
		}
	}
	for k := range h {
		if !have[k] && children[k] == nil {
			extra = append(extra, k) // a leaf without forecast: reported by its Err
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		out = append(out, get(k))
	}
	return out
}

// ReconcileTopDown makes forecasts coherent from the top: every root keeps
// its forecast, and the children of each node are scaled, horizon by
// horizon, by the ratio of the node's reconciled point to the sum of their
// points (forecast proportions), intervals scaled alike; children summing
// to zero share the node's point equally. Use it when the aggregate is the
// better forecast (sparse occupation cells under a smooth district total).
// Every node must have a forecast; one without, or a failed one, gets Err
// set with its whole subtree. The error is non-nil only for an invalid
// hierarchy.
func ReconcileTopDown(fc []Forecast, h Hierarchy) ([]Forecast, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	byKey := map[string]Forecast{}
	for _, f := range fc {
		byKey[f.Key] = f
	}
	children := h.children()
	done := map[string]Forecast{}
	var get func(k string) Forecast
	get = func(k string) Forecast {
		if f, ok := done[k]; ok {
			return f
		}
		f, ok := byKey[k]
		if !ok {
			f = Forecast{Key: k, Err: fmt.Errorf("forecast: reconcile %q: no forecast", k)}
		}
		parent := h[k]
		if parent == "" || f.Err != nil {
			done[k] = f
			return f
		}
		pf := get(parent)
		if pf.Err != nil {
			f = Forecast{Key: k, Start: f.Start, Method: f.Method, Err: fmt.Errorf("forecast: reconcile %q: parent %q: %w", k, parent, pf.Err)}
			done[k] = f
			return f
		}
		sibs := children[parent]
		hor := len(pf.Point)
		total := make([]float64, hor)
		for _, s := range sibs {
			sf, ok := byKey[s]
			if !ok || sf.Err != nil || len(sf.Point) != hor || !sf.Start.Equal(pf.Start) {
				f = Forecast{Key: k, Start: f.Start, Method: f.Method, Err: fmt.Errorf("forecast: reconcile %q: sibling %q has no forecast of %d months from %s", k, s, hor, pf.Start.Format("2006-01"))}
				done[k] = f
				return f
			}
			for i := range hor {
				total[i] += sf.Point[i]
			}
		}
		out := Forecast{Key: k, Start: f.Start, Method: "top-down " + f.Method, Prediction: newPrediction(hor)}
		for i := range hor {
			if total[i] == 0 {
				share := pf.Point[i] / float64(len(sibs))
				out.Point[i], out.Lo80[i], out.Hi80[i], out.Lo95[i], out.Hi95[i] = share, share, share, share, share
				continue
			}
			r := pf.Point[i] / total[i]
			out.Point[i] = f.Point[i] * r
			out.Lo80[i], out.Hi80[i] = f.Lo80[i]*r, f.Hi80[i]*r
			out.Lo95[i], out.Hi95[i] = f.Lo95[i]*r, f.Hi95[i]*r
			if r < 0 {
				out.Lo80[i], out.Hi80[i] = out.Hi80[i], out.Lo80[i]
				out.Lo95[i], out.Hi95[i] = out.Hi95[i], out.Lo95[i]
			}
		}
		done[k] = out
		return out
	}
	return assemble(fc, h, children, get), nil
}

// CheckCoherent reports, for every node with children, the largest
// absolute difference between its point forecast and the sum of its
// children's, when above tol. Use it to assert a reconciliation.
func CheckCoherent(fc []Forecast, h Hierarchy, tol float64) error {
	byKey := map[string]Forecast{}
	for _, f := range fc {
		byKey[f.Key] = f
	}
	var bad []string
	keys := make([]string, 0)
	children := h.children()
	for k := range children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pf, ok := byKey[k]
		if !ok || pf.Err != nil {
			continue
		}
		for i := range pf.Point {
			var s float64
			for _, c := range children[k] {
				if cf, ok := byKey[c]; ok && cf.Err == nil && i < len(cf.Point) {
					s += cf.Point[i]
				}
			}
			if d := math.Abs(s - pf.Point[i]); d > tol {
				bad = append(bad, fmt.Sprintf("%q horizon %d: %g vs children %g", k, i+1, pf.Point[i], s))
				break
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("forecast: not coherent: %s", strings.Join(bad, "; "))
	}
	return nil
}
