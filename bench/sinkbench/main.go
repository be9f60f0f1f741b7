// Command sinkbench measures, side by side on one machine, the pipeline's
// sink stage and ClickHouse's own Kafka engine loading the same enriched
// vacancies from the same (embedded) broker into the warehouse's tables, and
// the sink's end-to-end freshness at a steady produce rate. bench/sink.sh
// starts a private ClickHouse and runs it; see bench/README.md.
//
// The program runs in two roles. The parent (default) owns the embedded
// broker, produces the records, polls ClickHouse and prints the figures. The
// sink itself runs in a child process (-role sink, the same binary) so that
// its peak RSS and heap are the sink's alone, not the broker's.
//
// Records are produced with franz-go's kgo client (already in the module
// graph beside kfake): pipelines.Producer publishes only to the raw topics,
// and the Kafka engine needs a topic of its own. The enriched records are
// json.Marshal(fabbisogni.Vacancy) keyed by id, exactly what the extract
// stage writes to vacancies.enriched.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

type options struct {
	role        string
	n           int
	chTCP       string
	chHTTP      string
	chPID       int
	partitions  int
	batchRows   int
	batchBytes  int
	sinkWorkers int
	batchWait   time.Duration
	freshRate   int
	freshDur    time.Duration
	consumers   int
	cpuProfile  string
	memLimitMiB int
	brokers     string
	db          string
	skipEngine  bool
	timeout     time.Duration
	seed        uint64
}

func main() {
	var o options
	flag.StringVar(&o.role, "role", "parent", "parent (the benchmark) or sink (the child process running the SinkStage)")
	flag.IntVar(&o.n, "n", 2_000_000, "enriched vacancies to produce and load")
	flag.StringVar(&o.chTCP, "ch-tcp", "127.0.0.1:19000", "ClickHouse native address")
	flag.StringVar(&o.chHTTP, "ch-http", "http://127.0.0.1:18123", "ClickHouse HTTP address (polling and DDL)")
	flag.IntVar(&o.chPID, "ch-pid", 0, "ClickHouse server PID, to report its CPU time per phase (0: not reported)")
	flag.IntVar(&o.partitions, "partitions", 3, "partitions of the topics")
	flag.IntVar(&o.batchRows, "batch-rows", 0, "sink StageConfig.BatchRows (0: the sink's default, pipelines.DefaultSinkBatchRows)")
	flag.IntVar(&o.batchBytes, "batch-bytes", 0, "sink StageConfig.BatchBytes (0: the stage's default)")
	flag.IntVar(&o.sinkWorkers, "sink-workers", 2, "batches the sink process inserts at once, from one reader (fabbisogni run's default: 2)")
	flag.DurationVar(&o.batchWait, "batch-wait", 200*time.Millisecond, "sink StageConfig.BatchWait (default as in the stage)")
	flag.IntVar(&o.freshRate, "fresh-rate", 10_000, "records/s produced in the freshness phase")
	flag.DurationVar(&o.freshDur, "fresh-duration", 30*time.Second, "length of the freshness phase (0 skips it)")
	flag.IntVar(&o.consumers, "engine-consumers", 1, "kafka_num_consumers of the Kafka engine table")
	flag.StringVar(&o.cpuProfile, "cpuprofile", "", "write the sink process's CPU profile of the bulk load here")
	flag.IntVar(&o.memLimitMiB, "sink-memory-limit", 0, "soft memory limit of the sink process in MiB (debug.SetMemoryLimit; 0: Go's default, no limit); the parent, which holds the broker's log, is not limited")
	flag.StringVar(&o.brokers, "brokers", "", "(sink role) broker address")
	flag.StringVar(&o.db, "db", "bench_sink", "(sink role) database")
	flag.BoolVar(&o.skipEngine, "skip-engine", false, "measure only our sink")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up on a load phase after this long")
	flag.Uint64Var(&o.seed, "seed", 6, "generator seed")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	if o.role == "sink" {
		err = runSink(ctx, o)
	} else {
		err = runParent(ctx, o)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sinkbench:", err)
		os.Exit(1)
	}
}

