package spans

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// DefaultConcurrentExports is how many exports a provider has in flight
// at most ([Config.ConcurrentExports]), unless its Config says otherwise.
// One export at a time, as the SDK's batch processor sends, falls behind a
// thousand VUs on two cores: the exporting goroutine gets a thousandth of
// the CPU while the queue fills. Eight in flight keep up, over either
// protocol (see docs/performance.md), as the OpenTelemetry Collector's
// exporters send from several consumers.
const DefaultConcurrentExports = 8

// batchDelay is how long a batch waits to fill before it is exported
// anyway, the SDK's default (OTEL_BSP_SCHEDULE_DELAY).
const batchDelay = 5 * time.Second

// exportQueue is the provider's span processor: a bounded queue that
// never blocks the goroutine that ends a span (a full queue drops it), one
// goroutine that cuts the queue into batches of up to maxExportBatch
// spans, and workers that export them, several at once.
//
// Every sampled span that ends while the queue is open is counted once,
// in exactly one of: exported, failed (its export failed), dropped because
// the queue was full, or still queued when the flush timeout ended (see
// [Stats]). Shutdown waits until every span is counted, so the counts add
// up.
type exportQueue struct {
	exporter sdktrace.SpanExporter
	counts   *counts
	maxBatch int

	// mu guards closed against OnEnd: once Shutdown holds it, no span
	// enters the queue, so that the drain at the end sees every one.
	mu     sync.RWMutex
	closed bool

	queue   chan sdktrace.ReadOnlySpan
	batches chan []sdktrace.ReadOnlySpan // the batcher's to the workers
	// draining is closed when Shutdown begins: the batcher then cuts
	// what is queued into batches without waiting.
	draining chan struct{}
	// live is the context of every export: cancelled when the flush
	// timeout ends, which interrupts the exports in flight.
	live    context.Context
	endLive context.CancelFunc
	// late is set when the flush timeout ended: what is not exported by
	// then counts as still queued.
	late atomic.Bool
	done sync.WaitGroup // the batcher and the workers
}

// newExportQueue starts the batcher and concurrency workers.
func newExportQueue(exp sdktrace.SpanExporter, c *counts, queueSize, concurrency int) *exportQueue {
	live, endLive := context.WithCancel(context.Background())
	q := &exportQueue{
		exporter: exp,
		counts:   c,
		maxBatch: min(maxExportBatch, queueSize),
		queue:    make(chan sdktrace.ReadOnlySpan, queueSize),
		batches:  make(chan []sdktrace.ReadOnlySpan),
		draining: make(chan struct{}),
		live:     live,
		endLive:  endLive,
	}
	q.done.Add(1 + concurrency)
	go q.batch()
	for range concurrency {
		go q.work()
	}
	return q
}

// OnStart implements [sdktrace.SpanProcessor]: nothing happens at a start.
func (q *exportQueue) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

// OnEnd queues a sampled span, or drops it when the queue is full.
func (q *exportQueue) OnEnd(s sdktrace.ReadOnlySpan) {
	if !s.SpanContext().IsSampled() {
		return
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return
	}
	q.counts.ended.Add(1)
	select {
	case q.queue <- s:
	default:
		q.counts.queueFull.Add(1)
		recycleSpan(s)
	}
}

// batch cuts the queue into batches for the workers: a batch goes when it
// is full or batchDelay after its first span, and, once Shutdown began,
// at once. A batch waits for a free worker, and the queue fills
// meanwhile: that is the back-pressure that drops spans rather than
// blocking the VUs.
func (q *exportQueue) batch() {
	defer q.done.Done()
	defer close(q.batches)
	timer := time.NewTimer(batchDelay)
	timer.Stop()
	var batch []sdktrace.ReadOnlySpan
	hand := func() {
		if len(batch) > 0 {
			q.hand(batch)
			batch = nil
		}
	}
	for {
		select {
		case s := <-q.queue:
			batch = append(batch, s)
			if len(batch) == 1 {
				timer.Reset(batchDelay)
			}
			if len(batch) >= q.maxBatch {
				timer.Stop()
				hand()
			}
		case <-timer.C:
			hand()
		case <-q.draining:
			timer.Stop()
			for {
				select {
				case s := <-q.queue:
					batch = append(batch, s)
					if len(batch) >= q.maxBatch {
						hand()
					}
					continue
				default:
				}
				break
			}
			hand()
			return
		}
	}
}

// hand gives batch to a free worker, or, once the flush timeout ended,
// counts it as still queued.
func (q *exportQueue) hand(batch []sdktrace.ReadOnlySpan) {
	if !q.late.Load() {
		select {
		case q.batches <- batch:
			return
		case <-q.live.Done():
		}
	}
	q.counts.flushTimeout.Add(int64(len(batch)))
	recycleEnded(batch)
}

// work exports batches until the batcher is done. An export that the end
// of the flush timeout interrupted counts as still queued (with the error
// of its last failed attempt, if any, kept); one that failed otherwise, as
// failed, with its error kept for the one report at the end
// (the SDK's processor would hand every failure to OpenTelemetry's global
// error handler, which prints a line each).
func (q *exportQueue) work() {
	defer q.done.Done()
	for batch := range q.batches {
		err := q.exporter.ExportSpans(q.live, batch)
		n := int64(len(batch))
		switch {
		case err == nil:
			q.counts.exported.Add(n)
		case q.late.Load():
			q.counts.flushTimeout.Add(n)
			// An export retrying a collector that fails keeps the
			// failure: the report then names the collector, not the
			// flush timeout alone.
			var interrupted *interruptedError
			if errors.As(err, &interrupted) && interrupted.failure != nil {
				q.counts.lastErr.Store(&interrupted.failure)
			}
		default:
			q.counts.failed.Add(n)
			q.counts.lastErr.Store(&err)
		}
		recycleEnded(batch)
	}
}

// Shutdown closes the queue and exports what it holds, several batches at
// once, until ctx ends; then it interrupts the exports in flight. It
// returns once every span is counted, and shuts the exporter down; its
// error says when the flush timed out.
func (q *exportQueue) Shutdown(ctx context.Context) error {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return nil
	}
	q.closed = true
	q.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		q.late.Store(true)
		q.endLive()
	})
	defer stop()
	close(q.draining)
	q.done.Wait()
	q.endLive()
	err := q.exporter.Shutdown(context.WithoutCancel(ctx))
	if n := q.counts.flushTimeout.Load(); n > 0 {
		err = errors.Join(fmt.Errorf("%w: %d spans were not exported when the flush timeout ended: %w",
			ErrFlushTimeout, n, context.Cause(ctx)), err)
	}
	return err
}

// ErrFlushTimeout is the error of a provider's Shutdown when its flush
// timeout ended before every span was exported, and no export failed.
var ErrFlushTimeout = errors.New("the flush timed out")

// ForceFlush implements [sdktrace.SpanProcessor]; the provider flushes
// only at its shutdown.
func (q *exportQueue) ForceFlush(context.Context) error { return nil }
