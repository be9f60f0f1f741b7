package pipelines_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// wordExtractor is a deterministic stand-in for the NLP stage: every word
// "saldatura" is a skill mention. The real extractor is tested in nlp and
// end to end in cmd/fabbisogni.
type wordExtractor struct{}

func (wordExtractor) Extract(id, title, text string) fabbisogni.Extraction {
	doc := title + "\n" + text
	x := fabbisogni.Extraction{ID: id, Language: "it", TaxonomyVersion: "test", ExtractorVersion: "test"}
	if title == "PANIC" {
		panic("boom")
	}
	for i := 0; ; {
		j := strings.Index(doc[i:], "saldatura")
		if j < 0 {
			break
		}
		x.Skills = append(x.Skills, fabbisogni.SkillMention{URI: "skill:welding", Label: "welding", Text: "saldatura", Start: i + j, End: i + j + 9})
		i += j + 9
	}
	return x
}

// TestBrokerOverTCP: the embedded broker is a real Kafka-protocol server on
// a loopback port; a plain kafka-go connection (the code path used against a
// real cluster) produces and reads back through it.
func TestBrokerOverTCP(t *testing.T) {
	addrs := testservers.Broker(t)
	host, _, err := net.SplitHostPort(addrs[0])
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("broker address %q, want 127.0.0.1:port", addrs[0])
	}
	conn, err := kafka.DialLeader(t.Context(), "tcp", addrs[0], pipelines.TopicDeadLetter, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.WriteMessages(kafka.Message{Value: []byte("over the wire")}); err != nil {
		t.Fatal(err)
	}
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	m, err := conn.ReadMessage(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Value) != "over the wire" {
		t.Fatalf("read %q", m.Value)
	}
}

