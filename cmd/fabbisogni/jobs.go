package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
)

func init() {
	register(command{name: "jobs", summary: "list recent runs of the scheduled jobs", run: runJobs})
}

func runJobs(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var job string
	var n int
	fs := newFlagSet("jobs", "jobs [flags]", `
Lists the latest runs of the scheduled jobs (crawls, forecasts) that
fabbisogni run recorded in ClickHouse: job, start, duration, status, rows
produced and error.`, stderr)
	o.addLog(fs)
	o.addWarehouse(fs)
	fs.StringVar(&job, "job", "", "only this job")
	fs.IntVar(&n, "n", 20, "how many runs")
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
	runs, err := a.wh.RecentJobRuns(ctx, job, n)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "JOB\tSTARTED (UTC)\tDURATION\tSTATUS\tROWS\tERROR")
	for _, r := range runs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\n", r.Job, r.StartedAt.Format("2006-01-02 15:04:05"),
			r.FinishedAt.Sub(r.StartedAt).Round(1e6), r.Status, r.Rows, truncate(r.Error, 80))
	}
	return tw.Flush()
}
