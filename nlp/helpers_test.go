package nlp

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

var (
	taxOnce sync.Once
	taxVal  *Taxonomy
	taxErr  error
	extOnce sync.Once
	extVal  *Extractor
	extErr  error
)

// MustTaxonomy loads the team's default taxonomy (English v1.1.1 bundle plus
// Italian v1.0.8 occupations) once per test binary.
func MustTaxonomy(tb testing.TB) *Taxonomy {
	tb.Helper()
	d := testenv.SharedData(tb)
	taxOnce.Do(func() {
		taxVal, taxErr = LoadTaxonomy(filepath.Join(d, "esco-v1.1.1-en"), filepath.Join(d, "esco-v1.0.8-it"))
	})
	if taxErr != nil {
		tb.Fatalf("load taxonomy: %v", taxErr)
	}
	return taxVal
}

// MustExtractor builds the default extractor over MustTaxonomy once.
func MustExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	tax := MustTaxonomy(tb)
	extOnce.Do(func() { extVal, extErr = NewExtractor(tax, DefaultConfig()) })
	if extErr != nil {
		tb.Fatalf("new extractor: %v", extErr)
	}
	return extVal
}

// broadExtractor is the default extractor with Config.WeakLabelsInContext
// off: every broad English label (alternative, hidden, verbless) is read
// whatever the occupation.
func broadExtractor(tb testing.TB) *Extractor {
	return extractorWith(tb, "broad", func(c *Config) { c.WeakLabelsInContext = false })
}

// unfilteredExtractor is the default extractor with Config.MinReliability
// 0: no mention is dropped for its form's record on the gold set, so tests
// of a mechanism do not depend on how the coders happened to code its
// example.
func unfilteredExtractor(tb testing.TB) *Extractor {
	return extractorWith(tb, "unfiltered", func(c *Config) { c.MinReliability = 0 })
}

var (
	variantsMu sync.Mutex
	variants   = map[string]*Extractor{}
)

// extractorWith builds, once per test binary and name, an extractor over
// MustTaxonomy with the default configuration changed by set.
func extractorWith(tb testing.TB, name string, set func(*Config)) *Extractor {
	tb.Helper()
	tax := MustTaxonomy(tb)
	variantsMu.Lock()
	defer variantsMu.Unlock()
	if e := variants[name]; e != nil {
		return e
	}
	cfg := DefaultConfig()
	set(&cfg)
	e, err := NewExtractor(tax, cfg)
	if err != nil {
		tb.Fatalf("new extractor %s: %v", name, err)
	}
	variants[name] = e
	return e
}
