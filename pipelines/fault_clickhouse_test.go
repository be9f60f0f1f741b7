package pipelines_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/internal/testservers"
	"github.com/fabbisogni/fabbisogni/pipelines"
	"github.com/fabbisogni/fabbisogni/warehouse"
)

// TestClickHouseDownMidIngest stops ClickHouse for 30 s in the middle of an
// ingest and starts it again: the sink backs off and retries, and every
// record arrives exactly once (FINAL count), none dead-lettered.
func TestClickHouseDownMidIngest(t *testing.T) {
	ch := testenv.StartClickHouse(t)
	brokers := testservers.Broker(t)
	ctx := t.Context()
	cfg := warehouse.DefaultConfig()
	cfg.Addr = ch.Addr
	cfg.Database = "faults"
	cfg.DialTimeout = time.Second
	w, err := warehouse.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	p := newProducer(t, brokers)

	scfg := pipelines.StageConfig{Brokers: brokers, BatchRows: 100, BatchWait: 20 * time.Millisecond, MaxBackoff: 2 * time.Second}
	ex, err := pipelines.NewExtractStage(scfg, wordExtractor{}, p)
	if err != nil {
		t.Fatal(err)
	}
	sk, err := pipelines.NewSinkStage(scfg, w, p)
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	errc := make(chan error, 2)
	go func() { errc <- ex.Run(sctx) }()
	go func() { errc <- sk.Run(sctx) }()

	// Produce 60 batches of 100 records over about 60 s; ClickHouse goes
	// down after the first 10 s for 30 s.
	const batches, per = 60, 100
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	produced := make(chan error, 1)
	go func() {
		for b := 0; b < batches; b++ {
			vs := make([]fabbisogni.Vacancy, per)
			for i := range vs {
				vs[i] = fabbisogni.Vacancy{ID: fmt.Sprintf("ch-%03d-%03d", b, i), Title: "Saldatore", Description: "saldatura a filo",
					Openings: 1, Provenance: fabbisogni.Provenance{Source: "fault", FetchedAt: now}}
			}
			if err := p.PublishVacancies(ctx, vs...); err != nil {
				produced <- err
				return
			}
			time.Sleep(time.Second)
		}
		produced <- nil
	}()
	time.Sleep(10 * time.Second)
	ch.Stop()
	t.Log("ClickHouse stopped")
	time.Sleep(30 * time.Second)
	ch.Start()
	t.Log("ClickHouse started again")
	if err := <-produced; err != nil {
		t.Fatal(err)
	}
	if err := pipelines.WaitDrained(ctx, brokers, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	stop()
	for i := 0; i < 2; i++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if sk.Stats().Retries == 0 {
		t.Error("the sink never retried: ClickHouse was not down during the ingest")
	}
	n, err := w.RunQuery(ctx, "SELECT vacancy_id FROM vacancies FINAL")
	if err != nil {
		t.Fatal(err)
	}
	if n != batches*per {
		t.Fatalf("%d vacancies after the outage, want exactly %d", n, batches*per)
	}
	if st := sk.Stats(); st.Failed != 0 {
		t.Fatalf("%d records dead-lettered during the outage", st.Failed)
	}
	t.Logf("sink: %+v", sk.Stats())
}
