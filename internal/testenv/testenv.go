// Package testenv finds the files tests need: the module root, the
// end-to-end corpus in testdata/, and the reference data in ../shared/data
// (or $FABBISOGNI_DATA).
package testenv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// ClickHouseAddr returns the native address of the throwaway ClickHouse
// server that `make test` starts (FABBISOGNI_TEST_CLICKHOUSE). Tests that
// need ClickHouse fail, never skip, without it: run them with `make test`,
// or start a server with scripts/clickhouse.sh and set the variable.
func ClickHouseAddr(tb testing.TB) string {
	tb.Helper()
	a := os.Getenv("FABBISOGNI_TEST_CLICKHOUSE")
	if a == "" {
		tb.Fatal("testenv: FABBISOGNI_TEST_CLICKHOUSE is not set: run `make test`, or `scripts/clickhouse.sh start DIR` and export FABBISOGNI_TEST_CLICKHOUSE=127.0.0.1:19000")
	}
	return a
}

// UniqueName returns a name usable as a ClickHouse database or Kafka group,
// unique to this test run: prefix, the test's name folded, and a counter.
func UniqueName(tb testing.TB, prefix string) string {
	tb.Helper()
	mu.Lock()
	seq++
	n := seq
	mu.Unlock()
	b := []byte(strings.ToLower(tb.Name()))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return fmt.Sprintf("%s_%s_%d_%d", prefix, b, os.Getpid(), n)
}

var (
	mu  sync.Mutex
	seq int
)
