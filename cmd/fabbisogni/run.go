package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/fabbisogni/fabbisogni"
	"github.com/fabbisogni/fabbisogni/crawl"
	"github.com/fabbisogni/fabbisogni/pipelines"
)

func init() {
	register(command{name: "run", summary: "run every stage and the scheduled crawls until SIGINT/SIGTERM", run: runRun})
}

func runRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o options
	var sources, httpAddr string
	var drain, trimEvery time.Duration
	var pull pullOptions
	var pullSchedule, forecastSchedule, rejects string
	fs := newFlagSet("run", "run [flags]", `
Runs the pipeline until SIGINT or SIGTERM: the extract and sink stages as
Kafka consumer groups (start more processes with the same --brokers to scale
out), and the scheduled jobs: the crawl of every source in --sources on its
cron schedule, the pull of the campaign endpoint --url (token in
FABBISOGNI_SURVEY_TOKEN), the forecasts, and the trimming of the embedded
broker. Every job run is recorded in the job_runs table (fabbisogni jobs). On a
signal it stops intake, lets each stage finish and commit its open batch
(--drain), waits for running jobs, and exits. On --http, /healthz says whether
the brokers and ClickHouse answer and /metrics serves Prometheus metrics
(records in / out / failed per stage, retries, batch sizes and durations,
consumer lag).`, stderr)
	o.addLog(fs)
	o.addWarehouse(fs)
	o.addKafka(fs)
	o.addStages(fs)
	o.addData(fs)
	o.addNLP(fs)
	fs.StringVar(&sources, "sources", "", "sources file whose sources are crawled on their schedules (none if empty)")
	fs.StringVar(&httpAddr, "http", "127.0.0.1:9464", "address of the /healthz and /metrics endpoints; empty disables them")
	fs.DurationVar(&drain, "drain", 30*time.Second, "time allowed to drain on shutdown")
	pull.add(fs)
	fs.StringVar(&pullSchedule, "survey-schedule", "0 6 * * *", "cron spec of the survey pull from --url")
	fs.StringVar(&rejects, "rejects", "var/rejects", "folder for the rejects reports of survey pulls")
	fs.StringVar(&forecastSchedule, "forecast-schedule", "30 6 * * *", "cron spec of the forecast job (empty disables it)")
	fs.DurationVar(&trimEvery, "trim-every", time.Minute, "embedded broker: how often records every stage has committed are deleted (0 never)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := newApp(o, stderr)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.openWarehouse(ctx); err != nil {
		return err
	}
	ex, _, err := a.extractor()
	if err != nil {
		return err
	}
	if err := a.startKafka(ctx); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if a.metrics, err = pipelines.NewMetrics(reg); err != nil {
		return err
	}
	lagCtx, stopLag := context.WithCancel(ctx)
	defer stopLag()
	go a.metrics.WatchLag(lagCtx, a.brokers, 10*time.Second, a.log)
	st, err := a.startStages(ctx, ex)
	if err != nil {
		return err
	}
	sched := pipelines.NewScheduler(ctx, a.log)
	sched.OnFinish = func(r fabbisogni.JobRun) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if err := a.wh.RecordJobRun(rctx, r); err != nil {
			a.log.Warn("job run not recorded", "job", r.Job, "err", err)
		}
	}
	if sources != "" {
		if err := a.scheduleCrawls(ctx, sched, sources); err != nil {
			st.stop()
			return err
		}
	}
	if pull.url != "" {
		gaz, err := a.gazetteer()
		if err != nil {
			st.stop()
			return err
		}
		if err := sched.Add("survey pull", pullSchedule, func(ctx context.Context) (int64, error) {
			s, err := a.pullSurvey(ctx, gaz, pull, rejects)
			return int64(s.Accepted), err
		}); err != nil {
			st.stop()
			return err
		}
	}
	if forecastSchedule != "" {
		if err := sched.Add("forecast", forecastSchedule, a.forecastJobRows); err != nil {
			st.stop()
			return err
		}
	}
	if a.broker != nil && trimEvery > 0 {
		// The embedded broker keeps its log in memory: drop what every
		// stage has committed, so a long run stays bounded.
		if err := sched.Add("trim broker", fmt.Sprintf("@every %s", trimEvery), func(ctx context.Context) (int64, error) {
			return pipelines.TrimCommitted(ctx, a.brokers[0])
		}); err != nil {
			st.stop()
			return err
		}
	}
	sched.Start()
	var srv *http.Server
	if httpAddr != "" {
		srv, err = a.serveHTTP(httpAddr, reg)
		if err != nil {
			st.stop()
			return err
		}
	}
	a.log.Info("running; SIGINT or SIGTERM to stop", "brokers", a.brokers, "clickhouse", a.wh.Addr())
	<-ctx.Done()
	a.log.Info("stopping: draining stages and jobs", "timeout_ms", drain.Milliseconds())
	dctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	errs := []error{sched.Stop(dctx), st.stop()}
	if srv != nil {
		errs = append(errs, srv.Shutdown(dctx))
	}
	ex1, sk := st.extract.Stats(), st.sinkStats()
	a.log.Info("stopped", "extracted", ex1.Out, "stored", sk.Out, "dead_lettered", ex1.Failed+sk.Failed)
	return errors.Join(errs...)
}

func (a *app) scheduleCrawls(ctx context.Context, sched *pipelines.Scheduler, path string) error {
	srcs, err := crawl.LoadSources(path)
	if err != nil {
		return err
	}
	gaz, err := a.gazetteer()
	if err != nil {
		return err
	}
	c, dedup, flushState, err := a.crawler(ctx, gaz)
	if err != nil {
		return err
	}
	for _, src := range srcs {
		if src.Schedule == "" {
			continue
		}
		if err := sched.Add("crawl "+src.Name, src.Schedule, func(ctx context.Context) (int64, error) {
			buf := newVacancyBuffer(a.producer, 200)
			stats, err := c.Crawl(ctx, src, dedup(buf.add))
			if ferr := buf.flush(ctx); err == nil {
				err = ferr
			}
			if ferr := flushState(ctx); err == nil {
				err = ferr
			}
			a.log.Info("crawl finished", "source", src.Name, "pages", stats.Pages, "vacancies", stats.Vacancies,
				"unchanged", stats.Unchanged, "not_modified", stats.NotModified, "failed", stats.Failed)
			return int64(stats.Vacancies), err
		}); err != nil {
			return err
		}
	}
	return nil
}

func (a *app) serveHTTP(addr string, reg *prometheus.Registry) (*http.Server, error) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		status := map[string]string{"broker": "ok", "clickhouse": "ok"}
		code := http.StatusOK
		if err := pipelines.Ping(ctx, a.brokers); err != nil {
			status["broker"], code = err.Error(), http.StatusServiceUnavailable
		}
		if err := a.wh.Ping(ctx); err != nil {
			status["clickhouse"], code = err.Error(), http.StatusServiceUnavailable
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(status)
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("health endpoint: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	a.log.Info("operator endpoints", "healthz", "http://"+ln.Addr().String()+"/healthz", "metrics", "http://"+ln.Addr().String()+"/metrics")
	return srv, nil
}
