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
//
//go:embed lexicon/it.tsv
var lexiconTSV string

// Lexicon entry kinds.
const (
	KindSkill      = "skill"
	KindOccupation = "occupation"
)

// LexiconEntry is one line of the Italian lexicon.
type LexiconEntry struct {
	Surface string // Italian surface form as written in the lexicon
	URI     string // ESCO concept URI
	Kind    string // KindSkill or KindOccupation
	Check   string // the concept's English preferred label, as written in the lexicon
	Line    int    // 1-based line in lexicon/it.tsv
}

// parseLexicon reads the lexicon format; name is used in errors.
func parseLexicon(data, name string) ([]LexiconEntry, string, error) {
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
		e := LexiconEntry{Surface: strings.TrimSpace(f[0]), URI: strings.TrimSpace(f[1]), Kind: strings.TrimSpace(f[2]), Line: n}
		if len(f) > 3 {
			e.Check = strings.TrimSpace(f[3])
		}
		if e.Kind != KindSkill && e.Kind != KindOccupation {
			return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: kind %q is neither skill nor occupation", name, n, e.Kind)
		}
		if e.Surface == "" || !strings.HasPrefix(e.URI, "http://data.europa.eu/esco/") {
			return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: empty surface or non-ESCO URI %q", name, n, e.URI)
		}
		out = append(out, e)
	}
	return out, version, nil
}
