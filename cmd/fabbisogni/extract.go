package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/nlp"
)

func init() {
	register(command{name: "extract", summary: "extract ESCO occupations, skills and attributes from JSON lines", run: runExtract})
}

func extractorVersion() string { return nlp.ExtractorVersion }

// extractInput is one line of `fabbisogni extract` input.
type extractInput struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Text  string `json:"text"`
}

func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	fs := newFlagSet("extract", "extract [flags] [FILE]", `
Reads JSON lines {"id": "...", "title": "...", "text": "..."} (title optional)
from FILE or standard input and writes one JSON line per input, in the same
order: {"id", "language", "occupations": [{"uri", "isco", "label", "score"}],
"isco_group": {"code", "score"}, "skills": [{"uri", "label", "text", "start",
"end", "required", "negated", "score"}], "attributes": {...},
"taxonomy_version", "extractor_version"}. Skill offsets are byte offsets into
title + "\n" + text when a title is given, else into text. A malformed line
produces {"id": "", "error": "line N: ..."} and the rest continues; the exit
status is 1 if any line was malformed.`, stderr)
	o.addLog(fs)
	o.addData(fs)
	o.addNLP(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	in := io.Reader(os.Stdin)
	if fs.NArg() > 1 {
		return usageError{"at most one FILE"}
	}
	if fs.NArg() == 1 && fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	ex, _, err := a.extractor()
	if err != nil {
		return err
	}
	bad, err := extractLines(ctx, ex, in, stdout)
	if err != nil {
		return err
	}
	if bad > 0 {
		return fmt.Errorf("%d malformed input lines (see the error lines in the output)", bad)
	}
	return nil
}

// extractLines extracts in parallel and writes results in input order.
func extractLines(ctx context.Context, ex *nlp.Extractor, in io.Reader, out io.Writer) (bad int, err error) {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	const chunk = 256
	workers := runtime.GOMAXPROCS(0)
	line := 0
	for {
		var lines []string
		for len(lines) < chunk && sc.Scan() {
			lines = append(lines, sc.Text())
		}
		if len(lines) == 0 {
			break
		}
		results := make([]fabbisogni.Extraction, len(lines))
		var wg sync.WaitGroup
		next := make(chan int)
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					var doc extractInput
					if err := json.Unmarshal([]byte(lines[i]), &doc); err != nil {
						results[i] = fabbisogni.Extraction{Error: fmt.Sprintf("line %d: %v", line+i+1, err)}
						continue
					}
					results[i] = ex.Extract(doc.ID, doc.Title, doc.Text)
				}
			}()
		}
		for i := range lines {
			next <- i
		}
		close(next)
		wg.Wait()
		for i := range results {
			if results[i].Error != "" {
				bad++
				if err := enc.Encode(struct {
					ID    string `json:"id"`
					Error string `json:"error"`
				}{"", results[i].Error}); err != nil {
					return bad, err
				}
				continue
			}
			if err := enc.Encode(&results[i]); err != nil {
				return bad, err
			}
		}
		line += len(lines)
		if ctx.Err() != nil {
			return bad, ctx.Err()
		}
	}
	return bad, sc.Err()
}
