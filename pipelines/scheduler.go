package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/fabbisogni/fabbisogni"
)

// Job is a scheduled job: it runs to completion or until ctx is cancelled,
// and returns the number of records it produced.
type Job func(ctx context.Context) (rows int64, err error)

// Scheduler runs jobs on cron schedules. A run still going when its next
// time comes is skipped, a panicking job is recovered and logged, and Stop
// waits for running jobs.
type Scheduler struct {
	// OnFinish, if set before Start, receives the history of every run
	// (for the job_runs table). It must not block for long.
	OnFinish func(fabbisogni.JobRun)

	c      *cron.Cron
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc
}

// NewScheduler returns a stopped scheduler; ctx bounds every job it runs.
func NewScheduler(ctx context.Context, log *slog.Logger) *Scheduler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("component", "scheduler")
	cl := cronLogger{log}
	ctx, cancel := context.WithCancel(ctx)
	return &Scheduler{
		c:   cron.New(cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)), cron.WithLogger(cl)),
		log: log, ctx: ctx, cancel: cancel,
	}
}

// Add schedules job under name with a standard 5-field cron spec.
func (s *Scheduler) Add(name, spec string, job Job) error {
	if _, err := s.c.AddFunc(spec, func() { s.RunNow(name, job) }); err != nil {
		return fmt.Errorf("pipelines: schedule %s %q: %w", name, spec, err)
	}
	return nil
}

// RunNow runs job once in the caller's goroutine, logs it and reports its
// history to OnFinish. A panic in the job is recovered and reported.
func (s *Scheduler) RunNow(name string, job Job) (run fabbisogni.JobRun) {
	host, _ := os.Hostname()
	run = fabbisogni.JobRun{ID: fmt.Sprintf("%s-%d", name, time.Now().UnixNano()), Job: name, StartedAt: time.Now().UTC(), Host: host}
	s.log.Info("job started", "job", name)
	defer func() {
		if r := recover(); r != nil {
			run.Status, run.Error = fabbisogni.JobPanic, fmt.Sprint(r)
		}
		run.FinishedAt = time.Now().UTC()
		d := run.FinishedAt.Sub(run.StartedAt).Milliseconds()
		if run.Status == fabbisogni.JobOK {
			s.log.Info("job done", "job", name, "rows", run.Rows, "duration_ms", d)
		} else {
			s.log.Error("job failed", "job", name, "status", run.Status, "rows", run.Rows, "duration_ms", d, "err", run.Error)
		}
		if s.OnFinish != nil {
			s.OnFinish(run)
		}
	}()
	rows, err := job(s.ctx)
	run.Rows, run.Status = rows, fabbisogni.JobOK
	if err != nil {
		run.Status, run.Error = fabbisogni.JobFailed, err.Error()
	}
	return run
}

// Start starts the scheduler in the background.
func (s *Scheduler) Start() { s.c.Start() }

// Stop cancels running jobs' context and waits for them to return, or for
// ctx to end.
func (s *Scheduler) Stop(ctx context.Context) error {
	done := s.c.Stop()
	s.cancel()
	select {
	case <-done.Done():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("pipelines: scheduled jobs still running: %w", ctx.Err())
	}
}

type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug(msg, kv...) }
func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error(msg, append(kv, "err", err)...)
}
