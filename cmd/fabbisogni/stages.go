package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fabbisogni/fabbisogni/pipelines"
)

// stages runs the extract stage and the sink workers in the background.
type stages struct {
	extract *pipelines.ExtractStage
	sinks   []*pipelines.SinkStage
	cancel  context.CancelFunc
	errc    chan error
}

func (a *app) startStages(ctx context.Context, ex pipelines.Extractor) (*stages, error) {
	cfg := pipelines.StageConfig{Brokers: a.brokers, Logger: a.log, Metrics: a.metrics, BatchRows: a.o.batchRows, BatchWait: a.o.batchWait}
	es, err := pipelines.NewExtractStage(cfg, ex, a.producer)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	s := &stages{extract: es, cancel: cancel}
	for i := 0; i < max(a.o.sinkWorkers, 1); i++ {
		ss, err := pipelines.NewSinkStage(cfg, a.wh, a.producer)
		if err != nil {
			cancel()
			return nil, err
		}
		s.sinks = append(s.sinks, ss)
	}
	s.errc = make(chan error, 1+len(s.sinks))
	go func() { s.errc <- es.Run(sctx) }()
	for _, ss := range s.sinks {
		go func() { s.errc <- ss.Run(sctx) }()
	}
	return s, nil
}

// sinkStats adds up the sink workers' counters.
func (s *stages) sinkStats() pipelines.StageStats {
	var t pipelines.StageStats
	for _, ss := range s.sinks {
		st := ss.Stats()
		t.In, t.Out, t.Failed, t.Batches, t.Retries = t.In+st.In, t.Out+st.Out, t.Failed+st.Failed, t.Batches+st.Batches, t.Retries+st.Retries
	}
	return t
}

// stop stops intake, lets each stage drain its open batch, and waits.
func (s *stages) stop() error {
	s.cancel()
	var errs []error
	for i := 0; i < cap(s.errc); i++ {
		if err := <-s.errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// waitDrained waits until both stages have committed everything produced so
// far, or one of them failed.
func (s *stages) waitDrained(ctx context.Context, brokers []string, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- pipelines.WaitDrained(ctx, brokers, timeout) }()
	select {
	case err := <-done:
		return err
	case err := <-s.errc:
		s.errc <- err // keep it for stop
		return fmt.Errorf("a stage stopped: %w", err)
	}
}

func readDeadLetters(ctx context.Context, brokers []string, max int) ([]pipelines.DeadLetter, error) {
	return pipelines.ReadDeadLetters(ctx, brokers, max)
}
