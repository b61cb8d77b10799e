package spans

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// stubExporter hands each export to its function, and counts the spans
// it was given and the exports in flight.
type stubExporter struct {
	export   func(ctx context.Context, n int) error
	spans    atomic.Int64
	inFlight atomic.Int32
	maxIn    atomic.Int32
	shutdown atomic.Bool
}

func (s *stubExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.maxIn.Load(); n > m && !s.maxIn.CompareAndSwap(m, n); m = s.maxIn.Load() {
	}
	s.spans.Add(int64(len(spans)))
	if s.export == nil {
		return nil
	}
	return s.export(ctx, len(spans))
}

func (s *stubExporter) Shutdown(context.Context) error {
	s.shutdown.Store(true)
	return nil
}

// sampledSpan returns a finished sampled span.
func sampledSpan() sdktrace.ReadOnlySpan {
	sc := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled,
	})
	return tracetest.SpanStub{Name: "GET", SpanContext: sc}.Snapshot()
}

func statsOf(c *counts) Stats {
	return Stats{
		Ended: c.ended.Load(), Exported: c.exported.Load(), Failed: c.failed.Load(),
		QueueFull: c.queueFull.Load(), FlushTimeout: c.flushTimeout.Load(),
	}
}

// requireAddsUp checks that every ended span is counted exactly once.
func requireAddsUp(t *testing.T, s Stats) {
	t.Helper()
	require.Equal(t, s.Ended, s.Exported+s.Failed+s.QueueFull+s.FlushTimeout, "%+v", s)
}

// Several exports are in flight at once: each export here waits until
// the others of its wave arrived, which one at a time never would.
func TestExportQueueExportsSeveralBatchesAtOnce(t *testing.T) {
	t.Parallel()
	const concurrency = 4
	var wave sync.WaitGroup
	wave.Add(concurrency)
	exp := &stubExporter{export: func(ctx context.Context, _ int) error {
		wave.Done()
		waited := make(chan struct{})
		go func() { wave.Wait(); close(waited) }()
		select {
		case <-waited:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
	c := &counts{}
	q := newExportQueue(exp, c, 4*maxExportBatch, concurrency)
	for range concurrency * maxExportBatch {
		q.OnEnd(sampledSpan())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(t, q.Shutdown(ctx))
	require.EqualValues(t, concurrency, exp.maxIn.Load(), "exports in flight at once")
	s := statsOf(c)
	require.Equal(t, Stats{Ended: concurrency * maxExportBatch, Exported: concurrency * maxExportBatch}, s)
	require.True(t, exp.shutdown.Load(), "the exporter is shut down")
}

// A full queue drops at once, without waiting for the exporter; at the
// end, what was queued is exported, and every span is counted once.
func TestExportQueueDropsWhenFullAndCountsEverySpan(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	exp := &stubExporter{export: func(context.Context, int) error {
		<-release
		return nil
	}}
	c := &counts{}
	const queueSize = 100
	q := newExportQueue(exp, c, queueSize, 1)
	start := time.Now()
	for range 10 * queueSize {
		q.OnEnd(sampledSpan())
	}
	require.Less(t, time.Since(start), time.Second, "OnEnd never waits for the exporter")
	close(release)
	require.NoError(t, q.Shutdown(context.Background()))
	s := statsOf(c)
	requireAddsUp(t, s)
	require.EqualValues(t, 10*queueSize, s.Ended)
	require.Positive(t, s.QueueFull)
	require.Equal(t, exp.spans.Load(), s.Exported, "what the exporter got is what was exported")
	require.Zero(t, s.Failed+s.FlushTimeout)
}

// When the flush timeout ends, the exports in flight are interrupted and
// what they and the queue held counts as still queued, not as failed;
// Shutdown returns about then.
func TestExportQueueFlushTimeout(t *testing.T) {
	t.Parallel()
	exp := &stubExporter{export: func(ctx context.Context, _ int) error {
		<-ctx.Done()
		return ctx.Err()
	}}
	c := &counts{}
	q := newExportQueue(exp, c, 10*maxExportBatch, 2)
	for range 5 * maxExportBatch {
		q.OnEnd(sampledSpan())
	}
	const flush = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), flush)
	defer cancel()
	start := time.Now()
	err := q.Shutdown(ctx)
	require.Less(t, time.Since(start), flush+2*time.Second)
	require.ErrorIs(t, err, ErrFlushTimeout)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	s := statsOf(c)
	requireAddsUp(t, s)
	require.Equal(t, Stats{Ended: 5 * maxExportBatch, FlushTimeout: 5 * maxExportBatch}, s)

	q.OnEnd(sampledSpan())
	require.Equal(t, s, statsOf(c), "a span that ends after the shutdown is not counted")
}

// A failed export counts its spans as failed and keeps the error.
func TestExportQueueCountsFailedExports(t *testing.T) {
	t.Parallel()
	errDown := errors.New("collector down")
	exp := &stubExporter{export: func(context.Context, int) error { return errDown }}
	c := &counts{}
	q := newExportQueue(exp, c, 1000, 2)
	for range 700 {
		q.OnEnd(sampledSpan())
	}
	q.OnEnd(tracetest.SpanStub{Name: "unsampled"}.Snapshot())
	require.NoError(t, q.Shutdown(context.Background()))
	require.Equal(t, Stats{Ended: 700, Failed: 700}, statsOf(c), "unsampled spans are not counted")
	require.ErrorIs(t, *c.lastErr.Load(), errDown)
}
