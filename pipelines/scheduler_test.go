package pipelines_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

func TestSchedulerRecordsRuns(t *testing.T) {
	s := pipelines.NewScheduler(t.Context(), nil)
	var mu sync.Mutex
	var runs []fabbisogni.JobRun
	s.OnFinish = func(r fabbisogni.JobRun) { mu.Lock(); runs = append(runs, r); mu.Unlock() }
	s.RunNow("ok", func(context.Context) (int64, error) { return 7, nil })
	s.RunNow("fails", func(context.Context) (int64, error) { return 2, errors.New("source down") })
	s.RunNow("panics", func(context.Context) (int64, error) { panic("bad page") })
	want := []struct {
		job, status string
		rows        int64
	}{{"ok", fabbisogni.JobOK, 7}, {"fails", fabbisogni.JobFailed, 2}, {"panics", fabbisogni.JobPanic, 0}}
	if len(runs) != len(want) {
		t.Fatalf("%d runs recorded, want %d", len(runs), len(want))
	}
	for i, w := range want {
		r := runs[i]
		if r.Job != w.job || r.Status != w.status || r.Rows != w.rows || r.FinishedAt.Before(r.StartedAt) {
			t.Errorf("run %d = %+v, want job %s status %s rows %d", i, r, w.job, w.status, w.rows)
		}
		if w.status != fabbisogni.JobOK && r.Error == "" {
			t.Errorf("run %s has no error text", r.Job)
		}
	}
}

// TestSchedulerSkipsOverlappingRuns: a job still running when its next time
// comes is skipped, never run twice at once; Stop waits for the running one.
func TestSchedulerSkipsOverlappingRuns(t *testing.T) {
	s := pipelines.NewScheduler(t.Context(), nil)
	var running, maxRunning, runs atomic.Int32
	err := s.Add("slow", "@every 50ms", func(ctx context.Context) (int64, error) {
		n := running.Add(1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		runs.Add(1)
		select {
		case <-time.After(300 * time.Millisecond):
		case <-ctx.Done():
		}
		running.Add(-1)
		return 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	for runs.Load() < 2 {
		time.Sleep(10 * time.Millisecond)
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	if running.Load() != 0 {
		t.Fatal("Stop returned while a job was running")
	}
	if maxRunning.Load() != 1 {
		t.Fatalf("%d runs at once, want 1", maxRunning.Load())
	}
}

func TestSchedulerRejectsBadSpec(t *testing.T) {
	s := pipelines.NewScheduler(t.Context(), nil)
	if err := s.Add("x", "every tuesday", func(context.Context) (int64, error) { return 0, nil }); err == nil {
		t.Fatal("bad cron spec accepted")
	}
}
