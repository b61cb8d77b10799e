//go:build integration

package integration

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// closedURL is a loopback URL nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return "http://" + addr + "/closed"
}

// TestK6SpansInJaeger runs test/integration/scripts/spans.js with Jaeger as the OTLP
// endpoint, over each protocol, and finds every sampled request's CLIENT
// span there, under the span id its traceparent carried, with the HTTP
// client semantic conventions and k6's attributes; the unsampled request
// exported nothing.
func TestK6SpansInJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	for protocol, endpoint := range map[string]string{"http/protobuf": j.OTLPHTTP, "grpc": j.OTLPGRPC} {
		t.Run(protocol, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			closed := closedURL(t)
			service := startOTelService(t, j.OTLPHTTP)
			r := runK6(t, "scripts/spans.js", map[string]string{
				"BASE_URL": srv.URL, "OTLP_ENDPOINT": endpoint, "OTLP_PROTOCOL": protocol, "CLOSED_URL": closed,
				"SERVICE_URL": service.URL,
			})
			requireSuccess(t, r)
			require.NotContains(t, r.stderr, "not delivered", "every span was delivered")

			// The service's SERVER span is the child of k6's CLIENT span.
			var serviceTrace string
			for _, s := range r.samples {
				if s.Metric == "http_reqs" && s.Data.Tags["url"] == service.URL+"/api/items" {
					serviceTrace = s.Data.Metadata["trace_id"]
				}
			}
			require.NotEmpty(t, serviceTrace)
			tree, err := j.WaitTrace(serviceTrace, 2, 10*time.Second)
			require.NoError(t, err)
			require.Len(t, tree, 2, "k6's client span and the service's server span")
			byService := map[string]jaeger.Span{}
			for _, s := range tree {
				byService[s.Service] = s
			}
			require.Equal(t, "client", tagOf(byService["k6"], "span.kind"))
			require.Equal(t, "server", tagOf(byService["backend"], "span.kind"))
			require.Equal(t, byService["k6"].SpanID, byService["backend"].ParentID(), "one tree: k6, then the service")

			byPath := map[string]propagation.Context{}
			for _, req := range srv.Requests() {
				c, ok := contextIn(propagation.W3C, req.Header)
				require.True(t, ok, req.Path)
				byPath[req.Path] = propagation.Context{TraceID: c.TraceID, SpanID: c.SpanID, Sampled: c.Sampled}
			}
			spanOf := func(path string) jaeger.Span {
				t.Helper()
				c := byPath[path]
				got, err := j.WaitTrace(c.TraceID.String(), 1, 10*time.Second)
				require.NoError(t, err)
				for _, s := range got {
					if s.SpanID == c.SpanID.String() {
						return s
					}
				}
				require.Failf(t, "no span", "%s: span %s not in trace %s (%d spans); jaeger:\n%s",
					path, c.SpanID, c.TraceID, len(got), j.Logs())
				return jaeger.Span{}
			}

			home := spanOf("/ok")
			require.Equal(t, "GET home", home.OperationName)
			require.Equal(t, "k6", home.Service)
			require.Equal(t, "client", tagOf(home, "span.kind"))
			require.Equal(t, "GET", tagOf(home, "http.request.method"))
			require.Equal(t, srv.URL+"/ok", tagOf(home, "url.full"))
			require.Equal(t, "127.0.0.1", tagOf(home, "server.address"))
			require.EqualValues(t, 200, tagOf(home, "http.response.status_code"))
			require.Equal(t, "home", tagOf(home, "k6.name"))
			require.Equal(t, "default", tagOf(home, "k6.scenario"))
			require.EqualValues(t, 1, tagOf(home, "k6.vu"))
			require.EqualValues(t, 0, tagOf(home, "k6.iteration"))
			require.True(t, strings.HasPrefix(tagOf(home, "k6.test_run_id").(string), "local-"))
			require.Nil(t, tagOf(home, "error.type"))
			require.Empty(t, home.ParentID(), "a new trace: the client span is its root")
			require.Positive(t, home.Duration)

			failed := spanOf("/status/503")
			require.Equal(t, "POST", failed.OperationName)
			require.EqualValues(t, 503, tagOf(failed, "http.response.status_code"))
			require.Equal(t, "503", tagOf(failed, "error.type"))
			require.Equal(t, "ERROR", tagOf(failed, "otel.status_code"))
			require.Equal(t, "::checkout", tagOf(failed, "k6.group"))

			caller := spanOf("/caller")
			require.Equal(t, "PUT", caller.OperationName)
			require.Equal(t, "0af7651916cd43dd8448eb211c80319c", caller.TraceID)
			require.Equal(t, "b7ad6b7169203331", caller.ParentID(), "a continued trace: the caller's span is the parent")

			require.NotContains(t, byPath, "/closed")
			var closedTrace string
			for _, s := range r.samples {
				if s.Metric == "http_reqs" && s.Data.Tags["url"] == closed {
					closedTrace = s.Data.Metadata["trace_id"]
				}
			}
			require.NotEmpty(t, closedTrace, "the failed request's trace_id metadata")
			refused, err := j.WaitTrace(closedTrace, 1, 10*time.Second)
			require.NoError(t, err)
			require.Len(t, refused, 1)
			require.True(t, strings.HasPrefix(tagOf(refused[0], "error.type").(string), "k6."), "k6's error code: %v", refused[0].Tags)
			require.Equal(t, "ERROR", tagOf(refused[0], "otel.status_code"), "a transport error")
			require.Nil(t, tagOf(refused[0], "http.response.status_code"))
			require.True(t, !byPath["/unsampled"].Sampled)
			none, err := j.Trace(t.Context(), byPath["/unsampled"].TraceID.String())
			require.NoError(t, err)
			require.Empty(t, none, "an unsampled request exports nothing")
		})
	}
}

