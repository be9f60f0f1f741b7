package pipelines

import (
	"context"
	"runtime"
	"sync"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// Extractor codes the text of one document. Implementations (nlp.Extractor)
// must be safe for concurrent use and deterministic; they report no errors:
// a text with nothing recognisable yields an empty extraction.
type Extractor interface {
	Extract(id, title, text string) fabbisogni.Extraction
}

// ExtractStage reads vacancies.raw and survey.raw, runs the extractor on
// each record, and produces the enriched record to vacancies.enriched or
// survey.enriched. A record that cannot be decoded or validated (or that
// makes the extractor panic) goes to the dead-letter topic with its source
// position; the rest of the batch goes on.
type ExtractStage struct {
	c        consumer
	ex       Extractor
	producer *Producer
	workers  int
}

// NewExtractStage returns the extract stage; Run starts it.
func NewExtractStage(cfg StageConfig, ex Extractor, p *Producer) (*ExtractStage, error) {
	if err := cfg.defaults(GroupExtract); err != nil {
		return nil, err
	}
	s := &ExtractStage{ex: ex, producer: p, workers: runtime.GOMAXPROCS(0)}
	s.c = consumer{name: "extract", cfg: cfg, topics: []string{TopicVacanciesRaw, TopicSurveyRaw}, counter: &stageCounters{},
		log: cfg.Logger.With("component", "extract")}
	s.c.handle = s.handle
	return s, nil
}

// Run consumes until ctx is cancelled, then drains (see StageConfig.DrainTimeout).
func (s *ExtractStage) Run(ctx context.Context) error { return s.c.run(ctx) }

// Stats returns the stage's counters.
func (s *ExtractStage) Stats() StageStats { return s.c.counter.snapshot() }

func (s *ExtractStage) handle(ctx context.Context, _ int, batch []kafka.Message) error {
	out := make([]kafka.Message, len(batch))
	failed := make([]error, len(batch))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(s.workers, len(batch)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], failed[i] = s.enrich(batch[i])
			}
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()

	msgs := make([]kafka.Message, 0, len(batch))
	var dead int64
	for i, m := range batch {
		if failed[i] != nil {
			d := deadLetterOf("extract", m, failed[i], s.c.cfg.Now())
			dm, err := d.message()
			if err != nil {
				return err
			}
			msgs = append(msgs, dm)
			dead++
			s.c.log.Warn("record dead-lettered", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset, "err", failed[i])
			continue
		}
		msgs = append(msgs, out[i])
	}
	if err := s.producer.write(ctx, msgs); err != nil {
		return err
	}
	s.c.counter.failed.Add(dead)
	s.c.counter.out.Add(int64(len(batch)) - dead)
	s.c.cfg.Metrics.count("extract", "failed", dead)
	s.c.cfg.Metrics.count("extract", "out", int64(len(batch))-dead)
	return nil
}

// enrich decodes, validates and extracts one record. Any error it returns
// is permanent for the record.
func (s *ExtractStage) enrich(m kafka.Message) (out kafka.Message, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fabbisogni.Errorf(fabbisogni.EInternal, "extractor panic on %s/%d@%d: %v", m.Topic, m.Partition, m.Offset, r)
		}
	}()
	switch m.Topic {
	case TopicVacanciesRaw:
		var v fabbisogni.Vacancy
		if err := decode(m.Value, &v); err != nil {
			return out, fabbisogni.Errorf(fabbisogni.EInvalid, "decode vacancy at %s/%d@%d: %v", m.Topic, m.Partition, m.Offset, err)
		}
		if err := v.Validate(); err != nil {
			return out, err
		}
		x := s.ex.Extract(v.ID, v.Title, v.Description)
		v.Extraction = &x
		return jsonMessage(TopicVacanciesEnriched, v.Key(), &v)
	case TopicSurveyRaw:
		var r fabbisogni.SurveyRecord
		if err := decode(m.Value, &r); err != nil {
			return out, fabbisogni.Errorf(fabbisogni.EInvalid, "decode survey record at %s/%d@%d: %v", m.Topic, m.Partition, m.Offset, err)
		}
		if err := r.Validate(); err != nil {
			return out, err
		}
		for i := range r.Needs {
			n := &r.Needs[i]
			x := s.ex.Extract(n.ID, n.OccupationText, n.SkillsText)
			n.Extraction = &x
		}
		return jsonMessage(TopicSurveyEnriched, r.Key(), &r)
	}
	return out, fabbisogni.Errorf(fabbisogni.EInvalid, "unexpected topic %s", m.Topic)
}
