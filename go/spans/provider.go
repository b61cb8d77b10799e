package spans

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// maxExportBatch is the most spans one export carries, the SDK's default.
const maxExportBatch = 512

// InstrumentationName names the tracer of the exported spans.
const InstrumentationName = "github.com/xk6-tracing/xk6-tracing"

// Provider exports spans: the OpenTelemetry SDK's tracer provider with an
// export queue that is bounded and never blocks (a full queue drops the
// span) and exports several batches at once ([exportQueue]), and counts
// of what happened to every ended span.
type Provider struct {
	cfg    Config
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	stats  *counts
	// processor and resource are the tracer provider's, for [Ended] spans.
	processor sdktrace.SpanProcessor
	resource  *resource.Resource
	closed    atomic.Bool
}

// Stats say what became of the spans that ended. Every ended span is in
// exactly one of the other counts, once the provider is shut down.
type Stats struct {
	// Ended spans were handed to the export queue.
	Ended int64
	// Exported spans were accepted by the endpoint.
	Exported int64
	// Failed spans were in export requests that failed.
	Failed int64
	// QueueFull spans were dropped as they ended: the queue was full.
	QueueFull int64
	// FlushTimeout spans were still queued, or in exports under way, when
	// the flush timeout ended.
	FlushTimeout int64
}

// Dropped is the number of spans never sent: the queue was full, or the
// flush timed out.
func (s Stats) Dropped() int64 { return s.QueueFull + s.FlushTimeout }

// Lost is the number of spans not delivered, for whatever reason.
func (s Stats) Lost() int64 { return s.Dropped() + s.Failed }

type counts struct {
	ended, exported, failed, queueFull, flushTimeout atomic.Int64
	lastErr                                          atomic.Pointer[error]
}

// Start returns a provider that exports to cfg's endpoint. Nothing
// connects until the first export.
func Start(_ context.Context, cfg Config) (*Provider, error) {
	exp, err := newExporter(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	return startWith(cfg, exp), nil
}

// startWith returns a provider that exports through exp, which must not
// keep the spans of an export after it returns: [Ended] spans are
// recycled then.
func startWith(cfg Config, exp sdktrace.SpanExporter) *Provider {
	stats := &counts{}
	processor := newExportQueue(exp, stats, cfg.QueueSize, cfg.concurrentExports())
	attrs := []attribute.KeyValue{attribute.String("service.name", cfg.ServiceName)}
	for _, a := range cfg.Resource {
		attrs = append(attrs, attribute.String(a.Key, a.Value))
	}
	res := resource.NewSchemaless(attrs...)
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(processor),
		sdktrace.WithIDGenerator(newIDGenerator()),
		sdktrace.WithResource(res),
		// k6 decided the sampling: unsampled requests start no span.
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
	)
	return &Provider{
		cfg: cfg, tp: tp, tracer: tp.Tracer(InstrumentationName), stats: stats,
		processor: processor, resource: res,
	}
}

func newExporter(cfg Config) (sdktrace.SpanExporter, error) {
	if cfg.Protocol == GRPC {
		return newGRPCExporter(cfg)
	}
	return newHTTPExporter(cfg)
}

// Tracer returns the tracer spans are started with.
func (p *Provider) Tracer() trace.Tracer { return p.tracer }

// Config returns the provider's configuration.
func (p *Provider) Config() Config { return p.cfg }

// Shutdown exports what is queued, within the flush timeout, and stops.
// It returns what became of every span, and the error of the last export
// attempt that failed; when none did, its own error ([ErrFlushTimeout]
// when the flush timeout ended first).
func (p *Provider) Shutdown(ctx context.Context) (Stats, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.FlushTimeout)
	defer cancel()
	p.closed.Store(true)
	err := p.tp.Shutdown(ctx)
	if last := p.stats.lastErr.Load(); last != nil {
		err = *last
	}
	return p.Stats(), err
}

// Stats returns the counts so far.
func (p *Provider) Stats() Stats {
	return Stats{
		Ended: p.stats.ended.Load(), Exported: p.stats.exported.Load(), Failed: p.stats.failed.Load(),
		QueueFull: p.stats.queueFull.Load(), FlushTimeout: p.stats.flushTimeout.Load(),
	}
}
