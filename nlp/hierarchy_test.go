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
	const forklift = "http://data.europa.eu/esco/skill/b1ecbb23-d1c7-4b0d-a1ca-9ea9478bd5bf"
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
	t.Logf("forklift path codes %v", codes)
	if h.GroupAt(forklift, 99) != p[len(p)-1] || h.GroupAt(forklift, 0) != p[0] {
		t.Errorf("GroupAt disagrees with Path %v", p)
	}
	if h.Path("http://example.org/none") != nil {
		t.Error("unknown concept has a path")
	}
}
