//go:build integration

package integration

import (
	"context"
	"flag"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

var jaegerPath = flag.String("jaeger", "../../build/jaeger-v1.75.0", "path to the Jaeger v2 binary (make jaeger)")

// startJaeger starts Jaeger for one test. A missing binary fails the test:
// `make test` builds it.
func startJaeger(t *testing.T) *jaeger.Jaeger {
	t.Helper()
	j, err := jaeger.Start(*jaegerPath, t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { _ = j.Close() })
	return j
}

// TestSpansReachJaeger exports a client span with the ids k6 sent, and a
// child, over each OTLP protocol, and reads them back from Jaeger's query
// API: ids, parentage, kind, attributes and the service.
func TestSpansReachJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	for _, proto := range []spans.Protocol{spans.HTTPProtobuf, spans.GRPC} {
		t.Run(proto.String(), func(t *testing.T) {
			cfg := spans.DefaultConfig()
			cfg.Protocol, cfg.Endpoint = proto, j.OTLPHTTP
			if proto == spans.GRPC {
				cfg.Endpoint = j.OTLPGRPC
			}
			cfg.ServiceName = "k6-" + proto.String()
			cfg.Resource = []spans.Attribute{{Key: "deployment.environment", Value: "test"}}
			p, err := spans.Start(context.Background(), cfg)
			require.NoError(t, err)

			tid := trace.TraceID{0xdc, 0x07, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, byte(proto)}
			sid := trace.SpanID{0xaa, 0, 0, 0, 0, 0, 0, byte(proto) + 1}
			ctx := spans.WithIDs(context.Background(), tid, sid)
			start := time.Now().Add(-50 * time.Millisecond)
			ctx, client := p.Tracer().Start(ctx, "GET", trace.WithSpanKind(trace.SpanKindClient),
				trace.WithTimestamp(start), trace.WithAttributes(attribute.String("http.request.method", "GET")))
			_, child := p.Tracer().Start(ctx, "child")
			child.End()
			client.End(trace.WithTimestamp(start.Add(20 * time.Millisecond)))

			stats, err := p.Shutdown(context.Background())
			require.NoError(t, err)
			require.Equal(t, spans.Stats{Ended: 2, Exported: 2}, stats)

			got, err := j.WaitTrace(tid.String(), 2, 10*time.Second)
			require.NoError(t, err)
			require.Len(t, got, 2, "jaeger's log:\n%s", j.Logs())
			byName := map[string]jaeger.Span{}
			for _, s := range got {
				byName[s.OperationName] = s
				require.Equal(t, cfg.ServiceName, s.Service)
			}
			require.Equal(t, sid.String(), byName["GET"].SpanID, "the client span keeps the span id k6 sent")
			require.Empty(t, byName["GET"].ParentID())
			require.Equal(t, int64(20_000), byName["GET"].Duration, "the request's own timings")
			kind, _ := byName["GET"].Tag("span.kind")
			require.Equal(t, "client", kind)
			method, _ := byName["GET"].Tag("http.request.method")
			require.Equal(t, "GET", method)
			require.Equal(t, sid.String(), byName["child"].ParentID())
		})
	}
}

// TestSpansCollectorDown: with nothing listening, or a collector that
// accepts connections and never answers, the flush gives up within its
// timeout and every span is reported as not delivered.
func TestSpansCollectorDown(t *testing.T) {
	t.Parallel()
	for name, endpoint := range map[string]string{
		"refused": "http://127.0.0.1:9/v1/traces", // the discard port: nothing listens
		"hanging": hangingCollector(t),
	} {
		t.Run(name, func(t *testing.T) { requireBoundedFlush(t, endpoint) })
	}
}

func requireBoundedFlush(t *testing.T, endpoint string) {
	t.Helper()
	cfg := spans.DefaultConfig()
	cfg.Endpoint = endpoint
	cfg.FlushTimeout = time.Second
	cfg.ExportTimeout = 5 * time.Second // longer than the flush: the flush must still bound it
	p, err := spans.Start(context.Background(), cfg)
	require.NoError(t, err)
	for range 10 {
		_, s := p.Tracer().Start(context.Background(), "GET")
		s.End()
	}
	began := time.Now()
	stats, err := p.Shutdown(context.Background())
	took := time.Since(began)
	require.Error(t, err)
	require.Less(t, took, cfg.FlushTimeout+500*time.Millisecond, "the flush timeout bounds the wait")
	t.Logf("flush gave up after %s: %v", took, err)
	require.Equal(t, int64(10), stats.Ended)
	require.Zero(t, stats.Exported)
	require.Equal(t, int64(10), stats.Failed+stats.Dropped(), "every span is accounted for")
}

// TestSpansQueueFull: spans that do not fit the queue are dropped, never
// waited for, and counted.
func TestSpansQueueFull(t *testing.T) {
	t.Parallel()
	cfg := spans.DefaultConfig()
	cfg.Endpoint = hangingCollector(t)
	cfg.QueueSize = 8
	cfg.FlushTimeout = 500 * time.Millisecond
	p, err := spans.Start(context.Background(), cfg)
	require.NoError(t, err)
	began := time.Now()
	for range 1000 {
		_, s := p.Tracer().Start(context.Background(), "GET")
		s.End()
	}
	require.Less(t, time.Since(began), 500*time.Millisecond, "ending spans never waits for the exporter")
	stats, _ := p.Shutdown(context.Background())
	require.Equal(t, int64(1000), stats.Ended)
	require.Zero(t, stats.Exported)
	// The queue held 8 and the exporter one batch of 8, which never came
	// back: none was delivered, and each is counted as dropped.
	require.Equal(t, int64(1000), stats.Dropped(), "%+v", stats)
}

// hangingCollector returns the OTLP endpoint of a loopback listener that
// accepts connections and never answers, until the test ends.
func hangingCollector(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var mu sync.Mutex
	var held []net.Conn
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return "http://" + l.Addr().String() + "/v1/traces"
}