// ---------------------------------------------------------------- sink role

// sinkReport is what the child prints on stdout, one JSON line per phase.
type sinkReport struct {
	Phase        string               `json:"phase"`
	PeakRSSKB    int64                `json:"peak_rss_kb"`
	PeakHeapB    uint64               `json:"peak_heap_inuse_bytes"`
	PeakSysB     uint64               `json:"peak_go_sys_bytes"`
	Stats        pipelines.StageStats `json:"stats"`
	NumGC        uint32               `json:"num_gc"`
	GCPauseTotal time.Duration        `json:"gc_pause_total_ns"`
}

func runSink(ctx context.Context, o options) error {
	if o.memLimitMiB > 0 {
		debug.SetMemoryLimit(int64(o.memLimitMiB) << 20)
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	wh, err := warehouse.Open(ctx, warehouse.Config{Addr: o.chTCP, Database: o.db, Logger: log})
	if err != nil {
		return err
	}
	defer wh.Close()
	brokers := []string{o.brokers}
	prod, err := pipelines.NewProducer(pipelines.ProducerConfig{Brokers: brokers})
	if err != nil {
		return err
	}
	defer prod.Close()
	sink, err := pipelines.NewSinkStage(pipelines.StageConfig{Brokers: brokers, BatchRows: o.batchRows, BatchBytes: o.batchBytes, BatchWait: o.batchWait,
		Workers: max(o.sinkWorkers, 1), Logger: log}, wh, prod)
	if err != nil {
		return err
	}
	stats := sink.Stats
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile() // no-op if already stopped at the phase mark
	}

	// Memory peaks, sampled; VmHWM is reset between phases via clear_refs.
	var peakHeap, peakSys atomic.Uint64
	sampleDone := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-sampleDone:
				return
			case <-t.C:
			}
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			if ms.Sys > peakSys.Load() {
				peakSys.Store(ms.Sys)
			}
		}
	}()
	report := func(phase string) {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		r := sinkReport{Phase: phase, PeakRSSKB: vmHWM(), PeakHeapB: max(peakHeap.Load(), ms.HeapInuse), PeakSysB: max(peakSys.Load(), ms.Sys),
			Stats: stats(), NumGC: ms.NumGC, GCPauseTotal: time.Duration(ms.PauseTotalNs)}
		b, _ := json.Marshal(r)
		fmt.Println(string(b))
	}
	// SIGUSR1 marks the end of the bulk phase: stop the profile, report the
	// peaks, and reset them for the freshness phase.
	usr := make(chan os.Signal, 1)
	signal.Notify(usr, syscall.SIGUSR1)
	go func() {
		for range usr {
			if o.cpuProfile != "" {
				pprof.StopCPUProfile()
			}
			report("bulk")
			_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
			peakHeap.Store(0)
			peakSys.Store(0)
		}
	}()
	if e := sink.Run(ctx); e != nil && err == nil {
		err = e
	}
	close(sampleDone)
	wg.Wait()
	report("final")
	return err
}

// vmHWM is the process's peak resident set size in kB.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return n
		}
	}
	return -1
}

