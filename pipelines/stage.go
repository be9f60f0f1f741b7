package pipelines

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// StageConfig is what every consumer-group stage shares.
type StageConfig struct {
	Brokers    []string      // required
	Group      string        // consumer group; default per stage
	BatchRows  int           // records per batch at most; default 1000 (the sink: DefaultSinkBatchRows)
	BatchBytes int           // record bytes per batch at most (whichever of rows and bytes comes first); default 32 MiB (the sink: DefaultSinkBatchBytes)
	BatchWait  time.Duration // how long a batch waits to fill once it has a record; default 200ms
	// Workers is how many batches the stage processes at once; default 1.
	// They share the stage's one reader, so the process is one member of
	// its consumer group whatever the number, and offsets are committed in
	// the order the batches were fetched.
	Workers      int
	DrainTimeout time.Duration // on shutdown, time to finish and commit the open batch; default 30s
	MaxBackoff   time.Duration // retry back-off cap for retryable errors; default 10s
	Logger       *slog.Logger  // nil discards
	Metrics      *Metrics      // nil records none
	Now          func() time.Time
}

func (c *StageConfig) defaults(group string) error {
	if len(c.Brokers) == 0 {
		return fmt.Errorf("pipelines: stage %s: no brokers", group)
	}
	if c.Group == "" {
		c.Group = group
	}
	if c.BatchRows <= 0 {
		c.BatchRows = 1000
	}
	if c.BatchBytes <= 0 {
		c.BatchBytes = 32 << 20
	}
	if c.BatchWait <= 0 {
		c.BatchWait = 200 * time.Millisecond
	}
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.DrainTimeout <= 0 {
		c.DrainTimeout = 30 * time.Second
	}
	if c.MaxBackoff <= 0 {
		c.MaxBackoff = 10 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

// StageStats are a stage's counters since it started.
type StageStats struct {
	In      int64 // records fetched
	Out     int64 // records passed on (produced or inserted)
	Failed  int64 // records sent to the dead-letter topic
	Batches int64 // batches committed
	Retries int64 // retryable failures backed off
}

type stageCounters struct{ in, out, failed, batches, retries atomic.Int64 }

func (c *stageCounters) snapshot() StageStats {
	return StageStats{In: c.in.Load(), Out: c.out.Load(), Failed: c.failed.Load(), Batches: c.batches.Load(), Retries: c.retries.Load()}
}

// batchFunc processes one batch on worker w (0 <= w < Workers; no two
// batches are handled on the same worker at once). It returns nil when every
// record has been passed on or dead-lettered (durably), a retryable error to
// have the same batch retried after a back-off, or another error to stop the
// stage.
type batchFunc func(ctx context.Context, w int, batch []kafka.Message) error

// consumer runs the fetch / process / commit loop of one stage.
type consumer struct {
	name   string
	cfg    StageConfig
	topics []string
	// prepare, when set, is called once for each fetched batch before
	// handle, which may be called again on the same batch (retries). The
	// sink decodes the records there and drops their raw keys and values.
	prepare func(w int, batch []kafka.Message)
	handle  batchFunc
	counter *stageCounters
	log     *slog.Logger
}

// run consumes until ctx is cancelled, then finishes the open batches and
// commits them within DrainTimeout. Offsets are committed only after handle
// has returned nil for the batch and for every batch fetched before it, so a
// crash at any point replays the batches not yet durable (and the idempotent
// sink absorbs the replay).
func (c *consumer) run(ctx context.Context) error {
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers:                c.cfg.Brokers,
		GroupID:                c.cfg.Group,
		GroupTopics:            c.topics,
		MinBytes:               1,
		MaxBytes:               10 << 20,
		MaxWait:                250 * time.Millisecond,
		ReadBatchTimeout:       2 * time.Second,
		CommitInterval:         0, // synchronous commits, after the batch is durable downstream
		StartOffset:            kafka.FirstOffset,
		HeartbeatInterval:      time.Second,
		SessionTimeout:         10 * time.Second,
		RebalanceTimeout:       10 * time.Second,
		JoinGroupBackoff:       500 * time.Millisecond,
		ReadLagInterval:        -1,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
	})
	defer r.Close()
	// Processing and commits outlive the intake context by DrainTimeout.
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	stopDrain := context.AfterFunc(ctx, func() { time.AfterFunc(c.cfg.DrainTimeout, cancelWork) })
	defer stopDrain()
	// Intake stops when ctx is cancelled or a batch fails.
	intake, stopIntake := context.WithCancel(ctx)
	defer stopIntake()

	c.log.Info("stage started", "group", c.cfg.Group, "topics", c.topics, "workers", c.cfg.Workers)
	free := make(chan int, c.cfg.Workers) // idle workers
	for w := range c.cfg.Workers {
		free <- w
	}
	pending := make(chan *inflight, c.cfg.Workers) // batches in fetch order, for the committer
	committed := make(chan error, 1)
	go func() { committed <- c.commitInOrder(work, r, pending, stopIntake) }()

	var fetchErr error
	for intake.Err() == nil {
		var w int
		select {
		case w = <-free:
		case <-intake.Done():
			continue
		}
		// A worker is free before the batch is fetched: no more than
		// Workers batches are held at once, besides those awaiting commit.
		batch, err := c.fetch(intake, r, nil)
		if len(batch) == 0 {
			free <- w
		} else {
			j := &inflight{batch: batch, start: time.Now(), done: make(chan struct{})}
			pending <- j
			go func() {
				defer close(j.done)
				if c.prepare != nil {
					c.prepare(w, batch)
				}
				j.err = c.process(work, w, batch)
				free <- w
			}()
		}
		if err != nil && intake.Err() == nil {
			fetchErr = fmt.Errorf("pipelines: stage %s: fetch: %w", c.name, err)
			break
		}
	}
	close(pending)
	if err := <-committed; err != nil {
		return err
	}
	if fetchErr != nil {
		return fetchErr
	}
	c.log.Info("stage stopped", "group", c.cfg.Group)
	return nil
}

