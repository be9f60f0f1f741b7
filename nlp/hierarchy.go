package nlp

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// SkillHierarchy is the ESCO skills pillar above the skills: the skill
// groups ("S6.2 - moving and lifting", "0713 - electricity and energy")
// with their labels, and the broader relations linking skills to groups and
// groups to groups. Taxonomy keeps the broader URIs of each skill; this adds
// what Taxonomy does not load: the groups' labels and their own parents.
// It is read-only after LoadSkillHierarchy and safe for concurrent use.
type SkillHierarchy struct {
	label  map[string]string   // group URI -> preferred label (any language, English first)
	code   map[string]string   // group URI -> code ("S6.2"), when given
	parent map[string][]string // concept URI -> broader URIs
}

// LoadSkillHierarchy reads skillGroups_XX.csv (labels) and
// broaderRelationsSkillPillar*.csv (broader relations) from the same kinds
// of paths as LoadTaxonomy: zips as downloaded, folders holding zips or
// CSV files, or CSV files. Other files are ignored. It is an error when no
// broader relation is found.
func LoadSkillHierarchy(paths ...string) (*SkillHierarchy, error) {
	h := &SkillHierarchy{label: map[string]string{}, code: map[string]string{}, parent: map[string][]string{}}
	for _, p := range paths {
		if err := h.loadPath(p); err != nil {
			return nil, err
		}
	}
	if len(h.parent) == 0 {
		return nil, fmt.Errorf("nlp: skill hierarchy: no broaderRelationsSkillPillar.csv in %s", strings.Join(paths, ", "))
	}
	return h, nil
}

func (h *SkillHierarchy) loadPath(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("nlp: skill hierarchy: %w", err)
	}
	if st.IsDir() {
		ents, err := os.ReadDir(p)
		if err != nil {
			return fmt.Errorf("nlp: skill hierarchy: %w", err)
		}
		for _, e := range ents {
			n := strings.ToLower(e.Name())
			if !e.IsDir() && (strings.HasSuffix(n, ".zip") || strings.HasSuffix(n, ".csv")) {
				if err := h.loadPath(filepath.Join(p, e.Name())); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if strings.HasSuffix(strings.ToLower(p), ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return fmt.Errorf("nlp: skill hierarchy: %s: %w", p, err)
		}
		defer zr.Close()
		for _, f := range zr.File {
			if hierarchyKind(f.Name) == "" {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("nlp: skill hierarchy: %s/%s: %w", p, f.Name, err)
			}
			err = h.read(p+"/"+f.Name, hierarchyKind(f.Name), rc)
			rc.Close()
			if err != nil {
				return err
			}
		}
		return nil
	}
	kind := hierarchyKind(p)
	if kind == "" {
		return nil
	}
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("nlp: skill hierarchy: %w", err)
	}
	defer f.Close()
	return h.read(p, kind, f)
}

func hierarchyKind(name string) string {
	b := strings.ToLower(filepath.Base(name))
	switch {
	case strings.HasPrefix(b, "skillgroups_") && strings.HasSuffix(b, ".csv"):
		return "groups"
	case strings.HasPrefix(b, "broaderrelationsskillpillar") && strings.HasSuffix(b, ".csv"):
		return "broader"
	}
	return ""
}

func (h *SkillHierarchy) read(name, kind string, r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("nlp: skill hierarchy: %s: header: %w", name, err)
	}
	col := map[string]int{}
	for i, c := range header {
		col[strings.TrimPrefix(strings.TrimSpace(c), "\ufeff")] = i
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	need := []string{"conceptUri", "preferredLabel"}
	if kind == "broader" {
		need = []string{"conceptUri", "broaderUri"}
	}
	for _, c := range need {
		if _, ok := col[c]; !ok {
			return fmt.Errorf("nlp: skill hierarchy: %s: no column %s", name, c)
		}
	}
	english := strings.HasSuffix(strings.ToLower(name), "_en.csv")
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("nlp: skill hierarchy: %s: %w", name, err)
		}
		uri := get(rec, "conceptUri")
		if uri == "" {
			continue
		}
		switch kind {
		case "groups":
			if _, ok := h.label[uri]; !ok || english {
				h.label[uri] = get(rec, "preferredLabel")
			}
			if c := get(rec, "code"); c != "" {
				h.code[uri] = c
			}
		case "broader":
			b := get(rec, "broaderUri")
			if b != "" && !slices.Contains(h.parent[uri], b) {
				h.parent[uri] = append(h.parent[uri], b)
			}
		}
	}
}

// Groups is the number of skill groups with a label.
func (h *SkillHierarchy) Groups() int { return len(h.label) }

// GroupLabel returns the label of a skill group and its code ("S6.2"; ""
// when the bundle gives none); ok is false for a URI that is not a group.
func (h *SkillHierarchy) GroupLabel(uri string) (label, code string, ok bool) {
	label, ok = h.label[uri]
	return label, h.code[uri], ok
}

// Broader returns the broader concepts of a skill or group, sorted.
func (h *SkillHierarchy) Broader(uri string) []string {
	out := append([]string(nil), h.parent[uri]...)
	sort.Strings(out)
	return out
}

// Path returns the chain of skill groups above a skill, from the top of
// the pillar down to its nearest group: for "operate forklift" something
// like [skills, S6 handling and moving, S6.2 moving and lifting, ...]. When
// a concept has several broader concepts, the first in URI order with a
// known chain is followed (deterministic). Cycles are cut.
func (h *SkillHierarchy) Path(uri string) []string {
	var up []string
	seen := map[string]bool{uri: true}
	cur := uri
	for {
		ps := h.Broader(cur)
		next := ""
		for _, p := range ps {
			if !seen[p] {
				next = p
				break
			}
		}
		if next == "" {
			break
		}
		seen[next] = true
		if _, isGroup := h.label[next]; isGroup {
			up = append(up, next)
		}
		cur = next
	}
	for i, j := 0, len(up)-1; i < j; i, j = i+1, j-1 {
		up[i], up[j] = up[j], up[i]
	}
	return up
}

// GroupAt returns the group at depth d (0 the top of the pillar) above a
// skill, or the deepest group when the path is shorter; "" when the skill
// has no group.
func (h *SkillHierarchy) GroupAt(uri string, d int) string {
	p := h.Path(uri)
	if len(p) == 0 {
		return ""
	}
	return p[min(d, len(p)-1)]
}
