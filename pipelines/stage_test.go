package pipelines

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
)

// workersStage starts a one-partition broker holding n records on
// TopicSurveyRaw (values "r0" ... "r<n-1>", or "poison" at offset poison)
// and returns a consumer on it with the given workers and handle.
func workersStage(t *testing.T, n, poison, workers int, handle batchFunc) (*consumer, []string) {
	t.Helper()
	cfg := DefaultEmbeddedConfig()
	cfg.Partitions = 1
	e, err := StartEmbedded(t.Context(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	brokers := e.Addrs()
	w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: TopicSurveyRaw, BatchTimeout: time.Millisecond, RequiredAcks: kafka.RequireAll}
	defer w.Close()
	msgs := make([]kafka.Message, n)
	for i := range msgs {
		msgs[i].Value = fmt.Appendf(nil, "r%d", i)
		if i == poison {
			msgs[i].Value = []byte("poison")
		}
	}
	if err := w.WriteMessages(t.Context(), msgs...); err != nil {
		t.Fatal(err)
	}
	sc := StageConfig{Brokers: brokers, Group: "workers-test", BatchRows: 5, BatchWait: 50 * time.Millisecond, Workers: workers}
	if err := sc.defaults("workers-test"); err != nil {
		t.Fatal(err)
	}
	return &consumer{name: "test", cfg: sc, topics: []string{TopicSurveyRaw}, handle: handle, counter: &stageCounters{}, log: sc.Logger}, brokers
}

// Batches handled at once by several workers are committed in fetch order:
// every record is handled once, the group ends with no lag, and the
// workers did overlap (the earlier batches are the slower ones).
func TestWorkersCommitInOrder(t *testing.T) {
	const n = 40
	var mu sync.Mutex
	seen := map[int64]int{}
	var busy, maxBusy atomic.Int32
	c, brokers := workersStage(t, n, -1, 3, func(ctx context.Context, w int, batch []kafka.Message) error {
		b := busy.Add(1)
		defer busy.Add(-1)
		for m := maxBusy.Load(); b > m && !maxBusy.CompareAndSwap(m, b); m = maxBusy.Load() {
		}
		time.Sleep(time.Duration(n-batch[0].Offset) * 3 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		for _, m := range batch {
			seen[m.Offset]++
		}
		return nil
	})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- c.run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		lag, err := Lag(t.Context(), brokers, c.cfg.Group, TopicSurveyRaw)
		if err == nil && lag == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("lag %d (%v) after 30s", lag, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for off := range int64(n) {
		if seen[off] != 1 {
			t.Errorf("record %d handled %d times", off, seen[off])
		}
	}
	if maxBusy.Load() < 2 {
		t.Errorf("at most %d batch handled at once, want the workers to overlap", maxBusy.Load())
	}
}

// A batch that fails stops the stage, and no batch fetched after it is
// committed, though they were handled first: a restart replays from the
// failed batch.
func TestWorkersFailureCommitsNothingAfter(t *testing.T) {
	const n, poison = 40, 12
	var failedFrom atomic.Int64
	failedFrom.Store(-1)
	c, brokers := workersStage(t, n, poison, 3, func(ctx context.Context, w int, batch []kafka.Message) error {
		for _, m := range batch {
			if string(m.Value) == "poison" {
				failedFrom.Store(batch[0].Offset)
				time.Sleep(300 * time.Millisecond) // the batches after it finish first
				return errors.New("poison record")
			}
		}
		return nil
	})
	err := c.run(t.Context())
	if err == nil || !strings.Contains(err.Error(), "poison record") {
		t.Fatalf("run returned %v, want the batch's failure", err)
	}
	lag, lerr := Lag(t.Context(), brokers, c.cfg.Group, TopicSurveyRaw)
	if lerr != nil {
		t.Fatal(lerr)
	}
	if committed, from := n-lag, failedFrom.Load(); from < 0 || committed != from {
		t.Errorf("committed %d records, want exactly those before the failed batch (%d)", committed, from)
	}
	if c.counter.batches.Load() == 0 {
		t.Error("no batch committed before the failed one")
	}
}
