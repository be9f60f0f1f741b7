package pipelines

import (
	"context"
	"slices"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
)

// Sink stores enriched records durably (warehouse.Warehouse). Inserts must
// be idempotent: inserting the same records twice leaves the same data.
// Errors with code fabbisogni.EUnavailable are retried with back-off; any
// other error is taken as a problem with the records, and the stage splits
// the batch to find and dead-letter the ones that fail alone. Implementations
// must be safe for concurrent use, and must not keep vs or rs (nor anything
// they point to) after returning: the stage reuses them for its next batch.
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
// batches; offsets are committed only after the insert succeeded. With
// StageConfig.Workers above 1 it inserts that many batches at once.
type SinkStage struct {
	c        consumer
	sink     Sink
	producer *Producer    // for dead letters
	slots    []*sinkBatch // by worker
}

// sinkBatch is the batch in hand of one worker, decoded once (prepare) for
// every insert attempt (handle). The raw records are dropped as they are
// decoded: a dead letter of a record that fails its insert reads it again
// from its topic (readSources), which keeps it until the batch is
// committed.
type sinkBatch struct {
	s     *SinkStage
	vs    []fabbisogni.Vacancy // reused from batch to batch
	vm    []int                // index in the batch of each of vs
	rs    []fabbisogni.SurveyRecord
	rm    []int
	undec []DeadLetter // records that could not be decoded, with their value
	arena extractionArena
}

// extractionArena holds the extractions of a batch's vacancies, with room
// for arenaSkills skill mentions and arenaOccupations occupations each, in
// arrays kept from batch to batch. The decoder fills the slices it is given
// within their capacity, so most vacancies cost no allocation of these
// (the decoder's own slices start at 4 elements and grow to 8 by copying).
type extractionArena struct {
	ext []fabbisogni.Extraction
	sk  []fabbisogni.SkillMention
	occ []fabbisogni.OccupationMatch
}

const arenaSkills, arenaOccupations = 6, 2

// slot returns the extraction of vacancy k of the batch, empty, with
// room for its mentions and occupations.
func (a *extractionArena) slot(k int) *fabbisogni.Extraction {
	x := &a.ext[k]
	x.Skills = a.sk[k*arenaSkills : k*arenaSkills : (k+1)*arenaSkills]
	x.Occupations = a.occ[k*arenaOccupations : k*arenaOccupations : (k+1)*arenaOccupations]
	return x
}

// reserve makes room for n vacancies. The slots of a batch are all in
// the same arrays: it is called before the first.
func (a *extractionArena) reserve(n int) {
	if n > len(a.ext) {
		a.ext = make([]fabbisogni.Extraction, n)
		a.sk = make([]fabbisogni.SkillMention, n*arenaSkills)
		a.occ = make([]fabbisogni.OccupationMatch, n*arenaOccupations)
	}
}

// clear empties slots [lo, hi): the decoder decodes into the elements it
// finds, so none may keep a field of an earlier record.
func (a *extractionArena) clear(lo, hi int) {
	hi = min(hi, len(a.ext))
	if lo >= hi {
		return
	}
	clear(a.ext[lo:hi])
	clear(a.sk[lo*arenaSkills : hi*arenaSkills])
	clear(a.occ[lo*arenaOccupations : hi*arenaOccupations])
}

// unset reports whether the decoder left x as slot gave it: the record had
// no extraction (or an empty one, which the warehouse stores the same way).
func unset(x *fabbisogni.Extraction) bool {
	a := &x.Attributes
	return x.ID == "" && x.Language == "" && len(x.Occupations) == 0 && x.ISCOGroup == nil && len(x.Skills) == 0 &&
		x.TaxonomyVersion == "" && x.ExtractorVersion == "" && x.Error == "" &&
		a.Contract == nil && a.EQF == 0 && a.Education == "" && a.ExperienceYears == 0 && a.DrivingLicences == nil &&
		!a.Forklift && !a.Shifts && a.Languages == nil && a.Certificates == nil
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
	for range cfg.Workers {
		s.slots = append(s.slots, &sinkBatch{s: s})
	}
	s.c.prepare = func(w int, batch []kafka.Message) { s.slots[w].decode(batch) }
	s.c.handle = func(ctx context.Context, w int, batch []kafka.Message) error { return s.slots[w].handle(ctx, batch) }
	return s, nil
}

