package pipelines_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/fabbisogni/fabbisogni/pipelines"
)

// BenchmarkTrimMemory produces 200,000 records of 500 bytes to the embedded
// broker (in memory, no data dir), has a group commit them all, trims, and
// reports the Go heap in use before and after: what the trimming saves a
// long-running embedded broker.
//
//	go test -run XXX -bench TrimMemory -benchtime 1x ./pipelines/
func BenchmarkTrimMemory(b *testing.B) {
	for b.Loop() {
		cfg := pipelines.DefaultEmbeddedConfig()
		e, err := pipelines.StartEmbedded(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		brokers := e.Addrs()
		w := &kafka.Writer{Addr: kafka.TCP(brokers...), Topic: pipelines.TopicVacanciesRaw, RequiredAcks: kafka.RequireAll,
			BatchSize: 1000, BatchTimeout: time.Millisecond, Balancer: &kafka.RoundRobin{}}
		val := []byte(strings.Repeat("x", 500))
		const n = 200000
		msgs := make([]kafka.Message, 1000)
		for i := 0; i < n; i += len(msgs) {
			for j := range msgs {
				msgs[j] = kafka.Message{Key: []byte(fmt.Sprint(i + j)), Value: val}
			}
			if err := w.WriteMessages(b.Context(), msgs...); err != nil {
				b.Fatal(err)
			}
		}
		w.Close()
		// The extract group reads and commits everything.
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: brokers, GroupID: pipelines.GroupExtract, GroupTopics: []string{pipelines.TopicVacanciesRaw},
			MaxWait: 100 * time.Millisecond, HeartbeatInterval: time.Second, JoinGroupBackoff: 500 * time.Millisecond})
		var last []kafka.Message
		for read := 0; read < n; read++ {
			m, err := r.FetchMessage(b.Context())
			if err != nil {
				b.Fatal(err)
			}
			last = append(last, m)
			if len(last) == 5000 {
				if err := r.CommitMessages(b.Context(), last...); err != nil {
					b.Fatal(err)
				}
				last = last[:0]
			}
		}
		r.Close()
		before := heapMB()
		trimmed, err := pipelines.TrimCommitted(b.Context(), brokers[0])
		if err != nil || trimmed != n {
			b.Fatalf("trimmed %d (%v), want %d", trimmed, err, n)
		}
		after := heapMB()
		b.ReportMetric(before, "heap_before_MB")
		b.ReportMetric(after, "heap_after_MB")
		e.Close()
	}
}

func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapInuse) / (1 << 20)
}
