package crawl_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
)

type labelledPair struct {
	A, B      pairSide
	Duplicate bool
	Why       string
}

type pairSide struct{ Title, Firm, Place, Description string }

func (s pairSide) vacancy(id string) fabbisogni.Vacancy {
	return fabbisogni.Vacancy{ID: id, Title: s.Title, FirmName: s.Firm, MunicipalityName: s.Place, Description: s.Description}
}

func loadPairs(tb testing.TB) []labelledPair {
	tb.Helper()
	f, err := os.Open(filepath.Join("testdata", "dedup", "pairs.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []labelledPair
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		var p labelledPair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			tb.Fatalf("pairs.jsonl line %d: %v", line, err)
		}
		out = append(out, p)
	}
	return out
}

// TestNearDuplicatePrecisionRecall scores NearDuplicate on the labelled
// pairs of testdata/dedup: 30 duplicates (cross-posts with another firm
// spelling and board boilerplate, reposts with small edits, reordered
// lists, truncated snippets, title variants, aggregator copies without
// place) and 32 non-duplicates (same firm other job, same job at another
// plant, same template, same firm and title with other content, random).
func TestNearDuplicatePrecisionRecall(t *testing.T) {
	pairs := loadPairs(t)
	for d := 10; d <= 26; d += 2 {
		c := crawl.DefaultDedupConfig()
		c.MaxDescDistance = d
		tp, fp := 0, 0
		for _, p := range pairs {
			if c.NearDuplicate(crawl.Sign(p.A.vacancy("a")), crawl.Sign(p.B.vacancy("b"))) {
				if p.Duplicate {
					tp++
				} else {
					fp++
				}
			}
		}
		t.Logf("max distance %2d: precision %.3f recall %.3f", d, float64(tp)/float64(max(tp+fp, 1)), float64(tp)/30)
	}
	cfg := crawl.DefaultDedupConfig()
	tp, fp, fn, tn := 0, 0, 0, 0
	for i, p := range pairs {
		got := cfg.NearDuplicate(crawl.Sign(p.A.vacancy("a")), crawl.Sign(p.B.vacancy("b")))
		switch {
		case got && p.Duplicate:
			tp++
		case got && !p.Duplicate:
			fp++
			t.Logf("false positive, pair %d (%s): %q / %q", i+1, p.Why, p.A.Title, p.B.Title)
		case !got && p.Duplicate:
			fn++
			t.Logf("false negative, pair %d (%s): %q / %q", i+1, p.Why, p.A.Title, p.B.Title)
		default:
			tn++
		}
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(max(tp+fn, 1))
	t.Logf("near-duplicates on %d labelled pairs: precision %.3f, recall %.3f (tp %d fp %d fn %d tn %d)", len(pairs), precision, recall, tp, fp, fn, tn)
	if precision < 0.95 || recall < 0.9 {
		t.Errorf("precision %.3f recall %.3f, want >= 0.95 and >= 0.90", precision, recall)
	}
}

func TestDeduperLinksToCanonical(t *testing.T) {
	pairs := loadPairs(t)
	linked, dups := 0, 0
	for i, p := range pairs {
		if !p.Duplicate {
			continue
		}
		// A fresh deduper per pair: the a sides of other pairs repeat
		// vacancies and would legitimately become the canonical ones.
		d := crawl.NewDeduper(crawl.DefaultDedupConfig())
		a := p.A.vacancy(fmt.Sprintf("board-a:%d", i))
		if canon, dup := d.Observe(a); dup || canon != a.ID {
			t.Fatalf("first vacancy %s reported as a duplicate of %s", a.ID, canon)
		}
		b := p.B.vacancy(fmt.Sprintf("board-b:%d", i))
		canon, dup := d.Observe(b)
		dups++
		if dup && canon == a.ID {
			linked++
		}
		if again, _ := d.Observe(b); again != canon {
			t.Errorf("observing %s again gave %s, then %s", b.ID, canon, again)
		}
	}
	if linked < dups*9/10 {
		t.Errorf("%d of %d duplicates linked to their canonical vacancy", linked, dups)
	}
}
