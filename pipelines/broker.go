package pipelines

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/twmb/franz-go/pkg/kfake"
)

// EmbeddedConfig configures the in-process Kafka-protocol broker used when
// no brokers are given. It listens on loopback and speaks the real protocol,
// so clients reach it over TCP exactly as they reach a cluster.
type EmbeddedConfig struct {
	Port           int          // listen port on 127.0.0.1; 0 picks a free one
	DataDir        string       // where the log is persisted and reloaded on restart; "" keeps it in memory
	SyncWrites     bool         // fsync each produced batch (default false, like Kafka's default flush policy)
	Partitions     int          // partitions of the topics created at start; default 3
	RetentionMS    int64        // log.retention.ms; default 7 days; -1 unlimited
	RetentionBytes int64        // log.retention.bytes per partition; default 1 GiB; -1 unlimited
	Logger         *slog.Logger // nil discards
}

// DefaultEmbeddedConfig returns the defaults documented on EmbeddedConfig.
func DefaultEmbeddedConfig() EmbeddedConfig {
	return EmbeddedConfig{Partitions: 3, RetentionMS: 7 * 24 * 3600 * 1000, RetentionBytes: 1 << 30}
}

// Embedded is a running embedded broker.
type Embedded struct {
	cluster *kfake.Cluster
	addrs   []string
	log     *slog.Logger
}

// StartEmbedded starts the broker and creates the pipeline's topics.
func StartEmbedded(ctx context.Context, cfg EmbeddedConfig) (*Embedded, error) {
	def := DefaultEmbeddedConfig()
	if cfg.Partitions == 0 {
		cfg.Partitions = def.Partitions
	}
	if cfg.RetentionMS == 0 {
		cfg.RetentionMS = def.RetentionMS
	}
	if cfg.RetentionBytes == 0 {
		cfg.RetentionBytes = def.RetentionBytes
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	port := cfg.Port
	if port == 0 {
		p, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("pipelines: embedded broker: pick a port: %w", err)
		}
		port = p
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.Ports(port),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.BrokerConfigs(map[string]string{
			"log.retention.ms":    strconv.FormatInt(cfg.RetentionMS, 10),
			"log.retention.bytes": strconv.FormatInt(cfg.RetentionBytes, 10),
		}),
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
		if cfg.SyncWrites {
			opts = append(opts, kfake.SyncWrites())
		}
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("pipelines: embedded broker on port %d (data dir %q): %w", port, cfg.DataDir, err)
	}
	e := &Embedded{cluster: c, addrs: c.ListenAddrs(), log: log.With("component", "broker")}
	if err := EnsureTopics(ctx, e.addrs, cfg.Partitions, 1); err != nil {
		c.Close()
		return nil, err
	}
	e.log.Info("embedded broker started", "addr", e.addrs[0], "data_dir", cfg.DataDir, "partitions", cfg.Partitions)
	return e, nil
}

// Addrs are the broker's listen addresses (host:port), for clients.
func (e *Embedded) Addrs() []string { return e.addrs }

// ApplyRetention trims records past log.retention.ms / log.retention.bytes now.
func (e *Embedded) ApplyRetention() { e.cluster.ApplyRetention() }

// Close stops the broker, flushing its log to the data directory.
func (e *Embedded) Close() {
	e.cluster.Close()
	e.log.Info("embedded broker stopped")
}
