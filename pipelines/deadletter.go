package pipelines

import (
	"context"
	"fmt"
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
