package forecast

import "math"

// nelderMead minimises f from x0 with the Nelder-Mead simplex (reflection
// 1, expansion 2, contraction ½, shrink ½), stopping after maxEval
// evaluations or when the function values of the simplex span less than
// tol. It returns the best point and value. Small and allocation-light: the
// ETS fits call it thousands of times a second on 1-4 parameters.
func nelderMead(f func([]float64) float64, x0 []float64, step float64, maxEval int, tol float64) ([]float64, float64) {
	d := len(x0)
	pts := make([][]float64, d+1)
	vals := make([]float64, d+1)
	buf := make([]float64, (d+1)*d+4*d)
	for i := range pts {
		pts[i] = buf[i*d : (i+1)*d : (i+1)*d]
		copy(pts[i], x0)
		if i > 0 {
			pts[i][i-1] += step
		}
		vals[i] = f(pts[i])
	}
	off := (d + 1) * d
	centroid := buf[off : off+d : off+d]
	xr := buf[off+d : off+2*d : off+2*d]
	xe := buf[off+2*d : off+3*d : off+3*d]
	xc := buf[off+3*d : off+4*d]
	evals := d + 1
	idx := make([]int, d+1)
	order := func() { // insertion sort: d+1 is at most 5 here
		for i := range idx {
			idx[i] = i
		}
		for i := 1; i < len(idx); i++ {
			for j := i; j > 0 && less(vals[idx[j]], vals[idx[j-1]]); j-- {
				idx[j], idx[j-1] = idx[j-1], idx[j]
			}
		}
	}
	for evals < maxEval {
		order()
		best, worst, second := idx[0], idx[d], idx[d-1]
		if math.Abs(vals[worst]-vals[best]) <= tol*(math.Abs(vals[best])+tol) {
			break
		}
		for j := range centroid {
			centroid[j] = 0
		}
		for _, i := range idx[:d] {
			for j, v := range pts[i] {
				centroid[j] += v / float64(d)
			}
		}
		for j := range xr {
			xr[j] = centroid[j] + (centroid[j] - pts[worst][j])
		}
		fr := f(xr)
		evals++
		switch {
		case less(fr, vals[best]):
			for j := range xe {
				xe[j] = centroid[j] + 2*(centroid[j]-pts[worst][j])
			}
			fe := f(xe)
			evals++
			if less(fe, fr) {
				copy(pts[worst], xe)
				vals[worst] = fe
			} else {
				copy(pts[worst], xr)
				vals[worst] = fr
			}
		case less(fr, vals[second]):
			copy(pts[worst], xr)
			vals[worst] = fr
		default:
			// Contract towards the better of the worst point and its reflection.
			if less(fr, vals[worst]) {
				for j := range xc {
					xc[j] = centroid[j] + 0.5*(xr[j]-centroid[j])
				}
			} else {
				for j := range xc {
					xc[j] = centroid[j] + 0.5*(pts[worst][j]-centroid[j])
				}
			}
			fc := f(xc)
			evals++
			if less(fc, math.Min(fr, vals[worst])) || (math.IsInf(vals[worst], 1) && !math.IsInf(fc, 1)) {
				copy(pts[worst], xc)
				vals[worst] = fc
				continue
			}
			// Shrink towards the best point.
			for _, i := range idx[1:] {
				for j := range pts[i] {
					pts[i][j] = pts[best][j] + 0.5*(pts[i][j]-pts[best][j])
				}
				vals[i] = f(pts[i])
				evals++
			}
		}
	}
	order()
	return append([]float64(nil), pts[idx[0]]...), vals[idx[0]]
}

// less orders NaN after every number so a failed evaluation never wins.
func less(a, b float64) bool {
	if math.IsNaN(a) {
		return false
	}
	if math.IsNaN(b) {
		return true
	}
	return a < b
}

func logistic(u float64) float64 { return 1 / (1 + math.Exp(-u)) }

func logit(p float64) float64 { return math.Log(p / (1 - p)) }
