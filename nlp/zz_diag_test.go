package nlp

import (
	"fmt"
	"os"
	"testing"
)

func TestZZDiag(t *testing.T) {
	gold := loadGold(t)
	tax := MustTaxonomy(t)
	e := MustExtractor(t)
	f, _ := os.Create("/tmp/diag.txt")
	defer f.Close()
	for _, p := range gold {
		if goldSplit(p.ID) == "held-out" {
			continue
		}
		x := e.Extract(p.ID, p.Title, p.Text)
		want := map[string]goldSkill{}
		for _, s := range p.Skills {
			want[s.URI] = s
		}
		got := map[string]bool{}
		fmt.Fprintf(f, "=== %s [%s] %s | %s\n", p.ID, p.ISCO4, p.Title, p.Text)
		fmt.Fprintf(f, "  isco got %s\n", x.BestISCO())
		for _, m := range x.Skills {
			if m.Negated || got[m.URI] {
				continue
			}
			got[m.URI] = true
			tag := "FP"
			if _, ok := want[m.URI]; ok {
				tag = "TP"
			}
			full := p.Text
			if p.Title != "" {
				full = p.Title + "\n" + p.Text
			}
			ctx := full[max(0, m.Start-30):m.Start] + "[" + m.Text + "]" + full[m.End:min(len(full), m.End+30)]
			fmt.Fprintf(f, "  %s %-45s <- %q (%.2f) %q\n", tag, skillLabel(tax, m.URI), m.Text, m.Score, ctx)
		}
		for _, s := range p.Skills {
			if !got[s.URI] {
				fmt.Fprintf(f, "  FN %-45s <- %q\n", s.Label, s.Evidence)
			}
		}
	}
}
