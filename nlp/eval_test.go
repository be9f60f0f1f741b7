package nlp

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// lazioEval is the result of evalLazio.
type lazioEval struct {
	all, mapped, noInput, evaluated, answered, answered4, ok1, ok2 int
	// half splits evaluated, answered and ok2 by the posting's line in the
	// file: [0] even lines (0-based), read per posting while tuning from
	// session 4 on; [1] odd lines, only ever scored in aggregate from then.
	half [2]struct{ evaluated, answered, ok2 int }
	// ceiling is supervisedCeiling's accuracy on the evaluated postings.
	ceiling float64
	// linear is linearCeiling's.
	linear float64
}

// evalLazio measures occupation coding on the Lazio CPI vacancies: the
// input is Mansioni plus the firm's own title after " - " in Qualifica, never
// the CP2011 name; the gold label is that CP2011 name mapped to an ISCO-08
// sub-major group by testdata/lazio/cp2011-isco08.tsv (method in its header).
func evalLazio(t *testing.T, e *Extractor) lazioEval {
	t.Helper()
	gold := map[string]string{}
	b, err := os.ReadFile(filepath.Join("testdata", "lazio", "cp2011-isco08.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, code, ok := strings.Cut(line, "\t")
		if !ok || len(code) != 2 {
			t.Fatalf("cp2011-isco08.tsv line %d: %q", i+1, line)
		}
		gold[name] = code
	}
	f, err := os.Open(filepath.Join(testenv.SharedData(t), "lazio-cpi", "vacancies-2022-2025.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var res lazioEval
	var posts []lazioPosting
	for sc.Scan() {
		var r struct {
			Qualifica string  `json:"Qualifica"`
			Mansioni  *string `json:"Mansioni"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		half := res.all % 2
		h := &res.half[half]
		res.all++
		cp, title, _ := strings.Cut(r.Qualifica, " - ")
		g, ok := gold[strings.ToLower(strings.TrimSpace(cp))]
		if !ok {
			continue
		}
		res.mapped++
		text := ""
		if r.Mansioni != nil {
			text = strings.TrimSpace(*r.Mansioni)
		}
		title = strings.TrimSpace(title)
		if text == "" && title == "" {
			res.noInput++
			continue
		}
		res.evaluated++
		h.evaluated++
		posts = append(posts, lazioPosting{half: half, gold: g, text: title + "\n" + text})
		x := e.Extract("", title, text)
		got := x.BestISCO()
		if got == "" {
			continue
		}
		res.answered++
		h.answered++
		if len(x.Occupations) > 0 {
			res.answered4++
		}
		if got[0] == g[0] {
			res.ok1++
		}
		if len(got) >= 2 && got[:2] == g {
			res.ok2++
			h.ok2++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	res.ceiling = supervisedCeiling(posts, 15)
	res.linear = linearCeiling(posts)
	return res
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// TestEvalLazio checks the Lazio evaluation runs on enough postings; run
// TestEvalAll -v (make eval) for the table.
func TestEvalLazio(t *testing.T) {
	r := evalLazio(t, MustExtractor(t))
	if r.evaluated < 1000 || r.answered == 0 {
		t.Errorf("evaluation set too small: %d evaluated, %d answered", r.evaluated, r.answered)
	}
}

// skillSpanEval is the result of evalSkillSpan: exact and partial-overlap
// precision, recall and F1, and the most frequent predictions overlapping
// no gold span.
type skillSpanEval struct {
	predicted, gold int
	p, r, f1        float64
	pp, pr, pf1     float64
	falsePos        []string
}

// TestEvalSkillSpan checks the SkillSpan evaluation predicts something; run
// TestEvalAll -v (make eval) for the table.
func TestEvalSkillSpan(t *testing.T) {
	r := evalSkillSpan(t, MustExtractor(t))
	if r.predicted == 0 {
		t.Error("no predictions")
	}
}

// evalSkillSpan measures English skill spans on the SkillSpan dev sets
// (skill and knowledge spans together) at the token level: exact span match
// and partial overlap. Sentences are grouped 20 to a document so that
// language detection sees enough text.
func evalSkillSpan(t *testing.T, e *Extractor) skillSpanEval {
	t.Helper()
	var tp, fp, fn, ptp, pfp, pfn int
	fpLog := map[string]int{} // predicted spans that overlap no gold span
	for _, name := range []string{"skillspan_house_dev.conll", "skillspan_tech_dev.conll"} {
		b, err := os.ReadFile(filepath.Join(testenv.SharedData(t), "skillspan", name))
		if err != nil {
			t.Fatal(err)
		}
		type span struct{ a, b int } // token indices [a, b)
		var toks []string
		var gold []span
		var sentEnds []int
		flush := func() {
			if len(toks) == 0 {
				return
			}
			// text: tokens joined by spaces, a newline at each sentence end
			var sb strings.Builder
			starts := make([]int, len(toks))
			ends := make([]int, len(toks))
			si := 0
			for i, tk := range toks {
				if i > 0 {
					if si < len(sentEnds) && sentEnds[si] == i {
						sb.WriteByte('\n')
						si++
					} else {
						sb.WriteByte(' ')
					}
				}
				starts[i] = sb.Len()
				sb.WriteString(tk)
				ends[i] = sb.Len()
			}
			x := e.Extract("", "", sb.String())
			var pred []span
			for _, m := range x.Skills {
				s := span{-1, -1}
				for i := range toks {
					if starts[i] < m.End && ends[i] > m.Start {
						if s.a < 0 {
							s.a = i
						}
						s.b = i + 1
					}
				}
				if s.a >= 0 {
					pred = append(pred, s)
				}
			}
			exact := map[span]bool{}
			for _, g := range gold {
				exact[g] = true
			}
			overlap := func(p, g span) bool { return p.a < g.b && g.a < p.b }
			for _, p := range pred {
				if exact[p] {
					tp++
				} else {
					fp++
				}
				hit := false
				for _, g := range gold {
					if overlap(p, g) {
						hit = true
						break
					}
				}
				if hit {
					ptp++
				} else {
					pfp++
					fpLog[strings.Join(toks[p.a:p.b], " ")]++
				}
			}
			pe := map[span]bool{}
			for _, p := range pred {
				pe[p] = true
			}
			for _, g := range gold {
				if !pe[g] {
					fn++
				}
				hit := false
				for _, p := range pred {
					if overlap(p, g) {
						hit = true
						break
					}
				}
				if !hit {
					pfn++
				}
			}
			toks, gold, sentEnds = nil, nil, nil
		}
		open := -1
		nsent := 0
		for _, line := range strings.Split(string(b), "\n") {
			if strings.TrimSpace(line) == "" {
				if open >= 0 {
					gold = append(gold, span{open, len(toks)})
					open = -1
				}
				if len(toks) > 0 && (len(sentEnds) == 0 || sentEnds[len(sentEnds)-1] != len(toks)) {
					sentEnds = append(sentEnds, len(toks))
					nsent++
					if nsent%20 == 0 {
						flush()
					}
				}
				continue
			}
			cols := strings.Split(line, "\t")
			if len(cols) < 3 {
				t.Fatalf("%s: bad line %q", name, line)
			}
			tag := cols[1]
			if tag == "O" {
				tag = cols[2]
			}
			switch {
			case strings.HasPrefix(tag, "B-"):
				if open >= 0 {
					gold = append(gold, span{open, len(toks)})
				}
				open = len(toks)
			case strings.HasPrefix(tag, "I-"):
				if open < 0 {
					open = len(toks)
				}
			default:
				if open >= 0 {
					gold = append(gold, span{open, len(toks)})
					open = -1
				}
			}
			toks = append(toks, cols[0])
		}
		if open >= 0 {
			gold = append(gold, span{open, len(toks)})
		}
		flush()
	}
	prf := func(tp, fp, fn int) (float64, float64, float64) {
		p := float64(tp) / float64(max(1, tp+fp))
		r := float64(tp) / float64(max(1, tp+fn))
		f := 0.0
		if p+r > 0 {
			f = 2 * p * r / (p + r)
		}
		return p, r, f
	}
	p, r, f1 := prf(tp, fp, fn)
	pp := float64(ptp) / float64(max(1, ptp+pfp))
	pr := float64((tp+fn)-pfn) / float64(max(1, tp+fn))
	pf := 0.0
	if pp+pr > 0 {
		pf = 2 * pp * pr / (pp + pr)
	}
	type kv struct {
		k string
		v int
	}
	var fps []kv
	for k, v := range fpLog {
		fps = append(fps, kv{k, v})
	}
	sort.Slice(fps, func(i, j int) bool { return fps[i].v > fps[j].v || fps[i].v == fps[j].v && fps[i].k < fps[j].k })
	out := skillSpanEval{predicted: tp + fp, gold: tp + fn, p: p, r: r, f1: f1, pp: pp, pr: pr, pf1: pf}
	for i := 0; i < len(fps) && i < 10; i++ {
		out.falsePos = append(out.falsePos, fmt.Sprintf("%q x%d", fps[i].k, fps[i].v))
	}
	return out
}
