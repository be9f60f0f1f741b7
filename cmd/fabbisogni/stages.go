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
	sink    *pipelines.SinkStage
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
	scfg := cfg
	scfg.Workers = max(a.o.sinkWorkers, 1)
	if s.sink, err = pipelines.NewSinkStage(scfg, a.wh, a.producer); err != nil {
		cancel()
		return nil, err
	}
	s.errc = make(chan error, 2)
	go func() { s.errc <- es.Run(sctx) }()
	go func() { s.errc <- s.sink.Run(sctx) }()
	return s, nil
}

// sinkStats returns the sink stage's counters.
func (s *stages) sinkStats() pipelines.StageStats { return s.sink.Stats() }

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
