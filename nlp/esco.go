package nlp

import (
	"archive/zip"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fabbisogni/fabbisogni"
)

// csvKind is what an ESCO CSV file holds, decided by its file name.
type csvKind int

const (
	kindUnknown csvKind = iota
	kindISCOGroups
	kindSkills
	kindOccupations
	kindOccSkillRel
	kindBroaderSkill
	kindBroaderOcc
	kindCollection
)

// csvSource is one CSV file found in a path: on disk or inside a zip.
type csvSource struct {
	name       string // for errors: path, or zip path + "!" + member
	kind       csvKind
	lang       string // "en", "it", ... ("" for language-neutral relation files)
	collection string // for kindCollection
	version    string // ESCO version from the zip or folder name, "" if unknown
	open       func() (io.ReadCloser, error)
}

var (
	versionRe = regexp.MustCompile(`(?i)v(\d+\.\d+(?:\.\d+)?)`)
	langRe    = regexp.MustCompile(`_([a-z]{2}(?:-[a-z]+)?)\.csv$`)
)

var collections = map[string]string{
	"digitalskillscollection":     "digital",
	"greenskillscollection":       "green",
	"transversalskillscollection": "transversal",
	"languageskillscollection":    "language",
	"digcompskillscollection":     "digcomp",
	"researchskillscollection":    "research",
}

// classify decides what a CSV holds from its base name.
func classify(base string) (kind csvKind, lang, coll string) {
	lower := strings.ToLower(base)
	if m := langRe.FindStringSubmatch(lower); m != nil {
		lang = m[1]
	}
	stem := strings.TrimSuffix(lower, ".csv")
	if lang != "" {
		stem = strings.TrimSuffix(stem, "_"+lang)
	}
	switch {
	case stem == "skills":
		return kindSkills, lang, ""
	case stem == "occupations":
		return kindOccupations, lang, ""
	case stem == "iscogroups":
		return kindISCOGroups, lang, ""
	case strings.HasPrefix(stem, "occupationskillrelations"):
		return kindOccSkillRel, "", ""
	case strings.HasPrefix(stem, "broaderrelationsskillpillar"):
		return kindBroaderSkill, "", ""
	case strings.HasPrefix(stem, "broaderrelationsoccpillar"):
		return kindBroaderOcc, "", ""
	}
	if c, ok := collections[stem]; ok {
		return kindCollection, lang, c
	}
	return kindUnknown, lang, ""
}

// versionOf finds an ESCO version ("1.1.1") in a path, innermost element first.
func versionOf(p string) string {
	p = filepath.ToSlash(p)
	parts := strings.Split(p, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if m := versionRe.FindStringSubmatch(parts[i]); m != nil {
			return m[1]
		}
	}
	return ""
}

// collectSources lists the ESCO CSV files under path.
func collectSources(path string, out *[]csvSource, closers *[]io.Closer) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fabbisogni.Errorf(fabbisogni.ENotFound, "nlp: taxonomy path %q: %v", path, err)
	}
	if fi.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return fmt.Errorf("nlp: read taxonomy folder %q: %w", path, err)
		}
		for _, e := range entries {
			p := filepath.Join(path, e.Name())
			lower := strings.ToLower(e.Name())
			switch {
			case e.IsDir():
				if err := collectSources(p, out, closers); err != nil {
					return err
				}
			case strings.HasSuffix(lower, ".zip"), strings.HasSuffix(lower, ".csv"):
				if err := collectSources(p, out, closers); err != nil {
					return err
				}
			}
		}
		return nil
	}
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".zip"):
		zr, err := zip.OpenReader(path)
		if err != nil {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: open taxonomy zip %q: %v", path, err)
		}
		*closers = append(*closers, zr)
		for _, f := range zr.File {
			base := filepath.Base(f.Name)
			if !strings.HasSuffix(strings.ToLower(base), ".csv") {
				continue
			}
			kind, lang, coll := classify(base)
			if kind == kindUnknown {
				continue
			}
			v := versionOf(f.Name)
			if v == "" {
				v = versionOf(path)
			}
			*out = append(*out, csvSource{name: path + "!" + f.Name, kind: kind, lang: lang, collection: coll, version: v, open: f.Open})
		}
	case strings.HasSuffix(lower, ".csv"):
		kind, lang, coll := classify(filepath.Base(path))
		if kind == kindUnknown {
			return nil
		}
		*out = append(*out, csvSource{name: path, kind: kind, lang: lang, collection: coll, version: versionOf(filepath.Dir(path)),
			open: func() (io.ReadCloser, error) { return os.Open(path) }})
	}
	return nil
}

