// Package pipelines carries records through Kafka: the topics, producers,
// the consumer-group stages (extract, sink) with retries and dead letters,
// the embedded broker, and scheduled jobs. It is the only package that
// imports kafka-go; no kafka-go type leaves it.
package pipelines

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"
)

// Topics of ARCHITECTURE.md.
const (
	TopicVacanciesRaw      = "vacancies.raw"
	TopicSurveyRaw         = "survey.raw"
	TopicVacanciesEnriched = "vacancies.enriched"
	TopicSurveyEnriched    = "survey.enriched"
	TopicDeadLetter        = "dlq"
)

// AllTopics lists every topic the pipeline uses.
var AllTopics = []string{TopicVacanciesRaw, TopicSurveyRaw, TopicVacanciesEnriched, TopicSurveyEnriched, TopicDeadLetter}

// Consumer groups of the stages.
const (
	GroupExtract = "fabbisogni-extract"
	GroupSink    = "fabbisogni-sink"
)

// EnsureTopics creates the topics that do not exist yet, with the given
// partition count and replication factor (1 for the embedded broker). Topics
// that exist are left as they are.
func EnsureTopics(ctx context.Context, brokers []string, partitions, replication int, topics ...string) error {
	if len(topics) == 0 {
		topics = AllTopics
	}
	if partitions < 1 {
		partitions = 1
	}
	if replication < 1 {
		replication = 1
	}
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	req := &kafka.CreateTopicsRequest{}
	for _, t := range topics {
		req.Topics = append(req.Topics, kafka.TopicConfig{Topic: t, NumPartitions: partitions, ReplicationFactor: replication})
	}
	resp, err := client.CreateTopics(ctx, req)
	if err != nil {
		return fmt.Errorf("pipelines: create topics on %v: %w", brokers, err)
	}
	for t, terr := range resp.Errors {
		if terr != nil && !errors.Is(terr, kafka.TopicAlreadyExists) {
			return fmt.Errorf("pipelines: create topic %s: %w", t, terr)
		}
	}
	return waitTopics(ctx, client, topics)
}

// waitTopics waits until the metadata lists every topic with a leader for
// each partition.
func waitTopics(ctx context.Context, client *kafka.Client, topics []string) error {
	for {
		md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
		ready := err == nil
		if err == nil {
			for _, t := range md.Topics {
				if t.Error != nil || len(t.Partitions) == 0 {
					ready = false
				}
			}
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pipelines: topics %v not ready: %w (last error: %v)", topics, ctx.Err(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Ping checks that the brokers answer a metadata request.
func Ping(ctx context.Context, brokers []string) error {
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 5 * time.Second}
	if _, err := client.Metadata(ctx, &kafka.MetadataRequest{}); err != nil {
		return fmt.Errorf("pipelines: brokers %v: %w", brokers, err)
	}
	return nil
}

// Lag is the number of records in the topics that the group has not
// committed yet, summed over partitions. A group that never committed on a
// partition counts every record from the partition's first offset.
func Lag(ctx context.Context, brokers []string, group string, topics ...string) (int64, error) {
	client := &kafka.Client{Addr: kafka.TCP(brokers...), Timeout: 10 * time.Second}
	md, err := client.Metadata(ctx, &kafka.MetadataRequest{Topics: topics})
	if err != nil {
		return 0, fmt.Errorf("pipelines: lag of %s: metadata: %w", group, err)
	}
	parts := map[string][]int{}
	lreq := map[string][]kafka.OffsetRequest{}
	for _, t := range md.Topics {
		if t.Error != nil {
			return 0, fmt.Errorf("pipelines: lag of %s: topic %s: %w", group, t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			parts[t.Name] = append(parts[t.Name], p.ID)
			lreq[t.Name] = append(lreq[t.Name], kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID))
		}
	}
	offs, err := client.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: lreq})
	if err != nil {
		return 0, fmt.Errorf("pipelines: lag of %s: list offsets: %w", group, err)
	}
	committed, err := client.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: parts})
	if err != nil {
		return 0, fmt.Errorf("pipelines: lag of %s: offset fetch: %w", group, err)
	}
	if committed.Error != nil && !errors.Is(committed.Error, kafka.GroupIdNotFound) {
		return 0, fmt.Errorf("pipelines: lag of %s: offset fetch: %w", group, committed.Error)
	}
	done := map[string]map[int]int64{}
	for t, ps := range committed.Topics {
		done[t] = map[int]int64{}
		for _, p := range ps {
			done[t][p.Partition] = p.CommittedOffset
		}
	}
	var lag int64
	for t, ps := range offs.Topics {
		for _, p := range ps {
			if p.Error != nil {
				return 0, fmt.Errorf("pipelines: lag of %s: %s/%d: %w", group, t, p.Partition, p.Error)
			}
			c, ok := done[t][p.Partition]
			if !ok || c < p.FirstOffset {
				c = p.FirstOffset
			}
			if p.LastOffset > c {
				lag += p.LastOffset - c
			}
		}
	}
	return lag, nil
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	_, p, _ := net.SplitHostPort(l.Addr().String())
	return strconv.Atoi(p)
}
