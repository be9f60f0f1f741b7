package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// mustDemoApp runs the demo corpus into a database of its own on the test
// ClickHouse (dropped when the test ends), through an embedded broker of
// its own, and returns the app with its warehouse open.
func mustDemoApp(tb testing.TB) *app {
	tb.Helper()
	o := options{
		clickhouse: testenv.ClickHouseAddr(tb),
		database:   testenv.UniqueName(tb, "ans"),
		kafkaDir:   tb.TempDir(),
		partitions: 3,
		data:       testenv.SharedData(tb),
		logLevel:   "warn",
	}
	var stderr bytes.Buffer
	a, err := newApp(o, &stderr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if a.wh != nil {
			a.wh.DropDatabase(context.Background())
		}
		a.close()
	})
	if _, err := a.demo(context.Background(), testenv.Corpus(tb), tb.TempDir(), false); err != nil {
		tb.Fatalf("demo: %v\n%s", err, stderr.String())
	}
	return a
}
