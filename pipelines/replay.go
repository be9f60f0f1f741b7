package pipelines

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// GroupReplay is the consumer group of `fabbisogni dlq replay`: each dead
// letter is re-driven once, and a later replay starts after the last one.
const GroupReplay = "fabbisogni-dlq-replay"

// ReplayStats counts what a replay did.
type ReplayStats struct {
	Read     int // dead letters read
	Replayed int // re-published to their source topic
	Skipped  int // not from a topic (rejected file rows: fix the file and import it again), or filtered out
}

// ReplayDeadLetters re-publishes the original record of every dead letter
// not yet replayed to the topic it came from, so that the stages process it
// again after a fix; keep (nil keeps all) chooses which. Dead letters of
// rows rejected at import have no source topic and are skipped. It stops
// when the group has caught up with the dlq topic.
func ReplayDeadLetters(ctx context.Context, brokers []string, p *Producer, keep func(DeadLetter) bool) (ReplayStats, error) {
	var st ReplayStats
	r := kafka.NewReader(kafka.ReaderConfig{
		Brokers: brokers, GroupID: GroupReplay, Topic: TopicDeadLetter, StartOffset: kafka.FirstOffset,
		MaxWait: 200 * time.Millisecond, CommitInterval: 0, HeartbeatInterval: time.Second, JoinGroupBackoff: 500 * time.Millisecond,
	})
	defer r.Close()
	for {
		lag, err := Lag(ctx, brokers, GroupReplay, TopicDeadLetter)
		if err != nil {
			return st, err
		}
		if lag == 0 {
			return st, nil
		}
		fctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		m, err := r.FetchMessage(fctx)
		cancel()
		if err != nil {
			if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				continue // the group is still joining
			}
			return st, fmt.Errorf("pipelines: replay: fetch: %w", err)
		}
		st.Read++
		var d DeadLetter
		if err := decode(m.Value, &d); err != nil || d.Topic == "" || (keep != nil && !keep(d)) {
			st.Skipped++
		} else {
			out := kafka.Message{Topic: d.Topic, Key: []byte(d.Key), Value: []byte(d.Value)}
			if err := p.write(ctx, []kafka.Message{out}); err != nil {
				return st, err
			}
			st.Replayed++
		}
		if err := r.CommitMessages(ctx, m); err != nil {
			return st, fmt.Errorf("pipelines: replay: commit offset %d: %w", m.Offset, err)
		}
	}
}
