//go:build integration

package integration

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
)

// TestExplainReadsJaeger: go/explain reads a trace back from a real
// Jaeger's v3 API (OTLP JSON), as the OpenTelemetry Go SDK exported it,
// and finds its critical path and its error's origin; an unknown trace is
// ErrNotFound, and a backend that is down costs at most the deadline.
func TestExplainReadsJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(j.OTLPHTTP))
	require.NoError(t, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "payments"))))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := tp.Tracer("test")
	base := time.Now().Add(-time.Minute)
	ctx, root := tracer.Start(context.Background(), "POST /pay", trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(base))
	_, fast := tracer.Start(ctx, "lookup", trace.WithTimestamp(base.Add(10*time.Millisecond)))
	fast.End(trace.WithTimestamp(base.Add(20 * time.Millisecond)))
	_, slow := tracer.Start(ctx, "charge", trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(base.Add(30*time.Millisecond)))
	slow.SetStatus(codes.Error, "card declined")
	slow.End(trace.WithTimestamp(base.Add(90 * time.Millisecond)))
	root.End(trace.WithTimestamp(base.Add(100 * time.Millisecond)))
	traceID := root.SpanContext().TraceID().String()

	jaegerAPI := explain.Backend{Kind: "jaeger", URL: j.Query}
	pollCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	results := jaegerAPI.Poll(pollCtx, []string{traceID}, explain.PollOptions{Interval: 200 * time.Millisecond, Settle: time.Second})
	r := results[traceID]
	require.NoError(t, r.Err)
	require.Len(t, r.Spans, 3, "read back")
	tree, err := explain.NewTree(r.Spans, root.SpanContext().SpanID().String())
	require.NoError(t, err)
	e := explain.Explain(tree)
	require.Equal(t, 100*time.Millisecond, e.Duration)
	require.Equal(t, "charge", e.Operations[0].Operation, "the slow call takes most of the critical path")
	require.InDelta(t, 0.6, e.Operations[0].Fraction, 0.001)
	require.NotNil(t, e.ErrorOrigin)
	require.Equal(t, "charge", e.ErrorOrigin.Name)
	require.Equal(t, "card declined", e.ErrorOrigin.StatusMessage)
	require.Equal(t, "client", e.ErrorOrigin.Kind)

	_, _, err = jaegerAPI.Fetch(context.Background(), "0123456789abcdef0123456789abcdef")
	require.ErrorIs(t, err, explain.ErrNotFound)

	down := explain.Backend{Kind: "jaeger", URL: "http://" + closedAddr(t), Header: http.Header{"Authorization": {"Basic eDp5"}}}
	start := time.Now()
	downCtx, cancelDown := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelDown()
	got := down.Poll(downCtx, []string{traceID}, explain.PollOptions{})
	require.Error(t, got[traceID].Err)
	require.Less(t, time.Since(start), 3*time.Second, "a backend that is down costs at most the deadline")
}

// closedAddr is a loopback host:port nothing listens on.
func closedAddr(t *testing.T) string {
	u := closedURL(t)
	return u[len("http://") : len(u)-len("/closed")]
}
