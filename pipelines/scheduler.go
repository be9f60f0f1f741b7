package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
)

// Job is a scheduled job: it runs to completion or until ctx is cancelled.
type Job func(ctx context.Context) error

// Scheduler runs jobs on cron schedules. A run still going when its next
// time comes is skipped, a panicking job is recovered and logged, and Stop
// waits for running jobs.
type Scheduler struct {
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
	_, err := s.c.AddFunc(spec, func() {
		start := time.Now()
		s.log.Info("job started", "job", name)
		if err := job(s.ctx); err != nil {
			s.log.Error("job failed", "job", name, "duration_ms", time.Since(start).Milliseconds(), "err", err)
			return
		}
		s.log.Info("job done", "job", name, "duration_ms", time.Since(start).Milliseconds())
	})
	if err != nil {
		return fmt.Errorf("pipelines: schedule %s %q: %w", name, spec, err)
	}
	return nil
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
