package warehouse

import (
	"context"
	"fmt"
	"time"

	"github.com/fabbisogni/fabbisogni"
)

// RecordJobRun stores the outcome of one scheduled run.
func (w *Warehouse) RecordJobRun(ctx context.Context, r fabbisogni.JobRun) error {
	b, err := w.conn.PrepareBatch(ctx, "INSERT INTO job_runs (run_id, job, started_at, finished_at, duration_ms, status, rows, error, host)")
	if err != nil {
		return classify(fmt.Errorf("warehouse: record job run %s: %w", r.Job, err))
	}
	defer b.Abort()
	if err := b.Append(r.ID, r.Job, r.StartedAt.UTC(), r.FinishedAt.UTC(), uint64(max(r.FinishedAt.Sub(r.StartedAt).Milliseconds(), 0)), r.Status, uint64(max(r.Rows, 0)), r.Error, r.Host); err != nil {
		return fmt.Errorf("warehouse: record job run %s: %w", r.Job, err)
	}
	if err := b.Send(); err != nil {
		return classify(fmt.Errorf("warehouse: record job run %s: %w", r.Job, err))
	}
	return nil
}

// RecentJobRuns returns the latest n runs, newest first; job filters by
// name when not empty.
func (w *Warehouse) RecentJobRuns(ctx context.Context, job string, n int) ([]fabbisogni.JobRun, error) {
	q := "SELECT run_id, job, started_at, duration_ms, status, rows, error, host FROM job_runs FINAL"
	var args []any
	if job != "" {
		q += " WHERE job = ?"
		args = append(args, job)
	}
	q += fmt.Sprintf(" ORDER BY started_at DESC LIMIT %d", n)
	rows, err := w.conn.Query(ctx, q, args...)
	if err != nil {
		return nil, classify(fmt.Errorf("warehouse: read job runs: %w", err))
	}
	defer rows.Close()
	var out []fabbisogni.JobRun
	for rows.Next() {
		var r fabbisogni.JobRun
		var n, ms uint64
		if err := rows.Scan(&r.ID, &r.Job, &r.StartedAt, &ms, &r.Status, &n, &r.Error, &r.Host); err != nil {
			return nil, fmt.Errorf("warehouse: read job runs: %w", err)
		}
		r.Rows = int64(n)
		r.FinishedAt = r.StartedAt.Add(time.Duration(ms) * time.Millisecond)
		out = append(out, r)
	}
	return out, rows.Err()
}
