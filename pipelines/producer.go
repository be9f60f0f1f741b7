package pipelines

import (
	"context"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// ProducerConfig configures a Producer.
type ProducerConfig struct {
	Brokers      []string      // required
	BatchSize    int           // records per produce request; default 500
	BatchTimeout time.Duration // how long a partial batch waits; default 5ms
	WriteTimeout time.Duration // default 30s
}

// Producer publishes records with acks from all in-sync replicas, keyed by
// the record's stable id so one entity always lands on one partition. It is
// safe for concurrent use.
type Producer struct {
	w *kafka.Writer
}

// NewProducer returns a producer. Publish calls are synchronous: when they
// return nil the records are durable in the broker.
func NewProducer(cfg ProducerConfig) (*Producer, error) {
	if len(cfg.Brokers) == 0 {
		return nil, fmt.Errorf("pipelines: producer: no brokers")
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = 500
	}
	if cfg.BatchTimeout == 0 {
		cfg.BatchTimeout = 5 * time.Millisecond
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	return &Producer{w: &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll, // never the default (none)
		Async:        false,            // Async drops errors
		BatchSize:    cfg.BatchSize,
		BatchBytes:   1 << 20,
		BatchTimeout: cfg.BatchTimeout,
		WriteTimeout: cfg.WriteTimeout,
		MaxAttempts:  5,
		Compression:  kafka.Lz4,
	}}, nil
}

// Close flushes and closes the producer.
func (p *Producer) Close() error { return p.w.Close() }

// PublishVacancies publishes raw vacancies to vacancies.raw.
func (p *Producer) PublishVacancies(ctx context.Context, vs ...fabbisogni.Vacancy) error {
	msgs := make([]kafka.Message, 0, len(vs))
	for i := range vs {
		m, err := jsonMessage(TopicVacanciesRaw, vs[i].Key(), &vs[i])
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	return p.write(ctx, msgs)
}

// PublishSurvey publishes raw survey records to survey.raw.
func (p *Producer) PublishSurvey(ctx context.Context, rs ...fabbisogni.SurveyRecord) error {
	msgs := make([]kafka.Message, 0, len(rs))
	for i := range rs {
		m, err := jsonMessage(TopicSurveyRaw, rs[i].Key(), &rs[i])
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	return p.write(ctx, msgs)
}

// PublishDeadLetters publishes dead letters to the dlq topic.
func (p *Producer) PublishDeadLetters(ctx context.Context, ds ...DeadLetter) error {
	msgs := make([]kafka.Message, 0, len(ds))
	for i := range ds {
		m, err := ds[i].message()
		if err != nil {
			return err
		}
		msgs = append(msgs, m)
	}
	return p.write(ctx, msgs)
}

func (p *Producer) write(ctx context.Context, msgs []kafka.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := p.w.WriteMessages(ctx, msgs...); err != nil {
		return fmt.Errorf("pipelines: produce %d records to %s: %w", len(msgs), msgs[0].Topic, err)
	}
	return nil
}

func jsonMessage(topic, key string, v any) (kafka.Message, error) {
	b, err := encode(v)
	if err != nil {
		return kafka.Message{}, fabbisogni.Errorf(fabbisogni.EInvalid, "pipelines: encode %s record %s: %v", topic, key, err)
	}
	return kafka.Message{Topic: topic, Key: []byte(key), Value: b}, nil
}
