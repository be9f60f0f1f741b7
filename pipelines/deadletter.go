package pipelines

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/segmentio/kafka-go"
)

// DeadLetter is a record that cannot be processed, with the reason and
// where it came from. It is the message of the dlq topic.
type DeadLetter struct {
	Stage     string    `json:"stage"`            // "extract", "sink", "survey-import", "crawl"
	Reason    string    `json:"reason"`           // the error, naming file/row/url/offset where known
	Topic     string    `json:"topic,omitempty"`  // source topic, for records that came from Kafka
	Partition int       `json:"partition"`        // source partition
	Offset    int64     `json:"offset"`           // source offset
	Source    string    `json:"source,omitempty"` // file, row or URL, for records from outside Kafka
	Key       string    `json:"key,omitempty"`
	Value     string    `json:"value,omitempty"` // the original record, as text
	At        time.Time `json:"at"`
}

func (d *DeadLetter) message() (kafka.Message, error) {
	b, err := encode(d)
	if err != nil {
		return kafka.Message{}, fmt.Errorf("pipelines: encode dead letter: %w", err)
	}
	key := d.Key
	if key == "" {
		key = d.Source
	}
	return kafka.Message{Topic: TopicDeadLetter, Key: []byte(key), Value: b}, nil
}

func deadLetterOf(stage string, m kafka.Message, reason error, now time.Time) DeadLetter {
	return DeadLetter{
		Stage: stage, Reason: reason.Error(), Topic: m.Topic, Partition: m.Partition, Offset: m.Offset,
		Key: string(m.Key), Value: string(m.Value), At: now.UTC(),
	}
}

// ReadDeadLetters reads up to max dead letters from the dlq topic, from
// the beginning of every partition, without joining a consumer group (an
// operator's look does not move any offset).
func ReadDeadLetters(ctx context.Context, brokers []string, max int) ([]DeadLetter, error) {
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{TopicDeadLetter}})
	if err != nil {
		return nil, fmt.Errorf("pipelines: dlq metadata: %w", err)
	}
	var out []DeadLetter
	for _, t := range md.Topics {
		for _, p := range t.Partitions {
			offs, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
				TopicDeadLetter: {kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID)}}})
			if err != nil {
				return nil, fmt.Errorf("pipelines: dlq offsets: %w", err)
			}
			po := offs.Topics[TopicDeadLetter][0]
			if po.LastOffset <= po.FirstOffset {
				continue
			}
			r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: TopicDeadLetter, Partition: p.ID, MaxWait: 200 * time.Millisecond})
			if err := r.SetOffset(po.FirstOffset); err != nil {
				r.Close()
				return nil, err
			}
			for off := po.FirstOffset; off < po.LastOffset && len(out) < max; off++ {
				m, err := r.ReadMessage(ctx)
				if err != nil {
					r.Close()
					return nil, fmt.Errorf("pipelines: dlq read partition %d offset %d: %w", p.ID, off, err)
				}
				var d DeadLetter
				if err := decode(m.Value, &d); err != nil {
					d = DeadLetter{Reason: "undecodable dead letter: " + err.Error(), Value: string(m.Value)}
				}
				out = append(out, d)
				if m.Offset+1 >= po.LastOffset {
					break
				}
			}
			r.Close()
		}
	}
	return out, nil
}

// readSources fills in the key and value of dead letters whose record was
// dropped after decoding, reading each record again from its topic,
// partition and offset (one partition reader per source partition, from the
// lowest offset wanted). The records are still there: their offsets are not
// committed yet, so neither trimming nor a consumer has moved past them. A
// record the broker no longer has (retention) keeps no value, and its
// reason says so.
func readSources(ctx context.Context, brokers []string, dead []DeadLetter) error {
	type source struct {
		topic     string
		partition int
	}
	want := map[source]map[int64][]int{} // offsets wanted per partition, and their dead letters
	for i, d := range dead {
		src := source{d.Topic, d.Partition}
		if want[src] == nil {
			want[src] = map[int64][]int{}
		}
		want[src][d.Offset] = append(want[src][d.Offset], i)
	}
	for src, offs := range want {
		lo, hi := int64(math.MaxInt64), int64(-1)
		for off := range offs {
			lo, hi = min(lo, off), max(hi, off)
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, Topic: src.topic, Partition: src.partition, MaxBytes: 10 << 20, MaxWait: 100 * time.Millisecond})
		err := r.SetOffset(lo)
		for err == nil && len(offs) > 0 {
			rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
			var m kafka.Message
			m, err = r.ReadMessage(rctx)
			cancel()
			if err != nil {
				break
			}
			for _, i := range offs[m.Offset] {
				dead[i].Key, dead[i].Value = string(m.Key), string(m.Value)
			}
			delete(offs, m.Offset)
			if m.Offset >= hi {
				break
			}
		}
		r.Close()
		if errors.Is(err, kafka.OffsetOutOfRange) {
			for _, is := range offs {
				for _, i := range is {
					dead[i].Reason += " (record no longer on the broker: " + err.Error() + ")"
				}
			}
			err = nil
		}
		if err != nil {
			return fmt.Errorf("pipelines: read dead-lettered records again from %s/%d@%d: %w", src.topic, src.partition, lo, err)
		}
	}
	return nil
}
