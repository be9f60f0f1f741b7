package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/fabbisogni/fabbisogni/crawl"
)

func init() {
	register(command{name: "crawl", summary: "crawl sources into the pipeline, or print the vacancies of one page", run: runCrawl})
}

func runCrawl(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "page" {
		return runCrawlPage(ctx, args[1:], stdout, stderr)
	}
	var o options
	var sources, only string
	fs := newFlagSet("crawl", "crawl [flags] | crawl page [flags] FILE_OR_URL", `
Crawls every source of a sources file once (or the one named by --source),
politely (robots.txt, per-host delay, conditional GET against the crawl
state kept in ClickHouse), and publishes new and changed vacancies to
vacancies.raw, each near-duplicate linked to its canonical vacancy;
fabbisogni run carries them on into ClickHouse. "crawl page FILE_OR_URL" prints the vacancies extracted from one
page as JSON instead, for debugging a source's selectors.`, stderr)
	o.addLog(fs)
	o.addWarehouse(fs)
	o.addKafka(fs)
	o.addData(fs)
	fs.StringVar(&sources, "sources", "sources.json", "sources file (JSON; see README)")
	fs.StringVar(&only, "source", "", "crawl only the source with this name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	srcs, err := crawl.LoadSources(sources)
	if err != nil {
		return err
	}
	gaz, err := a.gazetteer()
	if err != nil {
		return err
	}
	if err := a.openWarehouse(ctx); err != nil {
		return err
	}
	if err := a.startKafka(ctx); err != nil {
		return err
	}
	c, dedup, flushState, err := a.crawler(ctx, gaz)
	if err != nil {
		return err
	}
	found := false
	for _, src := range srcs {
		if only != "" && src.Name != only {
			continue
		}
		found = true
		buf := newVacancyBuffer(a.producer, 200)
		st, err := c.Crawl(ctx, src, dedup(buf.add))
		if ferr := buf.flush(ctx); err == nil {
			err = ferr
		}
		if ferr := flushState(ctx); err == nil {
			err = ferr
		}
		if err != nil {
			return fmt.Errorf("crawl %s: %w", src.Name, err)
		}
		fmt.Fprintf(stdout, "%s: %d pages, %d vacancies, %d unchanged, %d not modified, %d disallowed by robots.txt, %d failed\n",
			src.Name, st.Pages, st.Vacancies, st.Unchanged, st.NotModified, st.Skipped, st.Failed)
	}
	if !found {
		return usageError{fmt.Sprintf("no source named %q in %s", only, sources)}
	}
	return nil
}

func runCrawlPage(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var sources, only string
	fs := newFlagSet("crawl page", "crawl page [flags] FILE_OR_URL", `
Prints, as indented JSON, the vacancies extracted from one page (a local HTML
file or a URL): JSON-LD JobPosting first, then microdata, then the CSS
selectors of --source in --sources.`, stderr)
	o.addLog(fs)
	o.addData(fs)
	fs.StringVar(&sources, "sources", "", "sources file whose selectors to use")
	fs.StringVar(&only, "source", "", "the source in --sources whose selectors to use (default: the first)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"want exactly one FILE_OR_URL"}
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	var sel crawl.Selectors
	if sources != "" {
		srcs, err := crawl.LoadSources(sources)
		if err != nil {
			return err
		}
		for i, s := range srcs {
			if s.Name == only || (only == "" && i == 0) {
				sel = s.Selectors
			}
		}
	}
	cfg := crawl.DefaultConfig()
	cfg.Logger = a.log
	if gaz, err := a.gazetteer(); err == nil {
		cfg.Gazetteer = gaz
	} else {
		a.log.Warn("places will not be coded", "err", err)
	}
	c, err := crawl.New(cfg)
	if err != nil {
		return err
	}
	vs, err := c.Page(ctx, fs.Arg(0), sel)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(vs)
}