// TestK6SpansCollectorDown: with nothing listening at the OTLP endpoint,
// the test still passes, ends within the flush timeout, and says in one
// warning line what was not delivered.
func TestK6SpansCollectorDown(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	began := time.Now()
	otlp := strings.TrimSuffix(closedURL(t), "/closed")
	r := runK6(t, "scripts/spans.js", map[string]string{
		"BASE_URL": srv.URL, "OTLP_ENDPOINT": otlp, "CLOSED_URL": closedURL(t),
	})
	requireSuccess(t, r)
	require.Less(t, time.Since(began), 15*time.Second)
	require.Equal(t, 1, strings.Count(r.stderr, "spans were not delivered"), r.stderr)
	require.Contains(t, r.stderr, "4 of 4 spans were not delivered")
	var mentions []string
	for line := range strings.Lines(r.stderr) {
		if strings.Contains(line, otlp) {
			mentions = append(mentions, line)
		}
	}
	require.Len(t, mentions, 1, "the export error only in the one warning, not a line per failed batch:\n%s", r.stderr)
	require.Contains(t, mentions[0], "last error: Post")
	require.Contains(t, mentions[0], "connection refused")
}

// tagOf returns a span's attribute, nil when it has none.
func tagOf(s jaeger.Span, key string) any {
	v, _ := s.Tag(key)
	return v
}

// startOTelService starts a loopback service instrumented with the
// OpenTelemetry Go SDK, as a backend under test would be: it continues the
// W3C context of each request in a SERVER span of service "backend",
// exported to endpoint as soon as it ends.
func startOTelService(t *testing.T, endpoint string) *httptest.Server {
	t.Helper()
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(endpoint))
	require.NoError(t, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "backend"))))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := tp.Tracer("backend")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := otelprop.TraceContext{}.Extract(r.Context(), otelprop.HeaderCarrier(r.Header))
		_, span := tracer.Start(ctx, r.Method+" "+r.URL.Path, trace.WithSpanKind(trace.SpanKindServer))
		_, _ = w.Write([]byte("ok"))
		span.End()
	}))
	t.Cleanup(srv.Close)
	return srv
}
