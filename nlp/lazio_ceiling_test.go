package nlp

import (
	"math"
	"sort"
)

// lazioPosting is one evaluated Lazio posting as the ceiling estimate sees
// it: the half of the file it sits in, its gold ISCO sub-major group and its
// input text (title and Mansioni).
type lazioPosting struct {
	half int
	gold string
	text string
}

// supervisedCeiling estimates how far the Lazio postings' text predicts their
// CP2011-derived ISCO sub-major group at all: a tf-idf nearest-neighbour
// classifier (k nearest by cosine over Italian stems, votes weighted by
// similarity) trained on the CP2011 labels of one half of the file and scored
// on the other, both ways; it returns the mean accuracy of the two. The
// classifier learns the job centres' own coding convention from 900 labelled
// postings, which the extractor never sees; it is a yardstick for the 0.75
// target, not a component of the product.
func supervisedCeiling(posts []lazioPosting, k int) float64 {
	bags := make([]map[string]int, len(posts))
	for i, p := range posts {
		bags[i] = stemBag(p.text)
	}
	vecs := make([]map[string]float64, len(posts))
	var acc float64
	for test := 0; test < 2; test++ {
		df := map[string]int{}
		n := 0
		for i, p := range posts {
			if p.half != test {
				n++
				for w := range bags[i] {
					df[w]++
				}
			}
		}
		for i, bag := range bags {
			v := make(map[string]float64, len(bag))
			var norm float64
			for w, c := range bag {
				x := (1 + math.Log(float64(c))) * math.Log(float64(n)/float64(1+df[w])+1)
				v[w] = x
				norm += x * x
			}
			for w := range v {
				v[w] /= math.Sqrt(norm)
			}
			vecs[i] = v
		}
		right, total := 0, 0
		type near struct {
			sim  float64
			gold string
		}
		for i, p := range posts {
			if p.half != test {
				continue
			}
			total++
			var nn []near
			for j, q := range posts {
				if q.half == test {
					continue
				}
				var s float64
				for w, x := range vecs[i] {
					s += x * vecs[j][w]
				}
				if s > 0 {
					nn = append(nn, near{s, q.gold})
				}
			}
			sort.Slice(nn, func(a, b int) bool {
				if nn[a].sim != nn[b].sim {
					return nn[a].sim > nn[b].sim
				}
				return nn[a].gold < nn[b].gold
			})
			votes := map[string]float64{}
			for _, x := range nn[:min(k, len(nn))] {
				votes[x.gold] += x.sim
			}
			best, bestV := "", 0.0
			for g, v := range votes {
				if v > bestV || v == bestV && g < best {
					best, bestV = g, v
				}
			}
			if best == p.gold {
				right++
			}
		}
		acc += pct(right, total) / 2
	}
	return acc
}

// stemBag counts the Italian stems of text's words longer than two letters,
// stop words left out.
func stemBag(text string) map[string]int {
	bag := map[string]int{}
	for _, t := range tokenize(text, nil) {
		if len(t.norm) <= 2 || stopIT[t.norm] {
			continue
		}
		bag[stemWord("it", t.norm)]++
	}
	return bag
}
