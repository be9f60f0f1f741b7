package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fabbisogni/fabbisogni/pipelines"
)

// stages runs the extract and sink stages in the background.
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
	ss, err := pipelines.NewSinkStage(cfg, a.wh, a.producer)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	s := &stages{extract: es, sink: ss, cancel: cancel, errc: make(chan error, 2)}
	go func() { s.errc <- es.Run(sctx) }()
	go func() { s.errc <- ss.Run(sctx) }()
	return s, nil
}

// stop stops intake, lets each stage drain its open batch, and waits.
func (s *stages) stop() error {
	s.cancel()
	var errs []error
	for i := 0; i < 2; i++ {
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
