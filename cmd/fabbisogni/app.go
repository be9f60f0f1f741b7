package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/nlp"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/survey"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// options are the settings shared by commands. Defaults come from the
// environment (read here, in cmd, and nowhere else) and then from flags.
type options struct {
	clickhouse  string
	database    string
	brokers     string
	kafkaDir    string
	kafkaPort   int
	partitions  int
	batchRows   int
	sinkWorkers int
	batchWait   time.Duration
	esco        string
	data        string
	boardAddr   string // demo: where the sample job board is served; "" picks a free port
	logLevel    string
	logJSON     bool
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func (o *options) addLog(fs *flag.FlagSet) {
	fs.StringVar(&o.logLevel, "log-level", "info", "log level: debug, info, warn, error")
	fs.BoolVar(&o.logJSON, "log-json", false, "log as JSON lines instead of text")
}

func (o *options) addWarehouse(fs *flag.FlagSet) {
	fs.StringVar(&o.clickhouse, "clickhouse", envOr("FABBISOGNI_CLICKHOUSE", "127.0.0.1:19000"), "ClickHouse native address host:port (env FABBISOGNI_CLICKHOUSE); scripts/clickhouse.sh starts one on 127.0.0.1:19000")
	fs.StringVar(&o.database, "database", "fabbisogni", "ClickHouse database, created if missing")
}

func (o *options) addKafka(fs *flag.FlagSet) {
	fs.StringVar(&o.brokers, "brokers", envOr("FABBISOGNI_BROKERS", ""), "Kafka brokers host:port,... (env FABBISOGNI_BROKERS); empty runs an embedded Kafka-protocol broker")
	fs.StringVar(&o.kafkaDir, "kafka-dir", "var/kafka", "embedded broker: directory its log persists in (reloaded on restart)")
	fs.IntVar(&o.kafkaPort, "kafka-port", 19092, "embedded broker: loopback port (0 picks a free one)")
	fs.IntVar(&o.partitions, "partitions", 3, "partitions of the topics created at start")
}

func (o *options) addStages(fs *flag.FlagSet) {
	fs.IntVar(&o.batchRows, "batch-rows", 0, "records per batch at most, per stage (0: 1,000 for extract, 50,000 for the sink)")
	fs.IntVar(&o.sinkWorkers, "sink-workers", 2, "sink batches inserted at once by this process (one reader and one consumer-group member whatever the number; offsets committed in order)")
	fs.DurationVar(&o.batchWait, "batch-wait", 200*time.Millisecond, "how long a batch waits to fill once it has a record")
}

func (o *options) addData(fs *flag.FlagSet) {
	fs.StringVar(&o.data, "data", envOr("FABBISOGNI_DATA", filepath.Join("..", "shared", "data")), "reference data folder holding istat/ (env FABBISOGNI_DATA)")
}

func (o *options) addNLP(fs *flag.FlagSet) {
	fs.StringVar(&o.esco, "esco", envOr("FABBISOGNI_ESCO", ""), "ESCO CSV bundles, zips as downloaded or folders, comma separated (env FABBISOGNI_ESCO); default DATA/esco-v1.1.1-en plus DATA/esco-v1.0.8-it when present")
}

// app holds what a command opened, to close it in reverse order.
type app struct {
	o       options
	log     *slog.Logger
	closers []func()

	wh       *warehouse.Warehouse
	brokers  []string
	broker   *pipelines.Embedded
	producer *pipelines.Producer
	tax      *nlp.Taxonomy         // set by extractor()
	metrics  *pipelines.Metrics    // nil outside run
	progress func(survey.Progress) // import progress on a terminal, nil otherwise
}

func newApp(o options, stderr io.Writer) (*app, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: %v", o.logLevel, err)}
	}
	hopts := &slog.HandlerOptions{Level: level}
	var h slog.Handler = slog.NewTextHandler(stderr, hopts)
	if o.logJSON {
		h = slog.NewJSONHandler(stderr, hopts)
	}
	return &app{o: o, log: slog.New(h)}, nil
}

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
}

