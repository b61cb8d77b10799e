package spans

import (
	"context"
	"encoding/binary"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

func testProvider(t *testing.T) (*Provider, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	cfg := DefaultConfig()
	cfg.Resource = []Attribute{{Key: "service.instance.id", Value: "test"}}
	return startWith(cfg, keepOnShutdown{exp}), exp
}

// keepOnShutdown keeps the exported spans past the provider's shutdown,
// which would reset the in-memory exporter. Like every exporter the
// provider may have, it copies what it keeps before it returns: the
// in-memory exporter's stubs share the spans' attributes, which are
// recycled after the export.
type keepOnShutdown struct{ *tracetest.InMemoryExporter }

func (k keepOnShutdown) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	copies := make([]sdktrace.ReadOnlySpan, len(spans))
	for i, s := range spans {
		stub := tracetest.SpanStubFromReadOnlySpan(s)
		stub.Attributes = slices.Clone(stub.Attributes)
		copies[i] = stub.Snapshot()
	}
	return k.InMemoryExporter.ExportSpans(ctx, copies)
}

func (keepOnShutdown) Shutdown(context.Context) error { return nil }

// An ended span must export exactly what the live SDK span of the same
// request would: same ids, parent, times, attributes, status, resource
// and scope.
func TestEndedExportsWhatALiveSpanWould(t *testing.T) {
	t.Parallel()
	p, exp := testProvider(t)
	traceID := trace.TraceID{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}
	parent := trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: traceID, SpanID: trace.SpanID{9, 9, 9, 9, 9, 9, 9, 9}, TraceFlags: trace.FlagsSampled, Remote: true,
	})
	start := time.Unix(1700000000, 123456789)
	end := start.Add(42 * time.Millisecond)
	attrs := []attribute.KeyValue{
		attribute.String("http.request.method", "GET"),
		attribute.String("url.full", "http://127.0.0.1:8080/x"),
		attribute.Int("server.port", 8080),
		attribute.Int64("k6.vu", 3),
	}
	for i, withParent := range []bool{true, false} {
		spanID := trace.SpanID{1, 1, 1, 1, 1, 1, 1, byte(i + 1)}
		ctx := WithIDs(context.Background(), traceID, spanID)
		e := new(EndedPool).Get()
		if withParent {
			ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
			e.Parent = parent
		}
		_, live := p.Tracer().Start(ctx, "GET", trace.WithSpanKind(trace.SpanKindClient),
			trace.WithTimestamp(start), trace.WithAttributes(attrs...))
		live.SetStatus(codes.Error, "503")
		live.End(trace.WithTimestamp(end))

		e.Name, e.Kind, e.Start, e.End = "GET", trace.SpanKindClient, start, end
		e.Context = trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: spanID, TraceFlags: trace.FlagsSampled})
		e.Attributes = append(e.Attributes, attrs...)
		e.Status = sdktrace.Status{Code: codes.Error, Description: "503"}
		p.Record(e)
	}
	stats, err := p.Shutdown(context.Background())
	require.NoError(t, err)
	require.Equal(t, Stats{Ended: 4, Exported: 4}, stats)

	got := exp.GetSpans()
	require.Len(t, got, 4)
	for i := 0; i < 4; i += 2 {
		require.Equal(t, got[i], got[i+1], "span %d: live and ended differ", i/2)
	}
	require.True(t, got[0].Parent.IsRemote())
	require.False(t, got[2].Parent.IsValid())
}

// Every method of the SDK's interface is defined: the embedded interface
// is nil, and an exporter calling one it does not define would panic.
func TestEndedSpanDefinesEveryMethod(t *testing.T) {
	t.Parallel()
	p, _ := testProvider(t)
	e := new(EndedPool).Get()
	e.view = endedSpan{ended: e, resource: p.resource}
	var ro sdktrace.ReadOnlySpan = &e.view
	v := reflect.ValueOf(ro)
	iface := reflect.TypeFor[sdktrace.ReadOnlySpan]()
	for i := range iface.NumMethod() {
		m := iface.Method(i)
		if !m.IsExported() {
			continue
		}
		require.NotPanics(t, func() { v.MethodByName(m.Name).Call(nil) }, m.Name)
	}
}

func TestRecordAfterShutdownIsIgnored(t *testing.T) {
	t.Parallel()
	p, exp := testProvider(t)
	_, err := p.Shutdown(context.Background())
	require.NoError(t, err)
	e := new(EndedPool).Get()
	e.Context = trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}, TraceFlags: trace.FlagsSampled,
	})
	p.Record(e)
	require.Equal(t, Stats{}, p.Stats())
	require.Empty(t, exp.GetSpans())
}

// An ended span holds a client span's attributes: adding them allocates
// nothing.
func TestEndedHoldsAClientSpansAttributes(t *testing.T) {
	e := new(EndedPool).Get()
	allocs := testing.AllocsPerRun(100, func() {
		e.reset()
		for i := range endedAttributes {
			e.Attributes = append(e.Attributes, attribute.Int("a", i))
		}
	})
	require.Zero(t, allocs)
}

