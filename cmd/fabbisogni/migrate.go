package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
)

func init() {
	register(command{name: "migrate", summary: "create or update the ClickHouse schema (idempotent)", run: runMigrate})
	register(command{name: "version", summary: "print the version of the binary, the extractor and the schema", run: runVersion})
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet("migrate", "migrate [flags]", `
Creates the database if missing and applies the schema migrations not yet
applied, in order. Applying them again is a no-op. run and demo migrate too.`, stderr)
	o.addLog(fs)
	o.addWarehouse(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.openWarehouse(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema of %s/%s is up to date\n", a.wh.Addr(), a.wh.Database())
	return nil
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", "Prints the version of the binary and of its parts.", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "fabbisogni %s (%s)\n", Version, runtime.Version())
	fmt.Fprintf(stdout, "extractor %s\n", extractorVersion())
	return nil
}
