package crawl

import (
	"hash/fnv"
	"math/bits"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/fabbisogni/fabbisogni"
)

// Signature is the compact form of a vacancy that near-duplicate detection
// compares: a 64-bit SimHash of the description's word 3-shingles, the
// hashed title words, and the normalised firm and place. It is what a
// store would keep per vacancy (about 100 bytes).
type Signature struct {
	ID    string   `json:"id"`
	Desc  uint64   `json:"desc_simhash"`
	Title []uint32 `json:"title_words"` // sorted, unique
	Firm  string   `json:"firm"`        // lower case, legal form and punctuation removed
	Place string   `json:"place"`       // ISTAT code, else the folded name
}

// DedupConfig holds the thresholds of NearDuplicate. The defaults were
// chosen on the labelled pairs in testdata/dedup (dedup_test.go logs
// precision and recall for a range of distances): on postings of a few
// hundred words, duplicates measured 0-21 bits apart and different
// vacancies 21-35, so 18 trades one missed cross-post for no false link.
type DedupConfig struct {
	MaxDescDistance int     // max Hamming distance of description SimHashes; default 18 of 64
	MinTitleJaccard float64 // min Jaccard of title words; default 0.5
}

// DefaultDedupConfig returns the documented defaults.
func DefaultDedupConfig() DedupConfig { return DedupConfig{MaxDescDistance: 18, MinTitleJaccard: 0.5} }

// Sign computes the signature of a vacancy.
func Sign(v fabbisogni.Vacancy) Signature {
	s := Signature{ID: v.ID, Firm: firmKey(v.FirmName)}
	if v.MunicipalityCode != "" {
		s.Place = v.MunicipalityCode
	} else {
		s.Place = placeKey(v.MunicipalityName)
	}
	s.Desc = simhash(shingles(words(v.Description), 3))
	seen := map[uint32]bool{}
	for _, w := range words(v.Title) {
		if len(w) < 2 || titleNoise[w] {
			continue
		}
		h := fnv32(w)
		if !seen[h] {
			seen[h] = true
			s.Title = append(s.Title, h)
		}
	}
	sort.Slice(s.Title, func(i, j int) bool { return s.Title[i] < s.Title[j] })
	return s
}

// NearDuplicate reports whether two signatures are the same vacancy:
// the same firm (when both name one), the same place (when both give one),
// similar titles and near descriptions.
func (c DedupConfig) NearDuplicate(a, b Signature) bool {
	if a.Firm != "" && b.Firm != "" && a.Firm != b.Firm {
		return false
	}
	if a.Place != "" && b.Place != "" && a.Place != b.Place {
		return false
	}
	if jaccard(a.Title, b.Title) < c.MinTitleJaccard {
		return false
	}
	return bits.OnesCount64(a.Desc^b.Desc) <= c.MaxDescDistance
}

// Deduper links each vacancy it observes to the first near-duplicate seen
// before it (its canonical vacancy). Candidates are looked up by firm (or,
// without a firm, by place), so the cost per vacancy is the number of
// earlier vacancies of that firm. Safe for concurrent use.
type Deduper struct {
	cfg DedupConfig
	mu  sync.Mutex
	by  map[string][]Signature
}

// NewDeduper returns an empty Deduper.
func NewDeduper(cfg DedupConfig) *Deduper {
	return &Deduper{cfg: cfg, by: map[string][]Signature{}}
}

// Observe records v and returns the id of its canonical vacancy: an earlier
// near-duplicate's (dup=true), or v's own. Observing the same id again
// returns it unchanged.
func (d *Deduper) Observe(v fabbisogni.Vacancy) (canonical string, dup bool) {
	s := Sign(v)
	key := "f:" + s.Firm
	if s.Firm == "" {
		key = "p:" + s.Place
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, o := range d.by[key] {
		if o.ID == s.ID {
			return s.ID, false
		}
		if d.cfg.NearDuplicate(o, s) {
			return o.ID, true
		}
	}
	d.by[key] = append(d.by[key], s)
	return s.ID, false
}

var wordRe = regexp.MustCompile(`[\p{L}\p{N}]+`)

var accentFold = strings.NewReplacer("à", "a", "á", "a", "è", "e", "é", "e", "ì", "i", "í", "i", "ò", "o", "ó", "o", "ù", "u", "ú", "u", "ç", "c")

func words(s string) []string {
	return wordRe.FindAllString(accentFold.Replace(strings.ToLower(s)), -1)
}

// titleNoise are title words that say nothing about the job.
var titleNoise = map[string]bool{"m": true, "f": true, "mf": true, "a": true, "o": true, "e": true, "trice": true, "di": true, "per": true, "con": true, "the": true, "and": true, "al": true, "alla": true, "ai": true}

func shingles(ws []string, k int) []string {
	if len(ws) < k {
		if len(ws) == 0 {
			return nil
		}
		return []string{strings.Join(ws, " ")}
	}
	out := make([]string, 0, len(ws)-k+1)
	for i := 0; i+k <= len(ws); i++ {
		out = append(out, strings.Join(ws[i:i+k], " "))
	}
	return out
}

func simhash(features []string) uint64 {
	var v [64]int
	for _, f := range features {
		h := fnv.New64a()
		h.Write([]byte(f))
		x := h.Sum64()
		for i := range 64 {
			if x&(1<<i) != 0 {
				v[i]++
			} else {
				v[i]--
			}
		}
	}
	var out uint64
	for i := range 64 {
		if v[i] > 0 {
			out |= 1 << i
		}
	}
	return out
}

func fnv32(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

func jaccard(a, b []uint32) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

var legalForms = map[string]bool{"srl": true, "spa": true, "snc": true, "sas": true, "ss": true, "srls": true, "soc": true, "coop": true, "societa": true, "cooperativa": true, "agr": true, "sapa": true, "scarl": true, "scrl": true, "s": true, "r": true, "l": true, "p": true, "a": true, "n": true, "c": true}

// firmKey normalises a firm name: "MECCANICA SANGONE SRL" and "Meccanica
// Sangone S.r.l." give the same key.
func firmKey(s string) string {
	var out []string
	for _, w := range words(strings.ReplaceAll(s, ".", "")) {
		if !legalForms[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

func placeKey(s string) string {
	if i := strings.IndexByte(s, '('); i > 0 {
		s = s[:i]
	}
	return fabbisogni.PlaceKey(s)
}