// cpuSeconds is user+system CPU time of a process, from /proc/PID/stat.
func cpuSeconds(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

// ---------------------------------------------------------------- ClickHouse over HTTP

type chHTTP struct {
	base string
	c    *http.Client
}

func (h *chHTTP) query(ctx context.Context, q string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.base+"/", strings.NewReader(q))
	if err != nil {
		return "", err
	}
	resp, err := h.c.Do(req)
	if err != nil {
		return "", fmt.Errorf("clickhouse http %s: %w", h.base, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", fmt.Errorf("clickhouse http %s: read: %w", h.base, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("clickhouse: %s: %s", firstLine(q), strings.TrimSpace(string(b)))
	}
	return string(b), nil
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i > 0 {
		return s[:i] + " ..."
	}
	return s
}

func (h *chHTTP) count(ctx context.Context, table string) (int64, error) {
	s, err := h.query(ctx, "SELECT count() FROM "+table)
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(strings.TrimSpace(s), 10, 64)
}

// ---------------------------------------------------------------- parent role

type loadResult struct {
	name                string
	rows, skills        int64
	start, first, last  time.Time
	firstCount          int64
	cpuSelf, cpuCH      float64 // CPU seconds in the phase: the loading process (sink child, or 0) and ClickHouse
	cpuParent           float64 // the parent (the embedded broker serving fetches)
	peakRSSKB, peakHeap int64
}

func (r loadResult) wallRate() float64 {
	return float64(r.rows) / r.last.Sub(r.start).Seconds()
}

// allRowsRate counts the rows of both tables: vacancies and vacancy_skills.
func (r loadResult) allRowsRate() float64 {
	return float64(r.rows+r.skills) / r.last.Sub(r.start).Seconds()
}

func (r loadResult) firstToLastRate() float64 {
	d := r.last.Sub(r.first).Seconds()
	if d <= 0 {
		return 0
	}
	return float64(r.rows-r.firstCount) / d
}

func runParent(ctx context.Context, o options) error {
	ch := &chHTTP{base: strings.TrimRight(o.chHTTP, "/"), c: &http.Client{Timeout: 60 * time.Second}}
	if v, err := ch.query(ctx, "SELECT version()"); err != nil {
		return err
	} else {
		fmt.Printf("ClickHouse %s at %s (native %s)\n", strings.TrimSpace(v), o.chHTTP, o.chTCP)
	}
	broker, err := pipelines.StartEmbedded(ctx, pipelines.EmbeddedConfig{Partitions: o.partitions, RetentionMS: -1, RetentionBytes: -1})
	if err != nil {
		return err
	}
	defer broker.Close()
	addr := broker.Addrs()[0]
	const flatTopic = "bench.flat"
	if err := pipelines.EnsureTopics(ctx, broker.Addrs(), o.partitions, 1, flatTopic); err != nil {
		return err
	}
	fmt.Printf("embedded broker %s, %d partitions; %d records; sink BatchRows=%d BatchBytes=%d (0: default) BatchWait=%s workers=%d memory limit=%d MiB (0: none); Kafka engine consumers=%d block=%d rows; %d CPUs\n",
		addr, o.partitions, o.n, o.batchRows, o.batchBytes, o.batchWait, o.sinkWorkers, o.memLimitMiB, o.consumers, engineBlock(o.n), runtime.NumCPU())

	for _, db := range []string{"bench_sink", "bench_engine"} {
		if err := freshDatabase(ctx, o.chTCP, db); err != nil {
			return err
		}
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.ProducerLinger(5*time.Millisecond),
		kgo.ProducerBatchCompression(kgo.Lz4Compression()), kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(50_000))
	if err != nil {
		return err
	}
	defer cl.Close()

	// The same N records feed both: nested JSON for our sink now, and the
	// flat rendering of the very same records for the Kafka engine later.
	base := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	var skillsTotal int64
	t0 := time.Now()
	bytes, err := produce(ctx, cl, o.n, func(i int) (*kgo.Record, error) {
		r := rand.New(rand.NewPCG(o.seed, uint64(i)))
		id := fmt.Sprintf("v-%08d", i)
		v := vacancy(r, id, base.Add(time.Duration(i)*time.Millisecond))
		skillsTotal += int64(len(v.Extraction.Skills))
		b, err := json.Marshal(&v)
		return &kgo.Record{Topic: pipelines.TopicVacanciesEnriched, Key: []byte(id), Value: b}, err
	})
	if err != nil {
		return err
	}
	fmt.Printf("produced %d enriched vacancies (%d skill mentions, %.0f MB of JSON, avg %d B) in %s\n",
		o.n, skillsTotal, float64(bytes)/1e6, bytes/int64(o.n), time.Since(t0).Round(time.Millisecond))

	// (a) our sink, in a child process.
	child, err := startSink(ctx, o, addr)
	if err != nil {
		return err
	}
	defer child.kill()
	ours, err := watchLoad(ctx, ch, o, "bench_sink", int64(o.n), skillsTotal, child.start, child.pid())
	if err != nil {
		return err
	}
	bulk, err := child.mark()
	if err != nil {
		return err
	}
	ours.peakRSSKB, ours.peakHeap = bulk.PeakRSSKB, int64(bulk.PeakHeapB)
	fmt.Printf("(a) sink: %d vacancies + %d skills in %s; stats %+v\n", ours.rows, ours.skills, ours.last.Sub(ours.start).Round(time.Millisecond), bulk.Stats)

	// Freshness at a steady rate, same sink process.
	var fresh freshResult
	if o.freshDur > 0 {
		fresh, err = freshness(ctx, cl, ch, o)
		if err != nil {
			return err
		}
	}
	final, err := child.stop()
	if err != nil {
		return err
	}
	// The sink group has committed everything: free the broker's memory.
	if n, err := pipelines.TrimCommitted(ctx, addr); err != nil {
		fmt.Fprintln(os.Stderr, "sinkbench: trim (ignored):", err)
	} else {
		fmt.Printf("trimmed %d committed records from the broker\n", n)
	}
	runtime.GC()

	// (b) ClickHouse's Kafka engine on the same records, flat.
	var eng loadResult
	engineErr := error(nil)
	if !o.skipEngine {
		t0 = time.Now()
		bytes, err = produce(ctx, cl, o.n, func(i int) (*kgo.Record, error) {
			r := rand.New(rand.NewPCG(o.seed, uint64(i)))
			id := fmt.Sprintf("v-%08d", i)
			v := vacancy(r, id, base.Add(time.Duration(i)*time.Millisecond))
			b, err := flatJSON(&v)
			return &kgo.Record{Topic: flatTopic, Key: []byte(id), Value: b}, err
		})
		if err != nil {
			return err
		}
		fmt.Printf("produced the same %d vacancies as flat JSONEachRow rows to %s (%.0f MB, avg %d B) in %s\n",
			o.n, flatTopic, float64(bytes)/1e6, bytes/int64(o.n), time.Since(t0).Round(time.Millisecond))
		eng, engineErr = engine(ctx, ch, o, addr, flatTopic, skillsTotal)
		if engineErr != nil {
			fmt.Fprintln(os.Stderr, "sinkbench: kafka engine:", engineErr)
		}
	}
	printTable(o, ours, final, fresh, eng, engineErr)
	return nil
}

func freshDatabase(ctx context.Context, addr, db string) error {
	wh, err := warehouse.Open(ctx, warehouse.Config{Addr: addr, Database: db})
	if err != nil {
		return err
	}
	if err := wh.DropDatabase(ctx); err != nil {
		wh.Close()
		return err
	}
	wh.Close()
	wh, err = warehouse.Open(ctx, warehouse.Config{Addr: addr, Database: db})
	if err != nil {
		return err
	}
	defer wh.Close()
	_, err = wh.Migrate(ctx)
	return err
}

// produce publishes n records made by mk (called in order, one goroutine)
// and waits until every one is acknowledged. It returns the value bytes.
func produce(ctx context.Context, cl *kgo.Client, n int, mk func(i int) (*kgo.Record, error)) (int64, error) {
	var firstErr error
	var mu sync.Mutex
	var total int64
	for i := range n {
		rec, err := mk(i)
		if err != nil {
			return 0, fmt.Errorf("record %d: %w", i, err)
		}
		total += int64(len(rec.Value))
		cl.Produce(ctx, rec, func(r *kgo.Record, err error) {
			if err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("produce to %s offset %d: %w", r.Topic, r.Offset, err)
				}
				mu.Unlock()
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return 0, err
	}
	mu.Lock()
	defer mu.Unlock()
	return total, firstErr
}

// watchLoad polls the counts of db's vacancies and vacancy_skills until
// they reach the expected numbers.
func watchLoad(ctx context.Context, ch *chHTTP, o options, db string, rows, skills int64, start time.Time, pid int) (loadResult, error) {
	res := loadResult{name: db, start: start}
	cpu0, ch0, me0 := cpuSeconds(pid), cpuSeconds(o.chPID), cpuSeconds(os.Getpid())
	deadline := start.Add(o.timeout)
	lastReport := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		v, err := ch.count(ctx, db+".vacancies")
		if err != nil {
			return res, err
		}
		now := time.Now()
		if v > 0 && res.first.IsZero() {
			res.first, res.firstCount = now, v
		}
		if v >= rows {
			s, err := ch.count(ctx, db+".vacancy_skills")
			if err != nil {
				return res, err
			}
			if s >= skills {
				res.rows, res.skills, res.last = v, s, time.Now()
				res.cpuSelf, res.cpuCH, res.cpuParent = cpuSeconds(pid)-cpu0, cpuSeconds(o.chPID)-ch0, cpuSeconds(os.Getpid())-me0
				return res, nil
			}
		}
		if now.After(deadline) {
			return res, fmt.Errorf("%s: %d of %d vacancies visible after %s", db, v, rows, o.timeout)
		}
		if now.Sub(lastReport) > 10*time.Second {
			fmt.Fprintf(os.Stderr, "  %s: %d vacancies visible after %s\n", db, v, now.Sub(start).Round(time.Second))
			lastReport = now
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ---------------------------------------------------------------- the sink child

type sinkChild struct {
	cmd     *exec.Cmd
	start   time.Time
	reports chan sinkReport
	done    chan error
}

func startSink(ctx context.Context, o options, broker string) (*sinkChild, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-role", "sink", "-brokers", broker, "-ch-tcp", o.chTCP, "-db", "bench_sink",
		"-batch-rows", strconv.Itoa(o.batchRows), "-batch-bytes", strconv.Itoa(o.batchBytes), "-batch-wait", o.batchWait.String(), "-sink-workers", strconv.Itoa(o.sinkWorkers)}
	if o.cpuProfile != "" {
		args = append(args, "-cpuprofile", o.cpuProfile)
	}
	if o.memLimitMiB > 0 {
		args = append(args, "-sink-memory-limit", strconv.Itoa(o.memLimitMiB))
	}
	cmd := exec.Command(self, args...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &sinkChild{cmd: cmd, reports: make(chan sinkReport, 4), done: make(chan error, 1)}
	c.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var r sinkReport
			if json.Unmarshal(sc.Bytes(), &r) == nil {
				c.reports <- r
			} else {
				fmt.Fprintln(os.Stderr, "sink:", sc.Text())
			}
		}
		c.done <- cmd.Wait()
	}()
	return c, nil
}

func (c *sinkChild) pid() int { return c.cmd.Process.Pid }

func (c *sinkChild) mark() (sinkReport, error) {
	if err := c.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return sinkReport{}, err
	}
	select {
	case r := <-c.reports:
		return r, nil
	case err := <-c.done:
		return sinkReport{}, fmt.Errorf("sink process exited: %v", err)
	case <-time.After(30 * time.Second):
		return sinkReport{}, errors.New("sink process did not report its bulk phase")
	}
}

func (c *sinkChild) stop() (sinkReport, error) {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return sinkReport{}, err
	}
	var r sinkReport
	select {
	case r = <-c.reports:
	case <-time.After(60 * time.Second):
		return r, errors.New("sink process did not stop within 60 s")
	}
	if err := <-c.done; err != nil {
		return r, fmt.Errorf("sink process: %w", err)
	}
	c.cmd = nil
	return r, nil
}