// TestStagesIntoClickHouse runs both stages on the embedded broker into a
// real ClickHouse: good records arrive once, a malformed one and one that
// makes the extractor panic go to the dead-letter topic, and replaying the
// whole input changes no count.
func TestStagesIntoClickHouse(t *testing.T) {
	brokers := testservers.Broker(t)
	w := testservers.Warehouse(t)
	ctx := t.Context()
	p := newProducer(t, brokers)

	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var vs []fabbisogni.Vacancy
	for i := 0; i < 50; i++ {
		vs = append(vs, fabbisogni.Vacancy{
			ID: "v" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Title: "Saldatore", Description: "Esperienza di saldatura a filo e saldatura TIG.",
			District: "torino-automotive", Openings: 1, Provenance: fabbisogni.Provenance{Source: "test", FetchedAt: now},
		})
	}
	vs = append(vs, fabbisogni.Vacancy{ID: "vpanic", Title: "PANIC", Description: "x", Openings: 1, Provenance: fabbisogni.Provenance{Source: "test", FetchedAt: now}})
	rec := fabbisogni.SurveyRecord{
		Firm:    fabbisogni.Firm{ID: "01234567890", Name: "ROSSI SRL", District: "torino-automotive"},
		Contact: fabbisogni.ContactOutcome{ID: "c1", FirmID: "01234567890", Campaign: "q3", Date: now, Outcome: fabbisogni.OutcomeReached},
		Needs: []fabbisogni.HiringNeed{{ID: "n1", FirmID: "01234567890", OccupationText: "saldatore", SkillsText: "saldatura", Hires: 2,
			Horizon: fabbisogni.Horizon3Months}},
		Provenance: fabbisogni.Provenance{Source: "q3", FetchedAt: now},
	}

	produce := func() {
		if err := p.PublishVacancies(ctx, vs...); err != nil {
			t.Fatal(err)
		}
		if err := p.PublishSurvey(ctx, rec); err != nil {
			t.Fatal(err)
		}
		poison := &kafka.Writer{Addr: kafka.TCP(brokers...), RequiredAcks: kafka.RequireAll, BatchTimeout: time.Millisecond}
		defer poison.Close()
		if err := poison.WriteMessages(ctx, kafka.Message{Topic: pipelines.TopicVacanciesRaw, Key: []byte("bad"), Value: []byte(`{"id": 12,`)}); err != nil {
			t.Fatal(err)
		}
	}
	run := func() {
		sctx, stop := context.WithCancel(ctx)
		cfg := pipelines.StageConfig{Brokers: brokers, BatchRows: 20, BatchWait: 50 * time.Millisecond}
		ex, err := pipelines.NewExtractStage(cfg, wordExtractor{}, p)
		if err != nil {
			t.Fatal(err)
		}
		sk, err := pipelines.NewSinkStage(cfg, w, p)
		if err != nil {
			t.Fatal(err)
		}
		errc := make(chan error, 2)
		go func() { errc <- ex.Run(sctx) }()
		go func() { errc <- sk.Run(sctx) }()
		if err := pipelines.WaitDrained(ctx, brokers, 2*time.Minute); err != nil {
			t.Fatal(err)
		}
		stop()
		for i := 0; i < 2; i++ {
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		}
	}

	produce()
	run()
	want := map[string]uint64{"vacancies": 50, "vacancy_skills": 100, "firms": 1, "contacts": 1, "hiring_needs": 1, "hiring_need_skills": 1}
	checkCounts(t, w, want)
	dls, err := pipelines.ReadDeadLetters(ctx, brokers, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(dls) != 2 {
		t.Fatalf("%d dead letters, want 2 (malformed, panic): %+v", len(dls), dls)
	}
	for _, d := range dls {
		if d.Topic != pipelines.TopicVacanciesRaw || d.Reason == "" || d.Stage != "extract" {
			t.Errorf("dead letter %+v lacks its source or reason", d)
		}
	}

	// A replay of the same input (a re-crawl, or offsets lost) leaves the same counts.
	produce()
	run()
	checkCounts(t, w, want)
}

// newProducer is a producer on brokers, closed when the test ends.
func newProducer(t *testing.T, brokers []string) *pipelines.Producer {
	t.Helper()
	p, err := pipelines.NewProducer(pipelines.ProducerConfig{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func checkCounts(t *testing.T, w *warehouse.Warehouse, want map[string]uint64) {
	t.Helper()
	cs, err := w.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Rows != want[c.Table] {
			t.Errorf("%s: %d rows, want %d", c.Table, c.Rows, want[c.Table])
		}
	}
}

// TestTrimCommitted: after the stages have committed everything, trimming
// deletes the consumed records from the embedded broker (its log start
// offset moves to the committed offset), and what is not committed stays.
func TestTrimCommitted(t *testing.T) {
	brokers := testservers.Broker(t)
	w := testservers.Warehouse(t)
	ctx := t.Context()
	p := newProducer(t, brokers)
	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var vs []fabbisogni.Vacancy
	for i := 0; i < 300; i++ {
		vs = append(vs, fabbisogni.Vacancy{ID: fmt.Sprintf("t%03d", i), Title: "x", Openings: 1, Provenance: fabbisogni.Provenance{Source: "t", FetchedAt: now}})
	}
	if err := p.PublishVacancies(ctx, vs...); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	cfg := pipelines.StageConfig{Brokers: brokers, BatchRows: 50, BatchWait: 10 * time.Millisecond}
	ex, _ := pipelines.NewExtractStage(cfg, wordExtractor{}, p)
	sk, _ := pipelines.NewSinkStage(cfg, w, p)
	errc := make(chan error, 2)
	go func() { errc <- ex.Run(sctx) }()
	go func() { errc <- sk.Run(sctx) }()
	if err := pipelines.WaitDrained(ctx, brokers, time.Minute); err != nil {
		t.Fatal(err)
	}
	stop()
	<-errc
	<-errc
	n, err := pipelines.TrimCommitted(ctx, brokers[0])
	if err != nil {
		t.Fatal(err)
	}
	if n != 600 { // 300 raw + 300 enriched
		t.Fatalf("trimmed %d records, want 600", n)
	}
	if n, err := pipelines.TrimCommitted(ctx, brokers[0]); err != nil || n != 0 {
		t.Fatalf("second trim: %d, %v; want 0", n, err)
	}
	// The raw topic now starts where the extract group committed.
	client := &kafka.Client{Addr: kafka.TCP(brokers...)}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{pipelines.TopicVacanciesRaw}})
	if err != nil {
		t.Fatal(err)
	}
	req := map[string][]kafka.OffsetRequest{}
	for _, pt := range md.Topics[0].Partitions {
		req[pipelines.TopicVacanciesRaw] = append(req[pipelines.TopicVacanciesRaw], kafka.FirstOffsetOf(pt.ID), kafka.LastOffsetOf(pt.ID))
	}
	offs, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: req})
	if err != nil {
		t.Fatal(err)
	}
	for _, po := range offs.Topics[pipelines.TopicVacanciesRaw] {
		if po.FirstOffset != po.LastOffset {
			t.Errorf("partition %d keeps offsets %d..%d after trimming", po.Partition, po.FirstOffset, po.LastOffset)
		}
	}
}

