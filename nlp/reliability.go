package nlp

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"strconv"
	"strings"
)

// reliabilityTSV counts how often each (form, concept) pair the extractor
// reports was right on the gold set's read batches (testdata/gold, every
// split but the blind "held-out N" ones). One line per pair:
//
//	language <TAB> form key <TAB> concept URI <TAB> right <TAB> wrong <TAB> label
//
// The form key is the mention's word stems in its matcher's language, stop
// words left out, so "impasti" and "impasto" share a line. The file is
// generated: go test -run TestReliabilityTable -update.
//
//go:embed lexicon/reliability.tsv
var reliabilityTSV string

// reliability is the smoothed share of a pair's gold mentions that were
// right, (right+1) / (right+wrong+2): a pair never seen counts as 0.5 and is
// not in the table; one seen once and wrong is 0.33.
func reliability(right, wrong int) float64 {
	return float64(right+1) / float64(right+wrong+2)
}

// loadUnreliable returns the pairs of reliabilityTSV whose reliability is
// below min, keyed by reliabilityKey, and a short hash of the table for the
// extractor's version.
func loadUnreliable(min float64) (map[string]bool, string) {
	sum := sha256.Sum256([]byte(reliabilityTSV))
	out := map[string]bool{}
	for _, line := range strings.Split(reliabilityTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 5 {
			continue
		}
		right, err1 := strconv.Atoi(f[3])
		wrong, err2 := strconv.Atoi(f[4])
		if err1 != nil || err2 != nil {
			continue
		}
		if reliability(right, wrong) < min {
			out[reliabilityKey(f[0], f[1], f[2])] = true
		}
	}
	return out, hex.EncodeToString(sum[:4])
}

func reliabilityKey(lang, form, uri string) string {
	return lang + "\t" + form + "\t" + uri
}

// formKey is the mention's key in reliabilityTSV: the stems of its words in
// its matcher's language, stop words left out.
func (d *document) formKey(mn mention) (lang, key string) {
	lang = "it"
	if mn.matcherEN {
		lang = "en"
	}
	st := d.stemsOf(lang)
	var b strings.Builder
	for k := mn.tokFrom; k < mn.tokTo && k < len(st); k++ {
		if st[k] == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(st[k])
	}
	return lang, b.String()
}
