package nlp_test

import (
	"path/filepath"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/nlp"
)

func TestSkillHierarchy(t *testing.T) {
	h, err := nlp.LoadSkillHierarchy(filepath.Join(testenv.SharedData(t), "esco-v1.1.1-en"))
	if err != nil {
		t.Fatal(err)
	}
	if h.Groups() < 500 {
		t.Fatalf("%d skill groups, want the ESCO pillar's (about 640)", h.Groups())
	}
	// "operate forklift" sits under S6 (handling and moving) in the ESCO pillar.
	const forklift = "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da"
	p := h.Path(forklift)
	if len(p) < 2 {
		t.Fatalf("path of forklift %v", p)
	}
	var codes []string
	for _, g := range p {
		l, c, ok := h.GroupLabel(g)
		if !ok || l == "" {
			t.Errorf("group %s has no label", g)
		}
		codes = append(codes, c)
	}
	// S: skills; S8: working with machinery and specialised equipment.
	if codes[0] != "S" || codes[1] != "S8" {
		t.Errorf("forklift path codes %v, want S, S8, ...", codes)
	}
	if h.GroupAt(forklift, 99) != p[len(p)-1] || h.GroupAt(forklift, 0) != p[0] {
		t.Errorf("GroupAt disagrees with Path %v", p)
	}
	if h.Path("http://example.org/none") != nil {
		t.Error("unknown concept has a path")
	}
}