func (c *sinkChild) kill() {
	if c.cmd != nil && c.cmd.ProcessState == nil {
		_ = c.cmd.Process.Kill()
	}
}

// ---------------------------------------------------------------- freshness

type freshResult struct {
	produced, seen int
	p50, p99, maxd time.Duration
	rate           float64
}

// freshness produces new vacancies at o.freshRate for o.freshDur, each
// stamped with its produce time in Provenance.FetchedAt (which the warehouse
// stores in the `version` column to the nanosecond), and polls ClickHouse
// every 50 ms for the rows not seen yet. A row's freshness is the time the
// poll that first returned it completed minus its produce time: an upper
// bound, off by at most one poll interval plus one query.
func freshness(ctx context.Context, cl *kgo.Client, ch *chHTTP, o options) (freshResult, error) {
	type sent struct {
		id string
		at int64
	}
	var mu sync.Mutex
	var order []sent
	var produceErr error
	prodDone := make(chan struct{})
	go func() {
		defer close(prodDone)
		tick := 10 * time.Millisecond
		per := o.freshRate / 100
		t := time.NewTicker(tick)
		defer t.Stop()
		end := time.Now().Add(o.freshDur)
		i := 0
		for now := range t.C {
			if now.After(end) || ctx.Err() != nil {
				return
			}
			for range per {
				r := rand.New(rand.NewPCG(o.seed+1, uint64(i)))
				id := fmt.Sprintf("fr-%07d", i)
				at := time.Now()
				v := vacancy(r, id, at)
				b, err := json.Marshal(&v)
				if err != nil {
					mu.Lock()
					produceErr = err
					mu.Unlock()
					return
				}
				mu.Lock()
				order = append(order, sent{id, at.UnixNano()})
				mu.Unlock()
				cl.Produce(ctx, &kgo.Record{Topic: pipelines.TopicVacanciesEnriched, Key: []byte(id), Value: b}, func(r *kgo.Record, err error) {
					if err != nil {
						mu.Lock()
						if produceErr == nil {
							produceErr = fmt.Errorf("produce %s: %w", r.Key, err)
						}
						mu.Unlock()
					}
				})
				i++
			}
		}
	}()

	seen := map[string]bool{}
	var lat []time.Duration
	next := 0 // index into order of the oldest record not seen yet
	producing := true
	var finished time.Time
	for {
		if producing {
			select {
			case <-prodDone:
				producing = false
				finished = time.Now()
			default:
			}
		}
		mu.Lock()
		for next < len(order) && seen[order[next].id] {
			next++
		}
		var minAt int64 = -1
		total := len(order)
		if next < len(order) {
			minAt = order[next].at
		}
		mu.Unlock()
		if !producing && next >= total {
			break
		}
		if !producing && time.Since(finished) > 30*time.Second {
			break // what is still missing counts as not seen
		}
		if minAt >= 0 {
			q := fmt.Sprintf("SELECT vacancy_id, version FROM bench_sink.vacancies WHERE vacancy_id >= 'fr-' AND vacancy_id < 'fr.' AND version >= %d FORMAT TabSeparated", minAt)
			out, err := ch.query(ctx, q)
			if err != nil {
				return freshResult{}, err
			}
			got := time.Now().UnixNano()
			for _, l := range strings.Split(out, "\n") {
				id, ver, ok := strings.Cut(l, "\t")
				if !ok || seen[id] {
					continue
				}
				at, _ := strconv.ParseInt(ver, 10, 64)
				seen[id] = true
				lat = append(lat, time.Duration(got-at))
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	err := produceErr
	mu.Unlock()
	if err != nil {
		return freshResult{}, err
	}
	res := freshResult{produced: len(order), seen: len(lat), rate: float64(len(order)) / o.freshDur.Seconds()}
	if len(lat) > 0 {
		slices.Sort(lat)
		res.p50 = lat[len(lat)/2]
		res.p99 = lat[min(len(lat)-1, len(lat)*99/100)]
		res.maxd = lat[len(lat)-1]
	}
	return res, nil
}

// ---------------------------------------------------------------- Kafka engine

// engine loads flatTopic with ClickHouse's Kafka engine: a Kafka table with
// two materialized views on it, one into vacancies and one (ARRAY JOIN) into
// vacancy_skills, the same tables our sink writes. (A Kafka -> Null table ->
// two views chain does not work in 18.16: rows pushed by the Kafka stream
// into a TO view's target do not reach the target's own views.) The views
// are created back to back, milliseconds apart, while the stream thread
// looks for views every 500 ms; watchLoad's wait for both exact counts
// would catch a block one view missed.
func engine(ctx context.Context, ch *chHTTP, o options, broker, topic string, skills int64) (loadResult, error) {
	db := "bench_engine"
	vacCols := "vacancy_id, source, url, title, description, firm_name, firm_id, municipality_code, municipality_name, province_code, district, ateco, date_posted, valid_through, openings, employment_type, contract, language, isco, isco_group, occupation_uri, occupation_label, occupation_score, eqf, experience_years, driving_licences, forklift, shifts, languages, certificates, taxonomy_version, extractor_version, fetched_at, content_hash, canonical_id, version"
	// 18.16 takes (broker_list, topic_list, group, format, row_delimiter,
	// schema, num_consumers) positionally, or the same as SETTINGS.
	table := fmt.Sprintf(`CREATE TABLE %s.kafka_flat (%s) ENGINE = Kafka SETTINGS kafka_broker_list = '%s', kafka_topic_list = '%s',
			kafka_group_name = 'bench-ch-engine', kafka_format = 'JSONEachRow', kafka_row_delimiter = '\n', kafka_num_consumers = %d, kafka_max_block_size = %d`,
		db, flatColumns, broker, topic, o.consumers, engineBlock(o.n))
	if _, err := ch.query(ctx, table); err != nil {
		return loadResult{}, err
	}
	views := []string{
		fmt.Sprintf(`CREATE MATERIALIZED VIEW %s.mv_skills TO %s.vacancy_skills AS SELECT vacancy_id, skill_uri, skill_label, skill_type,
			matched_text, start_offset, end_offset, required, preferred, negated, ambiguous, score, district, date_posted, openings, version
			FROM %s.kafka_flat ARRAY JOIN s_uri AS skill_uri, s_label AS skill_label, s_type AS skill_type, s_text AS matched_text,
			s_start AS start_offset, s_end AS end_offset, s_required AS required, s_preferred AS preferred, s_negated AS negated,
			s_ambiguous AS ambiguous, s_score AS score`, db, db, db),
		// 18.16 wants every column of a TO target, defaults included.
		fmt.Sprintf("CREATE MATERIALIZED VIEW %s.mv_vacancies TO %s.vacancies AS SELECT %s, now() AS ingested_at FROM %s.kafka_flat", db, db, vacCols, db),
	}
	start := time.Now()
	for _, v := range views {
		if _, err := ch.query(ctx, v); err != nil {
			return loadResult{}, err
		}
	}
	res, err := watchLoad(ctx, ch, o, db, int64(o.n), skills, start, 0)
	// Stop consuming whatever happened.
	for _, s := range []string{"DROP TABLE IF EXISTS %s.mv_vacancies", "DROP TABLE IF EXISTS %s.mv_skills", "DROP TABLE IF EXISTS %s.kafka_flat"} {
		if _, derr := ch.query(context.WithoutCancel(ctx), fmt.Sprintf(s, db)); derr != nil {
			fmt.Fprintln(os.Stderr, "sinkbench:", derr)
		}
	}
	return res, err
}

// engineBlock is the Kafka table's block size: the largest divisor of n not
// above 65536 (the server's max_block_size, the engine's default). 18.16
// inserts a block only when it is full and never flushes the last partial
// block (ClickHouse issue #1625), so with any other size the last rows of the
// load would never become visible.
func engineBlock(n int) int {
	for d := min(n, 65536); d > 1; d-- {
		if n%d == 0 {
			return d
		}
	}
	return 1
}

// ---------------------------------------------------------------- report

func printTable(o options, a loadResult, final sinkReport, f freshResult, b loadResult, bErr error) {
	fmt.Println()
	fmt.Printf("%-58s %18s %18s\n", fmt.Sprintf("bulk load of %d enriched vacancies", o.n), "our SinkStage", "CH Kafka engine")
	row := func(label, x, y string) { fmt.Printf("%-58s %18s %18s\n", label, x, y) }
	na := "n/a"
	eng := func(fn func() string) string {
		if bErr != nil || o.skipEngine {
			return na
		}
		return fn()
	}
	row("vacancies / vacancy_skills rows", fmt.Sprintf("%d / %d", a.rows, a.skills), eng(func() string { return fmt.Sprintf("%d / %d", b.rows, b.skills) }))
	row("start -> last row visible (s)", fmt.Sprintf("%.1f", a.last.Sub(a.start).Seconds()), eng(func() string { return fmt.Sprintf("%.1f", b.last.Sub(b.start).Seconds()) }))
	row("start -> first row visible (s)", fmt.Sprintf("%.1f", a.first.Sub(a.start).Seconds()), eng(func() string { return fmt.Sprintf("%.1f", b.first.Sub(b.start).Seconds()) }))
	row("rows/s, start -> last visible", fmt.Sprintf("%.0f", a.wallRate()), eng(func() string { return fmt.Sprintf("%.0f", b.wallRate()) }))
	row("rows/s incl. vacancy_skills, start -> last visible", fmt.Sprintf("%.0f", a.allRowsRate()), eng(func() string { return fmt.Sprintf("%.0f", b.allRowsRate()) }))
	ftl := func(r loadResult) string {
		if r.firstCount >= r.rows {
			return "one poll" // everything appeared at once
		}
		return fmt.Sprintf("%.0f", r.firstToLastRate())
	}
	row("rows/s, first -> last visible", ftl(a), eng(func() string { return ftl(b) }))
	row("CPU s: loader process (sink)", fmt.Sprintf("%.1f", a.cpuSelf), "-")
	row("CPU s: ClickHouse server", fmt.Sprintf("%.1f", a.cpuCH), eng(func() string { return fmt.Sprintf("%.1f", b.cpuCH) }))
	row("CPU s: bench process (embedded broker)", fmt.Sprintf("%.1f", a.cpuParent), eng(func() string { return fmt.Sprintf("%.1f", b.cpuParent) }))
	row("peak RSS of the sink process (MB)", fmt.Sprintf("%.0f", float64(a.peakRSSKB)/1024), "-")
	row("peak Go heap in use of the sink process (MB)", fmt.Sprintf("%.0f", float64(a.peakHeap)/1e6), "-")
	if bErr == nil && !o.skipEngine {
		fmt.Printf("ratio ours / engine (start -> last visible): %.2fx; targets: >= 2x and >= 300000 rows/s (vacancies + vacancy_skills: %.0f)\n", a.wallRate()/b.wallRate(), a.allRowsRate())
	} else if bErr != nil {
		fmt.Printf("Kafka engine: %v\n", bErr)
	}
	if o.freshDur > 0 {
		fmt.Printf("\nfreshness of our sink at %.0f records/s for %s: %d produced, %d visible; produced -> visible p50 %s, p99 %s, max %s (target p99 < 2 s)\n",
			f.rate, o.freshDur, f.produced, f.seen, f.p50.Round(time.Millisecond), f.p99.Round(time.Millisecond), f.maxd.Round(time.Millisecond))
		fmt.Printf("sink process during freshness: peak RSS %.0f MB, peak heap in use %.0f MB; over the whole run: stats %+v, %d GCs\n",
			float64(final.PeakRSSKB)/1024, float64(final.PeakHeapB)/1e6, final.Stats, final.NumGC)
	}
}
