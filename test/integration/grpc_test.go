//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/grpcserver"
	"github.com/xk6-tracing/xk6-tracing/test/support/interop"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// TestGRPC runs scripts/grpc.js against grpc-go's interop TestService with
// reflection, instrumented with otelgrpc and exporting to a real Jaeger:
// every call's metadata carries one span in every configured format (read
// with OpenTelemetry Go's extractors and the reference decoders), its
// samples carry that trace id as trace_id metadata, and in Jaeger k6's
// CLIENT span, with the RPC conventions, is the parent of the server's
// span; a caller's traceparent is continued, NOT_FOUND is an error, a
// stream is one span with its message counts; the report lists the calls.
func TestGRPC(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	srv, err := grpcserver.Start(context.Background(), strings.TrimSuffix(j.OTLPHTTP, "/v1/traces"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	const callerTrace, callerSpan = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
	formats := []string{"w3c", "b3multi", "jaeger", "ot", "datadog", "gcp"}
	r := runK6(t, "scripts/grpc.js", map[string]string{
		"GRPC_ADDR": srv.Addr, "PROPAGATORS": strings.Join(formats, ","),
		"CALLER_TRACEPARENT": "00-" + callerTrace + "-" + callerSpan + "-01",
	}, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP)
	requireSuccess(t, r)
	require.NoError(t, srv.Stop(context.Background())) // flushes the server's spans

	type traced struct {
		method string
		ctx    interop.Result
	}
	var calls []traced
	for _, c := range srv.Calls() {
		if strings.HasPrefix(c.Method, "/grpc.reflection.") {
			continue
		}
		h := http.Header{}
		for k, vs := range c.Metadata {
			for _, v := range vs {
				h.Add(k, v)
			}
		}
		w3c, err := interop.Extract("w3c", h)
		require.NoError(t, err, "%s: %v", c.Method, c.Metadata)
		for _, f := range formats {
			got, err := interop.Extract(f, h)
			require.NoError(t, err, "%s in %s: %v", f, c.Method, c.Metadata)
			require.Equal(t, w3c.SpanID, got.SpanID, "%s in %s", f, c.Method)
			require.True(t, strings.HasSuffix(w3c.TraceID, strings.TrimLeft(got.TraceID, "0")), "%s in %s: %s", f, c.Method, got.TraceID)
			require.True(t, got.Sampled, f)
		}
		for k := range c.Metadata {
			require.Equal(t, strings.ToLower(k), k, "metadata keys are lower case")
		}
		calls = append(calls, traced{c.Method, w3c})
	}
	methods := make([]string, len(calls))
	for i, c := range calls {
		methods[i] = c.method
	}
	unary, server, bidi := "/grpc.testing.TestService/UnaryCall", "/grpc.testing.TestService/StreamingOutputCall",
		"/grpc.testing.TestService/FullDuplexCall"
	require.Equal(t, []string{unary, unary, unary, unary, server, bidi, server, unary}, methods)
	require.Equal(t, "t1", calls[7].ctx.Baggage["tenant"], "a Client's grpcClient has the Client's options")
	require.NotContains(t, calls[0].ctx.Baggage, "tenant")
	require.Equal(t, []string{"u1"}, srv.Calls()[slices.IndexFunc(srv.Calls(), func(c grpcserver.Call) bool {
		return c.Method == unary
	})].Metadata["x-user"], "the caller's metadata is sent along")
	continued := calls[3].ctx
	require.Equal(t, callerTrace, continued.TraceID, "the caller's traceparent is continued")
	require.NotEqual(t, callerSpan, continued.SpanID)

	// trace_id metadata on the samples, each call's own.
	sampleTraces := map[string][]string{}
	for _, s := range r.samples {
		if strings.HasPrefix(s.Metric, "grpc_") {
			sampleTraces[s.Metric] = append(sampleTraces[s.Metric], s.Data.Metadata["trace_id"])
		}
	}
	var unaryTraces, streamTraces []string
	for _, c := range calls {
		if c.method == unary {
			unaryTraces = append(unaryTraces, c.ctx.TraceID)
		} else {
			streamTraces = append(streamTraces, c.ctx.TraceID)
		}
	}
	// k6 gives a stream a grpc_req_duration sample too, at an end without
	// an error (not to the stream cut by its deadline).
	require.ElementsMatch(t, append(unaryTraces, streamTraces[:len(streamTraces)-1]...), sampleTraces["grpc_req_duration"])
	require.ElementsMatch(t, streamTraces, sampleTraces["grpc_streams"])
	for _, id := range append(sampleTraces["grpc_streams_msgs_received"], sampleTraces["grpc_streams_msgs_sent"]...) {
		require.Contains(t, streamTraces, id, "a stream message's sample")
	}

	// Jaeger: k6's span, its attributes, and the server's span under it.
	for i, c := range calls {
		spans, err := j.WaitTrace(c.ctx.TraceID, 2, 20*time.Second)
		require.NoError(t, err)
		idx := indexSpans(spans)
		if i == 4 { // the server stream's trace, for the record
			t.Logf("trace:\n%s", describeTree(spans, "span.kind", "rpc.grpc.status_code",
				"k6.grpc.messages_sent", "k6.grpc.messages_received"))
		}
		k6Span, ok := idx.byID[c.ctx.SpanID]
		require.True(t, ok, "%s: k6's span %s is in Jaeger", c.method, c.ctx.SpanID)
		require.Equal(t, "k6", k6Span.Service)
		require.Equal(t, strings.TrimPrefix(c.method, "/"), k6Span.OperationName)
		require.Equal(t, "client", tagOf(k6Span, "span.kind"))
		require.Equal(t, "grpc", tagOf(k6Span, "rpc.system"))
		require.Equal(t, "grpc.testing.TestService", tagOf(k6Span, "rpc.service"))
		require.Equal(t, c.method[strings.LastIndexByte(c.method, '/')+1:], tagOf(k6Span, "rpc.method"))
		require.Equal(t, "127.0.0.1", tagOf(k6Span, "server.address"))
		serverSpan := slices.IndexFunc(spans, func(s jaeger.Span) bool {
			return s.Service == "grpc-server" && s.ParentID() == c.ctx.SpanID
		})
		require.GreaterOrEqual(t, serverSpan, 0, "%s: the server's span is the child of k6's", c.method)
		wantCode := 0.0
		switch i {
		case 1:
			wantCode = 5
			require.Equal(t, true, tagOf(k6Span, "error"), "NOT_FOUND is an error")
			require.Equal(t, "NOT_FOUND", tagOf(k6Span, "error.type"))
		case 6:
			wantCode = 4
			require.Equal(t, true, tagOf(k6Span, "error"), "a deadline is an error")
			require.Equal(t, "DEADLINE_EXCEEDED", tagOf(k6Span, "error.type"))
			require.Less(t, k6Span.Duration, int64(2*time.Second/time.Microsecond), "the stream ended at its deadline")
		default:
			require.Nil(t, tagOf(k6Span, "error"), c.method)
		}
		require.Equal(t, wantCode, tagOf(k6Span, "rpc.grpc.status_code"), c.method)
		if i == 3 {
			require.Equal(t, callerSpan, k6Span.ParentID(), "the caller's span is the parent")
		}
		switch {
		case c.method == server && i == 4:
			require.Equal(t, 3.0, tagOf(k6Span, "k6.grpc.messages_received"))
			require.Equal(t, 1.0, tagOf(k6Span, "k6.grpc.messages_sent"))
		case c.method == bidi:
			require.Equal(t, 2.0, tagOf(k6Span, "k6.grpc.messages_received"))
			require.Equal(t, 2.0, tagOf(k6Span, "k6.grpc.messages_sent"))
		}
	}

	// The trace report lists the calls, the NOT_FOUND one as failed.
	var report struct {
		Slowest, Failed []struct {
			Method, Name, TraceID string
			Status                int
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &report), r.stdout)
	var names []string
	for _, e := range report.Slowest {
		require.Equal(t, "GRPC", e.Method)
		names = append(names, e.Name)
	}
	require.ElementsMatch(t, []string{"unary ok", "unary not found", "async", "continued", "server stream", "bidi stream",
		"deadline stream", "own options"}, names)
	require.Len(t, report.Failed, 2)
	require.Equal(t, "unary not found", report.Failed[0].Name)
	require.Equal(t, 5, report.Failed[0].Status)
	require.Equal(t, calls[1].ctx.TraceID, report.Failed[0].TraceID)
	require.Equal(t, "deadline stream", report.Failed[1].Name)
	require.Equal(t, 4, report.Failed[1].Status)
}