// openWarehouse connects to ClickHouse and applies pending migrations.
func (a *app) openWarehouse(ctx context.Context) error {
	cfg := warehouse.DefaultConfig()
	cfg.Addr = a.o.clickhouse
	cfg.Database = a.o.database
	cfg.Logger = a.log
	w, err := warehouse.Open(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%w\n(start a local server with: scripts/clickhouse.sh start, or pass --clickhouse host:port)", err)
	}
	a.closers = append(a.closers, func() { w.Close() })
	applied, err := w.Migrate(ctx)
	if err != nil {
		return err
	}
	a.log.Info("warehouse ready", "addr", cfg.Addr, "database", cfg.Database, "migrations_applied", len(applied))
	a.wh = w
	return nil
}

// startKafka connects to the configured brokers, or starts the embedded
// broker, creates the topics and opens a producer.
func (a *app) startKafka(ctx context.Context) error {
	if a.o.brokers != "" {
		a.brokers = strings.Split(a.o.brokers, ",")
		if err := pipelines.EnsureTopics(ctx, a.brokers, a.o.partitions, 0); err != nil {
			return err
		}
		a.log.Info("using Kafka cluster", "brokers", a.brokers)
	} else {
		cfg := pipelines.DefaultEmbeddedConfig()
		cfg.Port = a.o.kafkaPort
		cfg.DataDir = a.o.kafkaDir
		cfg.Partitions = a.o.partitions
		cfg.Logger = a.log
		if cfg.DataDir != "" {
			if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
				return fmt.Errorf("embedded broker: %w", err)
			}
		}
		e, err := pipelines.StartEmbedded(ctx, cfg)
		if err != nil {
			return err
		}
		a.broker = e
		a.brokers = e.Addrs()
		a.closers = append(a.closers, e.Close)
	}
	p, err := pipelines.NewProducer(pipelines.ProducerConfig{Brokers: a.brokers})
	if err != nil {
		return err
	}
	a.producer = p
	a.closers = append(a.closers, func() { p.Close() })
	return nil
}

// escoPaths are the ESCO bundles to load.
func (a *app) escoPaths() []string {
	if a.o.esco != "" {
		return strings.Split(a.o.esco, ",")
	}
	var ps []string
	for _, d := range []string{"esco-v1.1.1-en", "esco-v1.0.8-it"} {
		p := filepath.Join(a.o.data, d)
		if _, err := os.Stat(p); err == nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// extractor loads the taxonomy and builds the extractor.
func (a *app) extractor() (*nlp.Extractor, *nlp.Taxonomy, error) {
	paths := a.escoPaths()
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("no ESCO bundle: pass --esco PATH or set FABBISOGNI_ESCO (download the CSV bundle from the ESCO portal, https://esco.ec.europa.eu/en/use-esco/download)")
	}
	start := time.Now()
	tax, err := nlp.LoadTaxonomy(paths...)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range tax.Warnings() {
		a.log.Warn("taxonomy", "warning", w)
	}
	cfg := nlp.DefaultConfig()
	cfg.Logger = a.log
	ex, err := nlp.NewExtractor(tax, cfg)
	if err != nil {
		return nil, nil, err
	}
	a.log.Info("taxonomy loaded", "paths", paths, "version", tax.Version(), "duration_ms", time.Since(start).Milliseconds())
	a.tax = tax
	return ex, tax, nil
}

// gazetteer loads the ISTAT municipality list.
func (a *app) gazetteer() (*fabbisogni.Gazetteer, error) {
	return fabbisogni.LoadGazetteer(filepath.Join(a.o.data, "istat", "Elenco-comuni-italiani.csv"))
}

func (a *app) atecoPath() string { return filepath.Join(a.o.data, "istat", "ateco2007-2022.xml") }
