//go:build integration

package integration

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/checkout"
	"github.com/xk6-tracing/xk6-tracing/test/support/grpcserver"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
	"github.com/xk6-tracing/xk6-tracing/test/support/recorder"
)

// exampleFormat says what each example's traced requests carry; requests
// to /plain are the examples' un-traced ones.
type exampleFormat struct {
	// format is the trace format checked; W3CBaggage for baggage only.
	format propagation.Format
	// noMetadata: the requests are not sent by k6/http (a WebSocket
	// handshake), so their samples cannot carry trace_id metadata.
	noMetadata bool
	// browser: the example drives Chromium; its requests are checked by
	// checkBrowserExample instead.
	browser bool
	// spans: the example exports spans to OTEL_EXPORTER_OTLP_ENDPOINT,
	// a Jaeger here, where each request's span must arrive.
	spans bool
	// report: the example prints the trace report, which must link the
	// trace of every request it sent.
	report bool
	// browserSpans: the example drives Chromium with spans on; its spans
	// are checked by checkBrowserSpansExample.
	browserSpans bool
	// grpc: the example calls test/support/grpcserver, its spans and the
	// server's going to a Jaeger, where each call's must be the parent of
	// the server's.
	grpc bool
	// ws: the example's WebSocket sessions, whose handshakes the recorder
	// answers, must carry W3C and B3 headers of one span, and their ws_*
	// samples that trace id.
	ws bool
	// explain: the example loads the checkout system, its spans and the
	// system's going to a Jaeger, and prints the explanation of its slow
	// and failed requests, read back from there.
	explain bool
}

var exampleFormats = map[string]exampleFormat{
	"quickstart.ts":           {format: propagation.W3C},
	"client.js":               {format: propagation.W3C},
	"jaeger.ts":               {format: propagation.Jaeger},
	"sampling.ts":             {format: propagation.W3C},
	"migrate-experimental.js": {format: propagation.W3C},
	"formats.ts":              {format: propagation.B3Multi},
	"context.ts":              {format: propagation.W3C},
	"pyroscope.js":            {format: propagation.W3CBaggage},
	"websocket.ts":            {format: propagation.B3, noMetadata: true},
	"browser.ts":              {format: propagation.W3C, browser: true},
	"browser-spans.ts":        {format: propagation.W3C, browserSpans: true},
	"spans.ts":                {format: propagation.W3C, spans: true},
	"report.ts":               {format: propagation.W3C, report: true},
	"explain.ts":              {format: propagation.W3C, explain: true},
	"grpc.ts":                 {format: propagation.W3C, grpc: true},
	"websockets.ts":           {format: propagation.W3C, ws: true},
}

// TestExamples runs every script in examples/ against the recording server:
// each must pass its own checks and thresholds, and every request it sent
// must carry a valid header whose trace id k6 reported as metadata.
func TestExamples(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("../../examples")
	require.NoError(t, err)
	var scripts []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".js" || ext == ".ts") {
			scripts = append(scripts, e.Name())
		}
	}
	for name := range exampleFormats {
		require.Contains(t, scripts, name, "example listed but missing")
	}
	for _, name := range scripts {
		want, ok := exampleFormats[name]
		format := want.format
		require.True(t, ok, "examples/%s has no test: add it to exampleFormats", name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if want.explain {
				checkExplainExample(t, name)
				return
			}
			if want.grpc {
				checkGRPCExample(t, name)
				return
			}
			srv := startServer(t)
			var env []string
			if want.browser || want.browserSpans {
				env = browserEnv(t)
			}
			var j *jaeger.Jaeger
			if want.spans || want.browserSpans {
				j = startJaeger(t)
				env = append(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP) // the traces URL itself
			}
			r := runK6(t, filepath.Join("../../examples", name), map[string]string{"BASE_URL": srv.URL}, env...)
			requireSuccess(t, r)
			if want.browserSpans {
				require.NotContains(t, r.stderr, "not delivered")
				checkBrowserSpansExample(t, j, srv.Requests())
				return
			}
			if want.spans {
				require.NotContains(t, r.stderr, "not delivered")
				checkSpansExample(t, j, srv.Requests())
			}
			reqs := srv.Requests()
			require.NotEmpty(t, reqs)
			if want.browser {
				checkBrowserExample(t, reqs, r.samples)
				return
			}
			if want.ws {
				checkWebSocketsExample(t, reqs, r.samples)
				return
			}
			// k6 tags a request that has a name tag with that name as its
			// url too, so the trace ids are looked up among all requests.
			var ids []string
			for _, s := range r.samples {
				if s.Metric == "http_reqs" {
					ids = append(ids, s.Data.Metadata["trace_id"])
				}
			}
			if format == propagation.W3CBaggage {
				for _, id := range ids {
					require.Empty(t, id, "baggage only: no trace header, so no trace_id")
				}
			}
			for _, req := range reqs {
				if req.Path == "/plain" {
					require.Empty(t, req.Header.Get(mainHeader(format)))
					continue
				}
				if format == propagation.W3CBaggage {
					require.Contains(t, req.Header.Get("Baggage"), "k6.test_run_id=", req.Path)
					require.Empty(t, req.Header.Get("Traceparent"), "the pyroscope drop-in sends baggage only")
					continue
				}
				c, ok := contextIn(format, req.Header)
				require.True(t, ok, "%s %s: %q", req.Method, req.Path, req.Header.Get(mainHeader(format)))
				if want.report {
					require.Contains(t, r.stdout, "http://localhost:16686/trace/"+c.TraceID.String(),
						"the report links the trace of %s %s", req.Method, req.Path)
				}
				if want.noMetadata {
					continue
				}
				require.True(t, slices.Contains(ids, c.TraceID.String()),
					"%s %s: trace id %s not among reported %s", req.Method, req.Path, c.TraceID, strings.Join(ids, ","))
			}
		})
	}
}