// compareVersions compares dotted versions numerically; "" sorts first.
func compareVersions(a, b string) int {
	if a == b {
		return 0
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if a == "" {
			x = -1
		}
		if b == "" {
			y = -1
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// LoadTaxonomy loads ESCO CSV bundles: each path is a zip as downloaded from
// the publisher (e.g. "ESCO dataset - v1.1.1 - classification - en - csv.zip"),
// an extracted folder, a folder containing such zips and/or CSV files, or one
// CSV file. Recognised files: skills_XX.csv, occupations_XX.csv,
// ISCOGroups_XX.csv, occupationSkillRelations*.csv, broaderRelations*.csv and
// the skill collections, in any language, merged by concept URI. When two
// versions disagree on a value (an occupation's ISCO code), the newer version
// wins; labels of different languages are kept side by side. The ESCO version
// is read from the zip or folder name ("v1.1.1"). The embedded Italian lexicon
// is always merged in; every lexicon URI must exist in the loaded taxonomy
// unless no ESCO file at all was loaded.
//
// A row that cannot be read (no concept URI) is skipped and listed in
// Warnings; a file that cannot be parsed at all fails the load with an error
// naming it.
func LoadTaxonomy(paths ...string) (*Taxonomy, error) {
	var srcs []csvSource
	var closers []io.Closer
	defer func() {
		for _, c := range closers {
			c.Close()
		}
	}()
	for _, p := range paths {
		if err := collectSources(p, &srcs, &closers); err != nil {
			return nil, err
		}
	}
	t := &Taxonomy{
		skills:      make(map[string]*Skill, 16384),
		occupations: make(map[string]*Occupation, 4096),
		groups:      make(map[string]*ISCOGroupInfo, 1024),
	}
	// Version order in the Version string follows the order of the paths;
	// processing goes oldest version first so that newer values overwrite.
	seen := map[sourceVersion]bool{}
	for _, s := range srcs {
		if s.lang == "" || (s.kind != kindSkills && s.kind != kindOccupations && s.kind != kindISCOGroups) {
			continue
		}
		sv := sourceVersion{version: s.version, lang: s.lang}
		if sv.version == "" {
			sv.version = "unknown"
		}
		if !seen[sv] {
			seen[sv] = true
			t.sources = append(t.sources, sv)
		}
	}
	sort.SliceStable(srcs, func(i, j int) bool {
		pi, pj := srcs[i].kind >= kindOccSkillRel, srcs[j].kind >= kindOccSkillRel
		if pi != pj {
			return pj // concepts before relations and collections
		}
		return compareVersions(srcs[i].version, srcs[j].version) < 0
	})
	for _, s := range srcs {
		if err := t.loadSource(s); err != nil {
			return nil, err
		}
	}
	for _, o := range t.occupations {
		o.Essential = dedupe(o.Essential)
		o.Optional = dedupe(o.Optional)
	}
	lex, ver, err := parseLexicon(lexiconTSV, "lexicon/it.tsv", "it")
	if err != nil {
		return nil, err
	}
	lexEN, verEN, err := parseLexicon(lexiconENTSV, "lexicon/en.tsv", "en")
	if err != nil {
		return nil, err
	}
	t.lexVersion, t.lexVersionEN = ver, verEN
	for _, e := range append(lex, lexEN...) {
		if len(t.skills) > 0 || len(t.occupations) > 0 {
			ok := false
			if e.Kind == KindOccupation {
				_, ok = t.occupations[e.URI]
			} else {
				_, ok = t.skills[e.URI]
			}
			if !ok {
				t.warn(fmt.Sprintf("lexicon/%s.tsv line %d: %s %s not in the taxonomy, entry %q ignored", e.Lang, e.Line, e.Kind, e.URI, e.Surface))
				continue
			}
		}
		t.lexicon = append(t.lexicon, e)
	}
	return t, nil
}

func dedupe(s []string) []string {
	if len(s) < 2 {
		return s
	}
	seen := make(map[string]bool, len(s))
	out := s[:0]
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}

func (t *Taxonomy) warn(msg string) {
	if len(t.warnings) < 100 {
		t.warnings = append(t.warnings, msg)
	}
}

// loadSource reads one CSV file into t.
func (t *Taxonomy) loadSource(s csvSource) error {
	rc, err := s.open()
	if err != nil {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: open %s: %v", s.name, err)
	}
	defer rc.Close()
	r := csv.NewReader(rc)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: read header of %s: %v", s.name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	get := func(rec []string, name string) string {
		if i, ok := col[strings.ToLower(name)]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	need := func(names ...string) error {
		for _, n := range names {
			if _, ok := col[strings.ToLower(n)]; !ok {
				return fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s: missing column %q in header %q", s.name, n, strings.Join(header, ","))
			}
		}
		return nil
	}
	switch s.kind {
	case kindSkills, kindOccupations, kindCollection:
		err = need("conceptUri", "preferredLabel")
	case kindISCOGroups:
		err = need("code", "preferredLabel")
	case kindOccSkillRel:
		err = need("occupationUri", "relationType", "skillUri")
	case kindBroaderSkill, kindBroaderOcc:
		err = need("conceptUri", "broaderUri")
	}
	if err != nil {
		return err
	}
	lang := s.lang
	if lang == "" {
		lang = "en"
	}
	row := 1
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		row++
		line, _ := r.FieldPos(0)
		if err != nil {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: parse %s row %d: %v", s.name, row, err)
		}
		switch s.kind {
		case kindSkills:
			uri := get(rec, "conceptUri")
			if uri == "" {
				t.warn(fmt.Sprintf("%s row %d (line %d): no conceptUri", s.name, row, line))
				continue
			}
			sk := t.skills[uri]
			if sk == nil {
				sk = &Skill{URI: uri, Preferred: map[string]string{}, Alt: map[string][]string{}, Hidden: map[string][]string{}}
				t.skills[uri] = sk
			}
			if v := get(rec, "skillType"); v != "" {
				sk.Type = v
			}
			if v := get(rec, "reuseLevel"); v != "" {
				sk.ReuseLevel = v
			}
			if v := get(rec, "preferredLabel"); v != "" {
				sk.Preferred[lang] = v
			}
			sk.Alt[lang] = mergeLabels(sk.Alt[lang], get(rec, "altLabels"))
			sk.Hidden[lang] = mergeLabels(sk.Hidden[lang], get(rec, "hiddenLabels"))
		case kindOccupations:
			uri := get(rec, "conceptUri")
			if uri == "" {
				t.warn(fmt.Sprintf("%s row %d (line %d): no conceptUri", s.name, row, line))
				continue
			}
			o := t.occupations[uri]
			if o == nil {
				o = &Occupation{URI: uri, Preferred: map[string]string{}, Alt: map[string][]string{}, Hidden: map[string][]string{}, Description: map[string]string{}}
				t.occupations[uri] = o
			}
			if v := get(rec, "iscoGroup"); v != "" {
				o.ISCO = v
			}
			if v := get(rec, "code"); v != "" {
				o.Code = v
			}
			if v := get(rec, "preferredLabel"); v != "" {
				o.Preferred[lang] = v
			}
			o.Alt[lang] = mergeLabels(o.Alt[lang], get(rec, "altLabels"))
			o.Hidden[lang] = mergeLabels(o.Hidden[lang], get(rec, "hiddenLabels"))
			if v := get(rec, "description"); v != "" {
				o.Description[lang] = v
			}
		case kindISCOGroups:
			code := get(rec, "code")
			if code == "" {
				t.warn(fmt.Sprintf("%s row %d (line %d): no code", s.name, row, line))
				continue
			}
			g := t.groups[code]
			if g == nil {
				g = &ISCOGroupInfo{Code: code, Preferred: map[string]string{}}
				t.groups[code] = g
			}
			if v := get(rec, "conceptUri"); v != "" {
				g.URI = v
			}
			if v := get(rec, "preferredLabel"); v != "" {
				g.Preferred[lang] = v
			}
		case kindOccSkillRel:
			ou, su := get(rec, "occupationUri"), get(rec, "skillUri")
			if ou == "" || su == "" {
				t.warn(fmt.Sprintf("%s row %d (line %d): missing occupationUri or skillUri", s.name, row, line))
				continue
			}
			o := t.occupations[ou]
			if o == nil {
				continue // relation of an occupation not loaded
			}
			if strings.EqualFold(get(rec, "relationType"), "essential") {
				o.Essential = append(o.Essential, su)
			} else {
				o.Optional = append(o.Optional, su)
			}
		case kindBroaderSkill:
			if sk := t.skills[get(rec, "conceptUri")]; sk != nil {
				sk.Broader = append(sk.Broader, get(rec, "broaderUri"))
			}
		case kindBroaderOcc:
			if o := t.occupations[get(rec, "conceptUri")]; o != nil {
				o.Broader = append(o.Broader, get(rec, "broaderUri"))
			}
		case kindCollection:
			if sk := t.skills[get(rec, "conceptUri")]; sk != nil && !contains(sk.Collections, s.collection) {
				sk.Collections = append(sk.Collections, s.collection)
			}
		}
	}
	return nil
}

func contains(s []string, x string) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// mergeLabels adds the labels of an ESCO multi-label cell (one a line; the
// collection files separate them with " | ") to have, without duplicates.
func mergeLabels(have []string, cell string) []string {
	if cell == "" {
		return have
	}
	sep := "\n"
	if !strings.Contains(cell, "\n") && strings.Contains(cell, " | ") {
		sep = " | "
	}
	for _, l := range strings.Split(cell, sep) {
		l = strings.TrimSpace(l)
		if l != "" && !contains(have, l) {
			have = append(have, l)
		}
	}
	return have
}
