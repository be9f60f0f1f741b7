package pipelines_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

// rejectingSink is the real warehouse, except that it rejects (as a
// permanent error) any batch holding a vacancy whose id starts with
// "poison": what ClickHouse does with a record it cannot take.
type rejectingSink struct{ pipelines.Sink }

func (s rejectingSink) InsertVacancies(ctx context.Context, vs []fabbisogni.Vacancy) error {
	for _, v := range vs {
		if strings.HasPrefix(v.ID, "poison") {
			return fabbisogni.Errorf(fabbisogni.EInvalid, "vacancy %s rejected", v.ID)
		}
	}
	return s.Sink.InsertVacancies(ctx, vs)
}

// TestSinkDeadLetters: a record that cannot be decoded and records the
// sink rejects go to the dead-letter topic with their source position and
// their original key and value, byte for byte (the sink drops the raw
// records after decoding and reads the rejected ones again from the
// topic, here from inside LZ4 batches); the rest of the batch is stored.
func TestSinkDeadLetters(t *testing.T) {
	brokers := testservers.Broker(t)
	w := testservers.Warehouse(t)
	ctx := t.Context()
	p := newProducer(t, brokers)

	now := time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	var msgs []kafka.Message
	for i := 0; i < 60; i++ {
		id := fmt.Sprintf("v%03d", i)
		if i == 17 || i == 44 {
			id = fmt.Sprintf("poison%03d", i)
		}
		b, err := json.Marshal(fabbisogni.Vacancy{ID: id, Title: "Saldatore", Description: "saldatura a filo", Openings: 1,
			Provenance: fabbisogni.Provenance{Source: "test", FetchedAt: now}})
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, kafka.Message{Topic: pipelines.TopicVacanciesEnriched, Key: []byte(id), Value: b})
	}
	msgs = append(msgs, kafka.Message{Topic: pipelines.TopicVacanciesEnriched, Key: []byte("bad"), Value: []byte(`{"id": 12,`)})
	wr := &kafka.Writer{Addr: kafka.TCP(brokers...), Balancer: &kafka.Hash{}, RequiredAcks: kafka.RequireAll,
		Compression: kafka.Lz4, BatchSize: 1000, BatchTimeout: 10 * time.Millisecond}
	if err := wr.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	wr.Close()

	sctx, stop := context.WithCancel(ctx)
	sk, err := pipelines.NewSinkStage(pipelines.StageConfig{Brokers: brokers, BatchRows: 1000, BatchWait: 200 * time.Millisecond}, rejectingSink{w}, p)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- sk.Run(sctx) }()
	if err := pipelines.WaitDrained(ctx, brokers, time.Minute); err != nil {
		t.Fatal(err)
	}
	stop()
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if st := sk.Stats(); st.In != 61 || st.Out != 58 || st.Failed != 3 {
		t.Errorf("sink stats %+v, want 61 in, 58 out, 3 failed", st)
	}
	checkCounts(t, w, map[string]uint64{"vacancies": 58})

	dls, err := pipelines.ReadDeadLetters(ctx, brokers, 100)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, d := range dls {
		keys = append(keys, d.Key)
		var src *kafka.Message
		for i := range msgs {
			if string(msgs[i].Key) == d.Key {
				src = &msgs[i]
			}
		}
		switch {
		case src == nil:
			t.Errorf("dead letter of an unknown record: %+v", d)
		case d.Stage != "sink" || d.Topic != pipelines.TopicVacanciesEnriched || d.Reason == "":
			t.Errorf("dead letter %+v lacks its stage, source topic or reason", d)
		case d.Value != string(src.Value):
			t.Errorf("dead letter %s: value %q, want the original %q", d.Key, d.Value, src.Value)
		}
	}
	slices.Sort(keys)
	if want := []string{"bad", "poison017", "poison044"}; !slices.Equal(keys, want) {
		t.Fatalf("dead letters of %v, want %v", keys, want)
	}
	// The offsets point at the records: reading there gives them back.
	for _, d := range dls {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: d.Topic, Partition: d.Partition})
		if err := r.SetOffset(d.Offset); err != nil {
			t.Fatal(err)
		}
		m, err := r.ReadMessage(ctx)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if string(m.Key) != d.Key {
			t.Errorf("dead letter %s: offset %d holds %s", d.Key, d.Offset, m.Key)
		}
	}
}
