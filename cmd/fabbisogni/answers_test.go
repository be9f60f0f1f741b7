package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/fabbisogni/fabbisogni/internal/testenv"
)

// mustDemoApp runs the demo corpus into a database of its own (dropped when
// the test ends) and returns the app, its warehouse open.
func mustDemoApp(t *testing.T) *app {
	t.Helper()
	var stderr bytes.Buffer
	a, err := newApp(demoOptions(t, testenv.UniqueName(t, "ans"), t.TempDir()), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if a.wh != nil {
			a.wh.DropDatabase(context.Background())
		}
		a.close()
	})
	if _, err := a.demo(t.Context(), testenv.Corpus(t), t.TempDir(), false); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr.String())
	}
	return a
}
