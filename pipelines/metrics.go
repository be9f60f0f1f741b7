package pipelines

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the pipeline's Prometheus metrics, registered on a registry
// the caller owns (never the global one).
type Metrics struct {
	records      *prometheus.CounterVec   // stage, result: in, out, failed
	retries      *prometheus.CounterVec   // stage
	batchRows    *prometheus.HistogramVec // stage
	batchSeconds *prometheus.HistogramVec // stage
	lag          *prometheus.GaugeVec     // group
}

// NewMetrics creates the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		records: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "fabbisogni", Name: "stage_records_total",
			Help: "Records per stage and result: in (fetched), out (produced or inserted), failed (dead-lettered).",
		}, []string{"stage", "result"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "fabbisogni", Name: "stage_retries_total",
			Help: "Batches retried after a retryable failure (broker or ClickHouse unavailable).",
		}, []string{"stage"}),
		batchRows: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "fabbisogni", Name: "stage_batch_rows",
			Help: "Records per processed batch.", Buckets: prometheus.ExponentialBuckets(1, 4, 8),
		}, []string{"stage"}),
		batchSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "fabbisogni", Name: "stage_batch_seconds",
			Help: "Time to process and commit a batch.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 9),
		}, []string{"stage"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "fabbisogni", Name: "consumer_lag_records",
			Help: "Records in a stage's input topics not yet committed by its consumer group.",
		}, []string{"group"}),
	}
	for _, c := range []prometheus.Collector{m.records, m.retries, m.batchRows, m.batchSeconds, m.lag} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *Metrics) batch(stage string, rows int, d time.Duration) {
	if m == nil {
		return
	}
	m.batchRows.WithLabelValues(stage).Observe(float64(rows))
	m.batchSeconds.WithLabelValues(stage).Observe(d.Seconds())
}

func (m *Metrics) count(stage, result string, n int64) {
	if m == nil || n == 0 {
		return
	}
	m.records.WithLabelValues(stage, result).Add(float64(n))
}

func (m *Metrics) retry(stage string) {
	if m == nil {
		return
	}
	m.retries.WithLabelValues(stage).Inc()
}

// WatchLag updates the consumer-lag gauges of the two stage groups every
// interval until ctx is cancelled. It returns when ctx is done.
func (m *Metrics) WatchLag(ctx context.Context, brokers []string, interval time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, g := range stageGroups {
			lag, err := Lag(ctx, brokers, g.group, g.topics...)
			if err != nil {
				if ctx.Err() == nil {
					log.Debug("lag not measured", "group", g.group, "err", err)
				}
				continue
			}
			m.lag.WithLabelValues(g.group).Set(float64(lag))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

var stageGroups = []struct {
	group  string
	topics []string
}{
	{GroupExtract, []string{TopicVacanciesRaw, TopicSurveyRaw}},
	{GroupSink, []string{TopicVacanciesEnriched, TopicSurveyEnriched}},
}
