package pipelines

import (
	"context"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// Sink stores enriched records durably (warehouse.Warehouse). Inserts must
// be idempotent: inserting the same records twice leaves the same data.
// Errors with code fabbisogni.EUnavailable are retried with back-off; any
// other error is taken as a problem with the records, and the stage splits
// the batch to find and dead-letter the ones that fail alone. Implementations
// must be safe for concurrent use.
type Sink interface {
	InsertVacancies(ctx context.Context, vs []fabbisogni.Vacancy) error
	InsertSurvey(ctx context.Context, rs []fabbisogni.SurveyRecord) error
}

// The sink's batch bounds when StageConfig.BatchRows or BatchBytes is 0.
const (
	DefaultSinkBatchRows  = 50000
	DefaultSinkBatchBytes = 160 << 20
)

// SinkStage reads vacancies.enriched and survey.enriched and inserts them in
// batches; offsets are committed only after the insert succeeded.
type SinkStage struct {
	c        consumer
	sink     Sink
	producer *Producer // for dead letters
}

// NewSinkStage returns the sink stage; Run starts it.
func NewSinkStage(cfg StageConfig, sink Sink, p *Producer) (*SinkStage, error) {
	if cfg.BatchRows <= 0 {
		// ClickHouse wants few large inserts (fewer parts to merge): 10,000
		// rows a batch cost it a third of the CPU of 1,000, 50,000 rows about
		// three quarters of the CPU of 25,000 (bench/README.md). The
		// warehouse streams a batch in chunks, so its size costs the sink
		// memory only for the records themselves. Freshness is bounded by
		// BatchWait, not by this.
		cfg.BatchRows = DefaultSinkBatchRows
	}
	if cfg.BatchBytes <= 0 {
		cfg.BatchBytes = DefaultSinkBatchBytes // 50,000 enriched vacancies of 2.7 kB are 133 MB
	}
	if err := cfg.defaults(GroupSink); err != nil {
		return nil, err
	}
	s := &SinkStage{sink: sink, producer: p}
	s.c = consumer{name: "sink", cfg: cfg, topics: []string{TopicVacanciesEnriched, TopicSurveyEnriched}, counter: &stageCounters{},
		log: cfg.Logger.With("component", "sink")}
	s.c.handle = s.handle
	return s, nil
}

// Run consumes until ctx is cancelled, then drains.
func (s *SinkStage) Run(ctx context.Context) error { return s.c.run(ctx) }

// Stats returns the stage's counters.
func (s *SinkStage) Stats() StageStats { return s.c.counter.snapshot() }

func (s *SinkStage) handle(ctx context.Context, batch []kafka.Message) error {
	// Records are decoded straight into the slices handed to the sink; vm
	// and rm hold each record's index in batch, for dead letters.
	vs := make([]fabbisogni.Vacancy, 0, len(batch))
	vm := make([]int, 0, len(batch))
	var rs []fabbisogni.SurveyRecord
	var rm []int
	var dead []DeadLetter
	for i := range batch {
		m := &batch[i]
		switch m.Topic {
		case TopicVacanciesEnriched:
			vs = vs[:len(vs)+1]
			if err := decode(m.Value, &vs[len(vs)-1]); err != nil {
				vs[len(vs)-1] = fabbisogni.Vacancy{} // the slot is reused: no field of the failed record may stay
				vs = vs[:len(vs)-1]
				dead = append(dead, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode vacancy: %v", err), s.c.cfg.Now()))
				continue
			}
			vm = append(vm, i)
		case TopicSurveyEnriched:
			var r fabbisogni.SurveyRecord
			if err := decode(m.Value, &r); err != nil {
				dead = append(dead, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode survey record: %v", err), s.c.cfg.Now()))
				continue
			}
			rs, rm = append(rs, r), append(rm, i)
		default:
			dead = append(dead, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "unexpected topic %s", m.Topic), s.c.cfg.Now()))
		}
	}
	toDead := func(idx []int) func(int, error) DeadLetter {
		return func(i int, err error) DeadLetter { return deadLetterOf("sink", batch[idx[i]], err, s.c.cfg.Now()) }
	}
	var err error
	dead, err = insertSplitting(ctx, 0, len(vs), func(ctx context.Context, lo, hi int) error {
		return s.sink.InsertVacancies(ctx, vs[lo:hi])
	}, toDead(vm), dead)
	if err != nil {
		return err
	}
	dead, err = insertSplitting(ctx, 0, len(rs), func(ctx context.Context, lo, hi int) error {
		return s.sink.InsertSurvey(ctx, rs[lo:hi])
	}, toDead(rm), dead)
	if err != nil {
		return err
	}
	if len(dead) > 0 {
		if err := s.producer.PublishDeadLetters(ctx, dead...); err != nil {
			return err
		}
		for _, d := range dead {
			s.c.log.Warn("record dead-lettered", "topic", d.Topic, "partition", d.Partition, "offset", d.Offset, "err", d.Reason)
		}
	}
	s.c.counter.failed.Add(int64(len(dead)))
	s.c.counter.out.Add(int64(len(batch) - len(dead)))
	s.c.cfg.Metrics.count("sink", "failed", int64(len(dead)))
	s.c.cfg.Metrics.count("sink", "out", int64(len(batch)-len(dead)))
	return nil
}

// insertSplitting inserts records [lo, hi); on a permanent error it bisects
// the range until the records that fail alone are found, and returns them
// as dead letters (toDead(i, err) for record i) appended to dead. Retryable
// errors are returned as they are, for the whole batch to be retried.
func insertSplitting(ctx context.Context, lo, hi int, insert func(ctx context.Context, lo, hi int) error, toDead func(int, error) DeadLetter, dead []DeadLetter) ([]DeadLetter, error) {
	if hi <= lo {
		return dead, nil
	}
	err := insert(ctx, lo, hi)
	switch {
	case err == nil:
		return dead, nil
	case isRetryable(err) || ctx.Err() != nil:
		return dead, err
	case hi-lo == 1:
		return append(dead, toDead(lo, err)), nil
	}
	mid := lo + (hi-lo)/2
	if dead, err = insertSplitting(ctx, lo, mid, insert, toDead, dead); err != nil {
		return dead, err
	}
	return insertSplitting(ctx, mid, hi, insert, toDead, dead)
}
