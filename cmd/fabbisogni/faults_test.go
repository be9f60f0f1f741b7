package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds cmd/fabbisogni once per test process.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "fabbisogni-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "fabbisogni")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// worker is a `fabbisogni run` process.
type worker struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	log     strings.Builder
	metrics chan string // URL of /metrics, once logged
	done    chan error
}

func startWorker(t *testing.T, brokers []string, database string) *worker {
	t.Helper()
	cmd := exec.Command(buildBinary(t), "run",
		"--brokers", strings.Join(brokers, ","),
		"--clickhouse", testenv.ClickHouseAddr(t), "--database", database,
		"--data", testenv.SharedData(t),
		"--http", "127.0.0.1:0", "--batch-rows", "50", "--batch-wait", "20ms", "--drain", "20s")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{cmd: cmd, metrics: make(chan string, 1), done: make(chan error, 1)}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlRE := regexp.MustCompile(`metrics=(http://\S+/metrics)`)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			w.mu.Lock()
			w.log.WriteString(line + "\n")
			w.mu.Unlock()
			if m := urlRE.FindStringSubmatch(line); m != nil {
				w.metrics <- m[1]
			}
		}
		w.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
		}
	})
	return w
}

func (w *worker) logs() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.log.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (w *worker) stop(t *testing.T) {
	t.Helper()
	w.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-w.done:
		if err != nil {
			t.Fatalf("worker exited with %v after SIGTERM:\n%s", err, w.logs())
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("worker did not stop within 60s of SIGTERM:\n%s", w.logs())
	}
}

func (w *worker) kill(t *testing.T) {
	t.Helper()
	w.cmd.Process.Signal(syscall.SIGKILL)
	<-w.done
}

// extractedIn reads the worker's fabbisogni_stage_records_total for stage
// extract, result in.
func (w *worker) extractedIn(t *testing.T) float64 {
	t.Helper()
	var url string
	select {
	case url = <-w.metrics:
		w.metrics <- url
	case <-time.After(60 * time.Second):
		t.Fatalf("worker never logged its metrics URL:\n%s", w.logs())
	}
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	m := regexp.MustCompile(`fabbisogni_stage_records_total\{result="in",stage="extract"\} (\S+)`).FindSubmatch(b)
	if m == nil {
		return 0
	}
	f, _ := strconv.ParseFloat(string(m[1]), 64)
	return f
}

func syntheticVacancies(prefix string, n int) []fabbisogni.Vacancy {
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	vs := make([]fabbisogni.Vacancy, n)
	for i := range vs {
		vs[i] = fabbisogni.Vacancy{
			ID:          fmt.Sprintf("%s-%06d", prefix, i),
			Title:       "Saldatore TIG",
			Description: "Cerchiamo saldatore con esperienza di saldatura TIG e lettura del disegno tecnico. Richiesta patente B.",
			District:    "torino-automotive", Openings: 1 + i%3,
			Provenance: fabbisogni.Provenance{Source: "fault-test", FetchedAt: now},
		}
	}
	return vs
}

func publish(t *testing.T, brokers []string, vs []fabbisogni.Vacancy) {
	t.Helper()
	p, err := pipelines.NewProducer(pipelines.ProducerConfig{Brokers: brokers})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for i := 0; i < len(vs); i += 500 {
		if err := p.PublishVacancies(t.Context(), vs[i:min(i+500, len(vs))]...); err != nil {
			t.Fatal(err)
		}
	}
}

func vacancyCount(t *testing.T, w *warehouse.Warehouse, final bool) int {
	t.Helper()
	q := "SELECT vacancy_id FROM vacancies"
	if final {
		q += " FINAL"
	}
	n, err := w.RunQuery(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWorkerKilledMidBatch: a worker killed with SIGKILL while ingesting,
// then restarted, leaves exactly one row per record: nothing lost (offsets
// were committed only after inserts), nothing doubled (the replayed batch is
// absorbed by the ReplacingMergeTree key).
func TestWorkerKilledMidBatch(t *testing.T) {
	brokers := testservers.Broker(t)
	wh := testservers.Warehouse(t)
	const n = 6000
	publish(t, brokers, syntheticVacancies("kill", n))

	w1 := startWorker(t, brokers, wh.Database())
	deadline := time.Now().Add(3 * time.Minute)
	for vacancyCount(t, wh, false) < 500 {
		if time.Now().After(deadline) {
			t.Fatalf("nothing ingested in 3 minutes:\n%s", w1.logs())
		}
		time.Sleep(20 * time.Millisecond)
	}
	w1.kill(t)
	killedAt := vacancyCount(t, wh, true)
	t.Logf("killed with %d of %d vacancies stored", killedAt, n)

	w2 := startWorker(t, brokers, wh.Database())
	if err := pipelines.WaitDrained(t.Context(), brokers, 5*time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, w2.logs())
	}
	w2.stop(t)
	if got := vacancyCount(t, wh, true); got != n {
		t.Fatalf("%d vacancies after kill and restart, want exactly %d", got, n)
	}
	if dls, err := pipelines.ReadDeadLetters(t.Context(), brokers, 10); err != nil || len(dls) != 0 {
		t.Fatalf("dead letters %v, err %v", dls, err)
	}
}

// TestTwoWorkersShareAndTakeOver: two workers in one consumer group both
// get partitions; when one is killed, the other takes over its partitions
// and everything arrives exactly once.
func TestTwoWorkersShareAndTakeOver(t *testing.T) {
	brokers := testservers.Broker(t)
	wh := testservers.Warehouse(t)
	a := startWorker(t, brokers, wh.Database())
	b := startWorker(t, brokers, wh.Database())
	// Wait until both have joined before producing, so both get partitions.
	for _, w := range []*worker{a, b} {
		deadline := time.Now().Add(2 * time.Minute)
		for !strings.Contains(w.logs(), "stage started") {
			if time.Now().After(deadline) {
				t.Fatalf("worker did not start:\n%s", w.logs())
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	time.Sleep(3 * time.Second) // let the group settle on its two members
	const n = 3000
	publish(t, brokers, syntheticVacancies("share", n))
	if err := pipelines.WaitDrained(t.Context(), brokers, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	inA, inB := a.extractedIn(t), b.extractedIn(t)
	t.Logf("worker a extracted %v records, worker b %v", inA, inB)
	if inA == 0 || inB == 0 {
		t.Fatalf("one worker got no partition: a=%v b=%v\nA:\n%s\nB:\n%s", inA, inB, a.logs(), b.logs())
	}

	a.kill(t)
	publish(t, brokers, syntheticVacancies("takeover", n))
	if err := pipelines.WaitDrained(t.Context(), brokers, 5*time.Minute); err != nil {
		t.Fatalf("%v\nB:\n%s", err, b.logs())
	}
	b.stop(t)
	if got := vacancyCount(t, wh, true); got != 2*n {
		t.Fatalf("%d vacancies, want exactly %d", got, 2*n)
	}
}