// Once exported, an ended span is emptied and goes back to its pool, the
// next it gives; a span of no pool is left alone.
func TestExportedEndedSpansAreRecycled(t *testing.T) {
	t.Parallel()
	pool := &EndedPool{}
	e := pool.Get()
	e.Name = "GET"
	e.Attributes = append(e.Attributes, attribute.String("url.full", "http://127.0.0.1/"))
	e.view = endedSpan{ended: e}
	poolless := &Ended{Name: "GET"}
	poolless.view = endedSpan{ended: poolless}
	recycleEnded([]sdktrace.ReadOnlySpan{&e.view, &poolless.view}) // what the export queue does after an export
	require.Empty(t, e.Name)
	require.Empty(t, e.Attributes)
	require.Zero(t, e.inline[0])
	require.Same(t, e, pool.Get())
	require.NotSame(t, e, pool.Get(), "a span is given back once")
	require.Equal(t, "GET", poolless.Name)
}

// Spans go back and forth between a pool's producer and the exporter
// without an allocation, once the pool has grown.
func TestEndedPoolReusesWithoutAllocating(t *testing.T) {
	pool := &EndedPool{}
	batch := make([]sdktrace.ReadOnlySpan, 8)
	cycle := func() {
		fillFromPool(pool, batch)
		recycleEnded(batch)
	}
	cycle()
	require.Zero(t, testing.AllocsPerRun(100, cycle))
}

// fillFromPool fills batch with the read-only views of spans from pool,
// as the batch processor would hold them.
func fillFromPool(pool *EndedPool, batch []sdktrace.ReadOnlySpan) {
	for i := range batch {
		e := pool.Get()
		e.view = endedSpan{ended: e}
		batch[i] = &e.view
	}
}

// A recycled span is as new: nothing of the span before shows in the next.
func TestEndedResetEmptiesEverything(t *testing.T) {
	t.Parallel()
	e := &Ended{}
	e.Attributes = e.inline[:0]
	fresh := *e
	fresh.Attributes = nil
	e.Name, e.Kind = "GET", trace.SpanKindClient
	e.Context = trace.NewSpanContext(trace.SpanContextConfig{TraceID: trace.TraceID{1}, SpanID: trace.SpanID{1}})
	e.Parent = e.Context
	e.Start, e.End = time.Now(), time.Now()
	e.Status = sdktrace.Status{Code: codes.Error, Description: "x"}
	for i := range endedAttributes + 3 { // past the inline room
		e.Attributes = append(e.Attributes, attribute.Int("a", i))
	}
	e.Shared = [sharedSets]*SharedAttributes{NewSharedAttributes(attribute.Int("s", 0)), NewSharedAttributes()}
	e.view = endedSpan{ended: e}
	e.reset()
	require.Empty(t, e.Attributes)
	require.Same(t, &e.inline[0], &e.Attributes[:1][0], "the attributes are back in the span")
	e.Attributes = nil
	require.Equal(t, fresh, *e)
}

// checkingExporter checks each span it exports against its span id, and
// counts them: recycled spans must never carry another span's data.
type checkingExporter struct {
	t        *testing.T
	exported atomic.Int64
}

func (c *checkingExporter) ExportSpans(_ context.Context, spans []sdktrace.ReadOnlySpan) error {
	for _, s := range spans {
		id := s.SpanContext().SpanID()
		want := []attribute.KeyValue{attribute.String("id", id.String()), attribute.Int("n", int(id[7]))}
		if !reflect.DeepEqual(want, s.Attributes()) || s.Name() != id.String() {
			c.t.Errorf("span %s: name %q, attributes %v", id, s.Name(), s.Attributes())
		}
	}
	c.exported.Add(int64(len(spans)))
	return nil
}

func (*checkingExporter) Shutdown(context.Context) error { return nil }

func TestRecycledEndedSpansKeepTheirOwnData(t *testing.T) {
	t.Parallel()
	exp := &checkingExporter{t: t}
	p := startWith(DefaultConfig(), exp)
	const goroutines, each = 8, 3000
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			pool := &EndedPool{} // a VU's, while the exporter gives spans back
			for i := range each {
				var sid trace.SpanID
				binary.BigEndian.PutUint32(sid[:4], uint32(g+1))
				binary.BigEndian.PutUint32(sid[4:], uint32(i))
				e := pool.Get()
				e.Name = sid.String()
				e.Context = trace.NewSpanContext(trace.SpanContextConfig{
					TraceID: trace.TraceID{1}, SpanID: sid, TraceFlags: trace.FlagsSampled,
				})
				// The id in a set of the span's own: a recycled span must
				// not keep another's set either.
				e.Shared[1] = NewSharedAttributes(attribute.String("id", sid.String()))
				e.Attributes = append(e.Attributes, attribute.Int("n", int(sid[7])))
				p.Record(e)
			}
		})
	}
	wg.Wait()
	stats, err := p.Shutdown(context.Background())
	require.NoError(t, err)
	require.Equal(t, Stats{Ended: goroutines * each, Exported: goroutines * each}, stats)
	require.Equal(t, int64(goroutines*each), exp.exported.Load())
}

// After a backlog, a pool keeps a batch's worth of spans, not the backlog.
func TestEndedPoolKeepsABatchAfterABacklog(t *testing.T) {
	t.Parallel()
	pool := &EndedPool{}
	backlog := make([]sdktrace.ReadOnlySpan, 3*maxReturned)
	fillFromPool(pool, backlog)
	recycleEnded(backlog)
	require.Len(t, pool.returned, maxReturned)
}
