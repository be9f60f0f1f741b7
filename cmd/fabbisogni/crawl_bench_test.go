package main

import (
	"context"
	"testing"
	"time"

	"github.com/fabbisogni/fabbisogni/crawl/crawltest"
	"github.com/fabbisogni/fabbisogni/internal/testenv"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

// BenchmarkCrawlIntoKafka2000 crawls a generated 2,000-page local board end
// to end into the embedded broker (crawl state in ClickHouse, 2 ms per-host
// delay, 4 workers, near-duplicate check, batched produce with acks=all),
// then crawls it again unchanged: the re-crawl must fetch no body (every
// request answered 304) and publish nothing.
//
//	FABBISOGNI_TEST_CLICKHOUSE=127.0.0.1:19000 go test -run XXX -bench CrawlIntoKafka -benchtime 1x ./cmd/fabbisogni/
func BenchmarkCrawlIntoKafka2000(b *testing.B) {
	board := crawltest.NewBoard(b, 2000)
	src := crawltest.Source(b, board.URL, 2*time.Millisecond)
	src.AllowPrivate = true
	for b.Loop() {
		b.StopTimer()
		a, err := newApp(options{clickhouse: testenv.ClickHouseAddr(b), database: testenv.UniqueName(b, "bench"), partitions: 3,
			data: testenv.SharedData(b), logLevel: "error"}, nil)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if err := a.openWarehouse(ctx); err != nil {
			b.Fatal(err)
		}
		if err := a.startKafka(ctx); err != nil {
			b.Fatal(err)
		}
		gaz, err := a.gazetteer()
		if err != nil {
			b.Fatal(err)
		}
		c, dedup, flushState, err := a.crawler(ctx, gaz)
		if err != nil {
			b.Fatal(err)
		}
		board.Reset()
		b.StartTimer()
		start := time.Now()
		buf := newVacancyBuffer(a.producer, 200)
		st, err := c.Crawl(ctx, src, dedup(buf.add))
		if err == nil {
			err = buf.flush(ctx)
		}
		if err == nil {
			err = flushState(ctx)
		}
		if err != nil || st.Vacancies != 2000 || st.Failed != 0 {
			b.Fatalf("first crawl: %+v, %v", st, err)
		}
		first := time.Since(start)
		lag, err := pipelines.Lag(ctx, a.brokers, pipelines.GroupExtract, pipelines.TopicVacanciesRaw)
		if err != nil || lag != 2000 {
			b.Fatalf("vacancies.raw holds %d records (%v), want 2000", lag, err)
		}
		board.Reset()
		start = time.Now()
		st, err = c.Crawl(ctx, src, dedup(buf.add))
		if err == nil {
			err = flushState(ctx)
		}
		again := time.Since(start)
		b.StopTimer()
		if err != nil || st.Vacancies != 0 {
			b.Fatalf("re-crawl emitted %d: %+v, %v", st.Vacancies, st, err)
		}
		bodies := board.Reset()
		b.ReportMetric(2040/first.Seconds(), "pages/s")
		b.ReportMetric(float64(bodies), "recrawl_bodies")
		b.ReportMetric(again.Seconds(), "recrawl_s")
		a.wh.DropDatabase(ctx)
		a.close()
		b.StartTimer()
	}
}