// Run consumes until ctx is cancelled, then drains.
func (s *SinkStage) Run(ctx context.Context) error { return s.c.run(ctx) }

// Stats returns the stage's counters.
func (s *SinkStage) Stats() StageStats { return s.c.counter.snapshot() }

// decode decodes the batch straight into the slices handed to the sink and
// drops each record's raw key and value (the batch keeps the topic,
// partition and offset, for the commit and dead letters): the batch is not
// held twice, raw and decoded, while it is inserted.
func (b *sinkBatch) decode(batch []kafka.Message) {
	b.reset()
	b.arena.reserve(len(batch))
	if cap(b.vs) < len(batch) {
		b.vs, b.vm = make([]fabbisogni.Vacancy, 0, len(batch)), make([]int, 0, len(batch))
	}
	for i := range batch {
		m := &batch[i]
		switch m.Topic {
		case TopicVacanciesEnriched:
			k := len(b.vs)
			x := b.arena.slot(k)
			b.vs = append(b.vs, fabbisogni.Vacancy{Extraction: x})
			v := &b.vs[k]
			if err := decode(m.Value, v); err != nil {
				*v = fabbisogni.Vacancy{} // the slots are reused: no field of the failed record may stay
				b.arena.clear(k, k+1)
				b.vs = b.vs[:k]
				b.undec = append(b.undec, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode vacancy: %v", err), b.s.c.cfg.Now()))
				break
			}
			if v.Extraction == x && unset(x) {
				v.Extraction = nil
			}
			b.vm = append(b.vm, i)
		case TopicSurveyEnriched:
			var r fabbisogni.SurveyRecord
			if err := decode(m.Value, &r); err != nil {
				b.undec = append(b.undec, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "decode survey record: %v", err), b.s.c.cfg.Now()))
				break
			}
			b.rs, b.rm = append(b.rs, r), append(b.rm, i)
		default:
			b.undec = append(b.undec, deadLetterOf("sink", *m, fabbisogni.Errorf(fabbisogni.EInvalid, "unexpected topic %s", m.Topic), b.s.c.cfg.Now()))
		}
		m.Key, m.Value, m.Headers = nil, nil, nil
	}
}

// reset lets go of the batch in hand, keeping the capacity of vs.
func (b *sinkBatch) reset() {
	b.arena.clear(0, len(b.vs))
	clear(b.vs)
	b.vs, b.vm = b.vs[:0], b.vm[:0]
	b.rs, b.rm, b.undec = nil, nil, nil
}

func (b *sinkBatch) handle(ctx context.Context, batch []kafka.Message) error {
	dead := slices.Clone(b.undec)
	toDead := func(idx []int) func(int, error) DeadLetter {
		return func(i int, err error) DeadLetter {
			// the record's key and value were dropped by decode: readSources fills them in
			return deadLetterOf("sink", batch[idx[i]], err, b.s.c.cfg.Now())
		}
	}
	var err error
	dead, err = insertSplitting(ctx, 0, len(b.vs), func(ctx context.Context, lo, hi int) error {
		return b.s.sink.InsertVacancies(ctx, b.vs[lo:hi])
	}, toDead(b.vm), dead)
	if err != nil {
		return err
	}
	dead, err = insertSplitting(ctx, 0, len(b.rs), func(ctx context.Context, lo, hi int) error {
		return b.s.sink.InsertSurvey(ctx, b.rs[lo:hi])
	}, toDead(b.rm), dead)
	if err != nil {
		return err
	}
	if len(dead) > len(b.undec) {
		// Records that failed their insert: their key and value were dropped
		// after decoding; read them again from the source topic.
		if err := readSources(ctx, b.s.c.cfg.Brokers, dead[len(b.undec):]); err != nil {
			return err
		}
	}
	if len(dead) > 0 {
		if err := b.s.producer.PublishDeadLetters(ctx, dead...); err != nil {
			return err
		}
		for _, d := range dead {
			b.s.c.log.Warn("record dead-lettered", "topic", d.Topic, "partition", d.Partition, "offset", d.Offset, "err", d.Reason)
		}
	}
	b.s.c.counter.failed.Add(int64(len(dead)))
	b.s.c.counter.out.Add(int64(len(batch) - len(dead)))
	b.s.c.cfg.Metrics.count("sink", "failed", int64(len(dead)))
	b.s.c.cfg.Metrics.count("sink", "out", int64(len(batch)-len(dead)))
	b.reset()
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