// checkExplainExample runs examples/explain.ts against the checkout system
// (test/support/checkout), which exports to a Jaeger as k6 does: its
// summary must name payments' slow operation as what the slow requests
// waited for and its failing one as where the failures began, with links.
func checkExplainExample(t *testing.T, name string) {
	t.Helper()
	j := startJaeger(t)
	sys, err := checkout.Start(context.Background(), strings.TrimSuffix(j.OTLPHTTP, "/v1/traces"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Stop(context.Background()) })
	r := runK6(t, filepath.Join("../../examples", name), map[string]string{"BASE_URL": sys.URL, "JAEGER_URL": j.Query},
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP)
	requireSuccess(t, r)
	require.NotContains(t, r.stderr, "could not be read")
	require.Equal(t, 8, sys.Counts()[checkout.KindSlow])
	require.Regexp(t, `slow requests: [0-9.]+% of their time on the critical path was in payments "charge card"`, r.stdout)
	require.Contains(t, r.stdout, `failed requests: 8 of 8 began in payments "authorize card": card declined`)
	require.Contains(t, r.stdout, j.Query+"/trace/")
}

// checkWebSocketsExample checks examples/websockets.ts: 2 iterations of
// two sessions, each handshake with W3C and B3 headers of one span, and
// the session's ws_session_duration sample with its trace id.
func checkWebSocketsExample(t *testing.T, reqs []recorder.Request, samples []sample) {
	t.Helper()
	sessions := map[string]bool{}
	for _, s := range samples {
		if s.Metric == "ws_session_duration" {
			sessions[s.Data.Metadata["trace_id"]] = true
		}
	}
	require.Len(t, reqs, 4, "2 iterations of two sessions")
	for _, req := range reqs {
		w3c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, "%s: traceparent %q", req.Path, req.Header.Get("Traceparent"))
		b3, ok := contextIn(propagation.B3, req.Header)
		require.True(t, ok, "%s: b3 %q", req.Path, req.Header.Get("B3"))
		require.Equal(t, w3c.SpanID, b3.SpanID, req.Path)
		require.True(t, sessions[w3c.TraceID.String()], "%s: a ws_session_duration sample with trace_id %s", req.Path, w3c.TraceID)
	}
}