// TestReplayDeadLetters: dead letters from a topic are re-published to it
// once; rows rejected at import are skipped; a second replay finds nothing.
func TestReplayDeadLetters(t *testing.T) {
	brokers := testservers.Broker(t)
	ctx := t.Context()
	p := newProducer(t, brokers)
	err := p.PublishDeadLetters(ctx,
		pipelines.DeadLetter{Stage: "extract", Reason: "decode", Topic: pipelines.TopicVacanciesRaw, Partition: 1, Offset: 7, Key: "v1", Value: `{"id":"v1"}`},
		pipelines.DeadLetter{Stage: "survey-import", Reason: "bad partita IVA", Source: "campagna.csv::12"},
		pipelines.DeadLetter{Stage: "sink", Reason: "type", Topic: pipelines.TopicSurveyEnriched, Key: "f1", Value: `{"firm":{}}`},
	)
	if err != nil {
		t.Fatal(err)
	}
	st, err := pipelines.ReplayDeadLetters(ctx, brokers, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Read != 3 || st.Replayed != 2 || st.Skipped != 1 {
		t.Fatalf("replay %+v, want 3 read, 2 replayed, 1 skipped", st)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: pipelines.TopicVacanciesRaw, Partition: partitionOf(t, brokers, "v1")})
	defer r.Close()
	m, err := r.ReadMessage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Key) != "v1" || string(m.Value) != `{"id":"v1"}` {
		t.Fatalf("replayed %s=%s", m.Key, m.Value)
	}
	st, err = pipelines.ReplayDeadLetters(ctx, brokers, p, nil)
	if err != nil || st.Read != 0 {
		t.Fatalf("second replay %+v, %v; want nothing read", st, err)
	}
}

func partitionOf(t *testing.T, brokers []string, key string) int {
	t.Helper()
	client := &kafka.Client{Addr: kafka.TCP(brokers...)}
	md, err := client.Metadata(t.Context(), &kafka.MetadataRequest{Topics: []string{pipelines.TopicVacanciesRaw}})
	if err != nil {
		t.Fatal(err)
	}
	n := len(md.Topics[0].Partitions)
	parts := make([]int, n)
	for i := range parts {
		parts[i] = i
	}
	return (&kafka.Hash{}).Balance(kafka.Message{Key: []byte(key)}, parts...)
}

// FuzzDecodeRecord: whatever bytes arrive on a topic, decoding never panics
// (a failure is an error, and the record is dead-lettered).
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte(`{"id":"v1","title":"x","provenance":{"source":"s"}}`))
	f.Add([]byte(`{"firm":{"id":"1"},"needs":[{"hires":"two"}]}`))
	f.Add([]byte(`{"id": 12,`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v fabbisogni.Vacancy
		_ = pipelines.DecodeForTest(b, &v)
		var r fabbisogni.SurveyRecord
		_ = pipelines.DecodeForTest(b, &r)
	})
}

// TestBatchBytesBound: a batch closes when its records reach BatchBytes,
// whatever BatchRows allows; every record still arrives once.
func TestBatchBytesBound(t *testing.T) {
	brokers := testservers.Broker(t)
	ctx := t.Context()
	p := newProducer(t, brokers)
	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	big := strings.Repeat("saldatura a filo continuo. ", 400) // about 10 kB a record
	var vs []fabbisogni.Vacancy
	for i := 0; i < 100; i++ {
		vs = append(vs, fabbisogni.Vacancy{ID: fmt.Sprintf("b%03d", i), Title: "x", Description: big, Openings: 1, Provenance: fabbisogni.Provenance{Source: "t", FetchedAt: now}})
	}
	if err := p.PublishVacancies(ctx, vs...); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	cfg := pipelines.StageConfig{Brokers: brokers, BatchRows: 1000, BatchBytes: 50 << 10, BatchWait: time.Second}
	ex, _ := pipelines.NewExtractStage(cfg, wordExtractor{}, p)
	errc := make(chan error, 1)
	go func() { errc <- ex.Run(sctx) }()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		lag, err := pipelines.Lag(ctx, brokers, pipelines.GroupExtract, pipelines.TopicVacanciesRaw)
		if err == nil && lag == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("extract group still lags %d (%v)", lag, err)
		}
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	st := ex.Stats()
	if st.In != 100 || st.Out != 100 {
		t.Fatalf("extract stats %+v, want 100 in and out", st)
	}
	// 100 records of about 10 kB in batches of at most 50 kB (plus the one
	// record that crosses the bound): at least 100/6 batches.
	if st.Batches < 100/6 {
		t.Fatalf("%d batches for 1 MB of records bounded at 50 kB a batch", st.Batches)
	}
}
