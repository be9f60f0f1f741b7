package nlp

import (
	_ "embed"
	"strconv"
	"strings"

	"github.com/fabbisogni/fabbisogni"
)

// iscoCuesTSV maps Italian task and workplace phrases ("carico e scarico",
// "servizio ai tavoli", "prima nota") to ISCO-08 groups. Format, tab
// separated, one a line:
//
//	surface form <TAB> ISCO-08 code (1 to 4 digits) <TAB> weight (optional, default 1)
//
// The phrases never give a 4-digit occupation: they only vote for a group
// when no occupation label is confident (see codeOccupations).
//
//go:embed lexicon/isco-it.tsv
var iscoCuesTSV string

// iscoCue is one line of lexicon/isco-it.tsv.
type iscoCue struct {
	surface string
	code    string
	weight  float64
	line    int
}

// parseISCOCues reads the cue table; name is used in errors.
func parseISCOCues(data, name string) ([]iscoCue, string, error) {
	var out []iscoCue
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
		if len(f) < 2 {
			return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: want surface<TAB>isco[<TAB>weight], got %q", name, n, line)
		}
		c := iscoCue{surface: strings.TrimSpace(f[0]), code: strings.TrimSpace(f[1]), weight: 1, line: n}
		if c.surface == "" || len(c.code) < 1 || len(c.code) > 4 || strings.Trim(c.code, "0123456789") != "" {
			return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: empty surface or bad ISCO code %q", name, n, c.code)
		}
		if len(f) > 2 && strings.TrimSpace(f[2]) != "" {
			w, err := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
			if err != nil || w <= 0 || w > 1 {
				return nil, "", fabbisogni.Errorf(fabbisogni.EInvalid, "nlp: %s line %d: weight %q not in (0,1]", name, n, f[2])
			}
			c.weight = w
		}
		out = append(out, c)
	}
	return out, version, nil
}

// cueVotes returns the ISCO groups the task phrases of the document vote
// for, with their weight: a phrase in the title counts double, each group
// at most cueCap.
func (d *document) cueVotes() map[string]float64 {
	m := d.e.cues
	if m == nil {
		return nil
	}
	const cueCap = 3.0
	d.scratch = m.streamInto(d.scratch, d.toks, d.stemsOf("it"))
	s := d.scratch
	votes := map[string]float64{}
	for _, h := range m.match(s, d.toks, nil) {
		w := 1.0
		if d.toks[s.idx[h.from]].start < d.titleEnd {
			w = 2
		}
		for _, tg := range h.targets {
			code := d.e.cueCodes[tg.concept]
			votes[code] = min(cueCap, votes[code]+w*tg.quality)
		}
	}
	return votes
}
