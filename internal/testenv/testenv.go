// Package testenv finds the files tests need: the module root, the
// end-to-end corpus in testdata/, and the reference data in ../shared/data
// (or $FABBISOGNI_DATA).
package testenv

import (
	"os"
	"path/filepath"
	"testing"
)

// ModuleRoot returns the directory holding go.mod, walking up from the
// working directory of the test.
func ModuleRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("testenv: no go.mod above the working directory")
		}
		dir = parent
	}
}

// SharedData returns the reference data folder: $FABBISOGNI_DATA when set,
// else ../shared/data beside the module root. The data is required: a test
// that needs it fails, never skips, when it is missing.
func SharedData(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("FABBISOGNI_DATA"); d != "" {
		return d
	}
	d := filepath.Join(filepath.Dir(ModuleRoot(tb)), "shared", "data")
	if _, err := os.Stat(d); err != nil {
		tb.Fatalf("testenv: reference data not found at %s (set FABBISOGNI_DATA): %v", d, err)
	}
	return d
}

// Corpus returns the path of a file or folder of the end-to-end corpus in
// the top-level testdata/.
func Corpus(tb testing.TB, elem ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{ModuleRoot(tb), "testdata"}, elem...)...)
}