// inflight is a fetched batch on its way to the commit.
type inflight struct {
	batch []kafka.Message
	start time.Time
	done  chan struct{} // closed when handle is finished with the batch
	err   error         // handle's, once done is closed
}

// commitInOrder commits the batches of pending in their order, each once it
// and every batch before it are durable downstream. After a batch fails it
// commits nothing more, stops the intake, waits for the batches in hand and
// returns the failure.
func (c *consumer) commitInOrder(ctx context.Context, r *kafka.Reader, pending <-chan *inflight, stopIntake func()) error {
	var failed error
	for j := range pending {
		<-j.done
		switch {
		case failed != nil:
			continue
		case j.err != nil:
			failed = j.err
			stopIntake()
			continue
		}
		if err := r.CommitMessages(ctx, j.batch...); err != nil {
			// The batch is durable downstream; an uncommitted batch is
			// replayed and absorbed by idempotent inserts.
			c.log.Warn("commit failed; batch will be replayed", "rows", len(j.batch), "err", err)
		} else {
			c.counter.batches.Add(1)
		}
		c.cfg.Metrics.batch(c.name, len(j.batch), time.Since(j.start))
	}
	return failed
}

// fetch blocks for the first record, then fills the batch (appended to
// batch, empty) for at most BatchWait, BatchRows records or BatchBytes
// bytes of keys and values.
func (c *consumer) fetch(ctx context.Context, r *kafka.Reader, batch []kafka.Message) ([]kafka.Message, error) {
	m, err := r.FetchMessage(ctx)
	if err != nil {
		return batch, err
	}
	batch = append(batch, m)
	size := len(m.Key) + len(m.Value)
	fctx, cancel := context.WithTimeout(ctx, c.cfg.BatchWait)
	defer cancel()
	for len(batch) < c.cfg.BatchRows && size < c.cfg.BatchBytes {
		m, err := r.FetchMessage(fctx)
		if err != nil {
			if ctx.Err() != nil {
				return batch, ctx.Err()
			}
			break // the batch window closed
		}
		batch = append(batch, m)
		size += len(m.Key) + len(m.Value)
	}
	c.counter.in.Add(int64(len(batch)))
	c.cfg.Metrics.count(c.name, "in", int64(len(batch)))
	return batch, nil
}

// process calls handle until it succeeds, backing off on retryable errors.
func (c *consumer) process(ctx context.Context, w int, batch []kafka.Message) error {
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := c.handle(ctx, w, batch)
		if err == nil {
			return nil
		}
		if !isRetryable(err) || ctx.Err() != nil {
			return fmt.Errorf("pipelines: stage %s: batch of %d from %s/%d@%d: %w", c.name, len(batch), batch[0].Topic, batch[0].Partition, batch[0].Offset, err)
		}
		c.counter.retries.Add(1)
		c.cfg.Metrics.retry(c.name)
		c.log.Warn("retryable failure, backing off", "rows", len(batch), "attempt", attempt, "backoff_ms", backoff.Milliseconds(), "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("pipelines: stage %s: gave up on batch of %d while draining: %w", c.name, len(batch), err)
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, c.cfg.MaxBackoff)
	}
}

// isRetryable: errors marked EUnavailable by the package that knows (the
// warehouse), and broker errors kafka-go calls temporary.
func isRetryable(err error) bool {
	if fabbisogni.ErrorCode(err) == fabbisogni.EUnavailable {
		return true
	}
	var ke kafka.Error
	if errors.As(err, &ke) {
		return ke.Temporary()
	}
	var we kafka.WriteErrors
	if errors.As(err, &we) {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || isNetErr(err)
}
