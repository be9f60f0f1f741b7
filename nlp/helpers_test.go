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
	brdOnce sync.Once
	brdVal  *Extractor
	brdErr  error
	unfOnce sync.Once
	unfVal  *Extractor
	unfErr  error
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
	tb.Helper()
	tax := MustTaxonomy(tb)
	brdOnce.Do(func() {
		cfg := DefaultConfig()
		cfg.WeakLabelsInContext = false
		brdVal, brdErr = NewExtractor(tax, cfg)
	})
	if brdErr != nil {
		tb.Fatalf("new extractor: %v", brdErr)
	}
	return brdVal
}

// unfilteredExtractor is the default extractor with Config.MinReliability
// 0: no mention is dropped for its form's record on the gold set, so tests
// of a mechanism do not depend on how the coders happened to code its
// example.
func unfilteredExtractor(tb testing.TB) *Extractor {
	tb.Helper()
	tax := MustTaxonomy(tb)
	unfOnce.Do(func() {
		cfg := DefaultConfig()
		cfg.MinReliability = 0
		unfVal, unfErr = NewExtractor(tax, cfg)
	})
	if unfErr != nil {
		tb.Fatalf("new extractor: %v", unfErr)
	}
	return unfVal
}
