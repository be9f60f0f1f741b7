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

// DefaultSinkBatchRows is the sink's batch size when StageConfig.BatchRows is 0.
const DefaultSinkBatchRows = 10000

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
		// ClickHouse wants few large inserts: 10,000 rows a batch cost it a
		// third of the CPU of 1,000 (bench/README.md), freshness stays well
		// under a second.
		cfg.BatchRows = DefaultSinkBatchRows
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

type vacancyRec struct {
	m kafka.Message
	v fabbisogni.Vacancy
}

type surveyRec struct {
	m kafka.Message
	r fabbisogni.SurveyRecord
}

func (s *SinkStage) handle(ctx context.Context, batch []kafka.Message) error {
	vs := make([]vacancyRec, 0, len(batch))
	var rs []surveyRec
	var dead []DeadLetter
	for _, m := range batch {
		switch m.Topic {
		case TopicVacanciesEnriched:
			var v fabbisogni.Vacancy
			if err := decode(m.Value, &v); err != nil {
				dead = append(dead, deadLetterOf("sink", m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode vacancy: %v", err), s.c.cfg.Now()))
				continue
			}
			vs = append(vs, vacancyRec{m, v})
		case TopicSurveyEnriched:
			var r fabbisogni.SurveyRecord
			if err := decode(m.Value, &r); err != nil {
				dead = append(dead, deadLetterOf("sink", m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode survey record: %v", err), s.c.cfg.Now()))
				continue
			}
			rs = append(rs, surveyRec{m, r})
		default:
			dead = append(dead, deadLetterOf("sink", m, fabbisogni.Errorf(fabbisogni.EInvalid, "unexpected topic %s", m.Topic), s.c.cfg.Now()))
		}
	}
	var err error
	dead, err = insertSplitting(ctx, vs, func(ctx context.Context, part []vacancyRec) error {
		b := make([]fabbisogni.Vacancy, len(part))
		for i := range part {
			b[i] = part[i].v
		}
		return s.sink.InsertVacancies(ctx, b)
	}, func(r vacancyRec, err error) DeadLetter { return deadLetterOf("sink", r.m, err, s.c.cfg.Now()) }, dead)
	if err != nil {
		return err
	}
	dead, err = insertSplitting(ctx, rs, func(ctx context.Context, part []surveyRec) error {
		b := make([]fabbisogni.SurveyRecord, len(part))
		for i := range part {
			b[i] = part[i].r
		}
		return s.sink.InsertSurvey(ctx, b)
	}, func(r surveyRec, err error) DeadLetter { return deadLetterOf("sink", r.m, err, s.c.cfg.Now()) }, dead)
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

// insertSplitting inserts recs; on a permanent error it bisects the batch
// until the records that fail alone are found, and returns them as dead
// letters appended to dead. Retryable errors are returned as they are, for
// the whole batch to be retried.
func insertSplitting[T any](ctx context.Context, recs []T, insert func(context.Context, []T) error, toDead func(T, error) DeadLetter, dead []DeadLetter) ([]DeadLetter, error) {
	if len(recs) == 0 {
		return dead, nil
	}
	err := insert(ctx, recs)
	switch {
	case err == nil:
		return dead, nil
	case isRetryable(err) || ctx.Err() != nil:
		return dead, err
	case len(recs) == 1:
		return append(dead, toDead(recs[0], err)), nil
	}
	mid := len(recs) / 2
	if dead, err = insertSplitting(ctx, recs[:mid], insert, toDead, dead); err != nil {
		return dead, err
	}
	return insertSplitting(ctx, recs[mid:], insert, toDead, dead)
}
