package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/fabbisogni/fabbisogni/pipelines"
)

func init() {
	register(command{name: "dlq", summary: "list dead letters, or replay them to their source topics after a fix", run: runDLQ})
}

func runDLQ(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "replay" {
		return runDLQReplay(ctx, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "list" {
		return usageError{"usage: fabbisogni dlq list|replay [flags]"}
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
	if err := parseFlags(fs, args[1:]); err != nil {
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

func runDLQReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var stage string
	fs := newFlagSet("dlq replay", "dlq replay [flags]", `
Re-publishes the original record of every dead letter not replayed before
to the topic it came from, so that the running stages process it again
(after the extractor, the schema or the data was fixed). Each dead letter is
replayed once: the replay's consumer group remembers where it stopped.
Rows rejected at import have no source topic: fix the file and import it
again. A record that fails again goes back to the dead-letter topic.`, stderr)
	o.addLog(fs)
	o.addKafka(fs)
	fs.StringVar(&stage, "stage", "", "replay only the dead letters of this stage (extract, sink)")
	if err := parseFlags(fs, args); err != nil {
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
	var keep func(pipelines.DeadLetter) bool
	if stage != "" {
		keep = func(d pipelines.DeadLetter) bool { return d.Stage == stage }
	}
	st, err := pipelines.ReplayDeadLetters(ctx, a.brokers, a.producer, keep)
	fmt.Fprintf(stdout, "dead letters read %d, replayed %d, skipped %d\n", st.Read, st.Replayed, st.Skipped)
	return err
}
