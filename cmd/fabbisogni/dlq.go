package main

import (
	"context"
	"encoding/json"
	"io"
)

func init() {
	register(command{name: "dlq", summary: "list the dead-letter topic", run: runDLQ})
}

func runDLQ(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "list" {
		return usageError{"usage: fabbisogni dlq list [flags]"}
	}
	var o options
	var max int
	fs := newFlagSet("dlq list", "dlq list [flags]", `
Prints the dead letters (records that could not be processed) as JSON lines:
stage, reason, source topic, partition and offset (or file and row), key and
the original record. Reading moves no consumer offset.`, stderr)
	o.addLog(fs)
	o.addKafka(fs)
	fs.IntVar(&max, "max", 1000, "print at most this many")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.startKafka(ctx); err != nil {
		return err
	}
	dls, err := readDeadLetters(ctx, a.brokers, max)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for i := range dls {
		if err := enc.Encode(&dls[i]); err != nil {
			return err
		}
	}
	return nil
}
