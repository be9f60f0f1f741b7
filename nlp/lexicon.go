package nlp

import (
	_ "embed"
	"strings"

	"github.com/fabbisogni/fabbisogni"
)

// lexiconTSV is the Italian lexicon shipped with the package: Italian surface
// forms (including the terse, upper-case style of job-centre postings and
// common typos) mapped to ESCO skill and occupation URIs. Format, one entry a
// line, tab separated:
//
//	surface form <TAB> ESCO concept URI <TAB> kind (skill|occupation) <TAB> ESCO English preferred label (a check for reviewers)
//
// Lines starting with "#" are comments; "# version: N" sets the lexicon version.
// A line may name several concepts, URIs and check labels joined by "|": the
// form names them all ("carico e scarico" is both load cargo and unload
// cargo), unlike two lines with the same form, which are alternative senses
// resolved by context.
//
//go:embed lexicon/it.tsv
var lexiconTSV string

// lexiconENTSV is the English lexicon, in the same format: the forms of
// English postings ("forklift", "Excel", "teamwork", "TIG welding") that
// ESCO's English labels do not reach.
//
//go:embed lexicon/en.tsv
var lexiconENTSV string

// Lexicon entry kinds.
const (
	KindSkill      = "skill"
	KindOccupation = "occupation"
)

// LexiconEntry is one concept of one line of a lexicon.
type LexiconEntry struct {
	Surface string // surface form as written in the lexicon
	URI     string // ESCO concept URI
	Kind    string // KindSkill or KindOccupation
	Check   string // the concept's English preferred label, as written in the lexicon
	Line    int    // 1-based line in the lexicon file
	Lang    string // "it" or "en": the language of the surface form
	Joint   bool   // the line names several concepts, all meant at once
}

// parseLexicon reads the lexicon format; name is used in errors, lang is the
// language of the surface forms.
func parseLexicon(data, name, lang string) ([]LexiconEntry, string, error) {
	var out []LexiconEntry
	version := "0"
	for i, line := range strings.Split(data, "\n") {
		n := i + 1
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			if v, ok := strings.CutPrefix(line, "# version:"); ok {
				version = strings.TrimSpace(v)
			}
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 3 {
			return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: want surface<TAB>uri<TAB>kind, got %q", name, n, line)
		}
		uris := strings.Split(f[1], "|")
		var checks []string
		if len(f) > 3 {
			checks = strings.Split(f[3], "|")
		}
		for k, u := range uris {
			e := LexiconEntry{Surface: strings.TrimSpace(f[0]), URI: strings.TrimSpace(u), Kind: strings.TrimSpace(f[2]), Line: n, Lang: lang, Joint: len(uris) > 1}
			if k < len(checks) {
				e.Check = strings.TrimSpace(checks[k])
			}
			if e.Kind != KindSkill && e.Kind != KindOccupation {
				return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: kind %q is neither skill nor occupation", name, n, e.Kind)
			}
			if e.Surface == "" || !strings.HasPrefix(e.URI, "http://data.europa.eu/esco/") {
				return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: empty surface or non-ESCO URI %q", name, n, e.URI)
			}
			if len(checks) > 0 && len(checks) != len(uris) {
				return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: %d URIs but %d check labels", name, n, len(uris), len(checks))
			}
			out = append(out, e)
		}
	}
	return out, version, nil
}
