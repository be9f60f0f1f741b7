// Command fabbisogni is the Fabbisogni pipeline: it crawls published
// vacancies, imports firm contact-campaign exports, extracts ESCO
// occupations and skills, streams everything through Kafka into ClickHouse,
// and reports what the districts will need.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

func register(c command) { commands[c.name] = c }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(Main(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// Main runs one command and returns the process exit code: 0 success, 1
// failure, 2 bad usage.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "fabbisogni: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "fabbisogni %s: %v\n", c.name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "fabbisogni %s: %v\n", c.name, err)
		return 1
	}
}

type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usage(w io.Writer) {
	fmt.Fprint(w, `fabbisogni: occupational and skill needs of Italian industrial districts.

It crawls published vacancies, imports contact-campaign exports, extracts ESCO
occupations (ISCO-08) and skills from Italian and English text, streams every
record through Kafka into ClickHouse, and reports skill demand by district.

Usage: fabbisogni COMMAND [flags]

Commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(w, `
Run "fabbisogni COMMAND --help" for a command's flags.

Environment (flags win over it):
  FABBISOGNI_CLICKHOUSE  ClickHouse native address host:port
  FABBISOGNI_BROKERS     Kafka brokers, comma separated; empty runs an embedded broker
  FABBISOGNI_ESCO        ESCO CSV bundles (zips or folders), comma separated
  FABBISOGNI_DATA        reference data folder (ISTAT lists), default ../shared/data
`)
}

// newFlagSet returns a flag set whose --help prints the command's
// description and flags.
func newFlagSet(name, synopsis, description string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: fabbisogni %s\n\n%s\n\nFlags:\n", synopsis, strings.TrimSpace(description))
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses a command's flags; a bad flag is a usage error (exit
// 2), --help is not an error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return usageError{err.Error()}
}