// checkGRPCExample runs examples/grpc.ts against test/support/grpcserver:
// every call the server received carries a traceparent whose span is k6's
// in Jaeger, and the parent of the server's own span.
func checkGRPCExample(t *testing.T, name string) {
	t.Helper()
	j := startJaeger(t)
	srv, err := grpcserver.Start(context.Background(), strings.TrimSuffix(j.OTLPHTTP, "/v1/traces"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	r := runK6(t, filepath.Join("../../examples", name), map[string]string{"GRPC_ADDR": srv.Addr},
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP)
	requireSuccess(t, r)
	require.NoError(t, srv.Stop(context.Background()))
	traced := 0
	for _, c := range srv.Calls() {
		if strings.HasPrefix(c.Method, "/grpc.reflection.") {
			continue
		}
		traced++
		if strings.HasSuffix(c.Method, "/UnaryCall") {
			require.Equal(t, []string{"checkout"}, c.Metadata["x-team"], "the script's own metadata")
		}
		ctx, ok := contextIn(propagation.W3C, http.Header{"Traceparent": c.Metadata["traceparent"]})
		require.True(t, ok, "%s: %v", c.Method, c.Metadata)
		spans, err := j.WaitTrace(ctx.TraceID.String(), 2, 20*time.Second)
		require.NoError(t, err)
		require.True(t, slices.ContainsFunc(spans, func(s jaeger.Span) bool {
			return s.Service == "k6" && s.SpanID == ctx.SpanID.String()
		}), "%s: k6's span", c.Method)
		require.True(t, slices.ContainsFunc(spans, func(s jaeger.Span) bool {
			return s.Service == "grpc-server" && s.ParentID() == ctx.SpanID.String()
		}), "%s: the server's span under k6's", c.Method)
	}
	require.Equal(t, 4, traced, "2 iterations of a unary call and a stream")
}

// checkBrowserExample checks examples/browser.ts: two pages, each of whose
// requests carries W3C and B3 headers of one span, distinct span ids within
// the page's one trace, and the page's browser_http_req_duration samples
// tagged with that trace id.
func checkBrowserExample(t *testing.T, reqs []recorder.Request, samples []sample) {
	t.Helper()
	spans := map[string]map[string]bool{} // trace id -> span ids
	for _, req := range reqs {
		if !strings.HasPrefix(req.Path, recorder.AppPath) {
			continue
		}
		w3c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, "%s %s: traceparent %q", req.Method, req.Path, req.Header.Get("Traceparent"))
		b3, ok := contextIn(propagation.B3, req.Header)
		require.True(t, ok, "%s %s: b3 %q", req.Method, req.Path, req.Header.Get("B3"))
		require.Equal(t, w3c.TraceID, b3.TraceID, req.Path)
		require.Equal(t, w3c.SpanID, b3.SpanID, req.Path)
		traceID := w3c.TraceID.String()
		if spans[traceID] == nil {
			spans[traceID] = map[string]bool{}
		}
		require.False(t, spans[traceID][w3c.SpanID.String()], "span id %s sent twice", w3c.SpanID)
		spans[traceID][w3c.SpanID.String()] = true
	}
	require.Len(t, spans, 2, "one trace for each of the two pages")
	for traceID, ids := range spans {
		require.Len(t, ids, 5, "trace %s: the document, stylesheet, script, image and POST", traceID)
	}
	tagged := map[string]bool{}
	for _, s := range samples {
		if s.Metric == "browser_http_req_duration" && strings.Contains(s.Data.Tags["url"], recorder.AppPath) {
			tagged[s.Data.Tags["trace_id"]] = true
		}
	}
	require.Equal(t, len(spans), len(tagged), "trace_id tags %v", tagged)
	for traceID := range spans {
		require.True(t, tagged[traceID], "no browser_http_req_duration sample tagged with trace %s", traceID)
	}
}

// checkSpansExample checks that Jaeger has the client span each request
// of examples/spans.ts named as its parent, in a trace rooted at the
// iteration's span.
func checkSpansExample(t *testing.T, j *jaeger.Jaeger, reqs []recorder.Request) {
	t.Helper()
	for _, req := range reqs {
		c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, req.Path)
		spans, err := j.WaitTrace(c.TraceID.String(), 1, 15*time.Second)
		require.NoError(t, err)
		idx := indexSpans(spans)
		s, ok := idx.byID[c.SpanID.String()]
		require.True(t, ok, "%s %s: span %s is in Jaeger", req.Method, req.Path, c.SpanID)
		require.Equal(t, "client", tagOf(s, "span.kind"))
		for s.ParentID() != "" {
			parent, ok := idx.byID[s.ParentID()]
			require.True(t, ok, "%s: every ancestor of the request's span is in Jaeger", req.Path)
			s = parent
		}
		require.Equal(t, "iteration", s.OperationName, "%s: the trace's root is the iteration", req.Path)
	}
}

// checkBrowserSpansExample checks examples/browser-spans.ts: each request
// of the page has its CLIENT span in Jaeger, under the span id its
// traceparent carried, child of the page span, the trace's root, which has
// the page's web vitals.
func checkBrowserSpansExample(t *testing.T, j *jaeger.Jaeger, reqs []recorder.Request) {
	t.Helper()
	var app int
	for _, req := range reqs {
		if !strings.HasPrefix(req.Path, recorder.AppPath) {
			continue
		}
		app++
		c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, req.Path)
		spans, err := j.WaitTrace(c.TraceID.String(), 6, 15*time.Second)
		require.NoError(t, err)
		idx := indexSpans(spans)
		s, ok := idx.byID[c.SpanID.String()]
		require.True(t, ok, "%s %s: span %s is in Jaeger", req.Method, req.Path, c.SpanID)
		require.Equal(t, "client", tagOf(s, "span.kind"))
		require.Equal(t, true, tagOf(s, "k6.browser.propagated"))
		page, ok := idx.byID[s.ParentID()]
		require.True(t, ok, "%s: the page span is in Jaeger", req.Path)
		require.Equal(t, "browser page", page.OperationName)
		require.Empty(t, page.ParentID(), "the page span is the trace's root")
		require.NotNil(t, tagOf(page, "web_vital.ttfb"), "the page's time to first byte: %v", page.Tags)
	}
	require.Equal(t, 5, app, "the document, stylesheet, script, image and POST")
}
