package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

const (
	traceA = "dc0742dcc88cef82e68eea319f493ec5"
	traceB = "dc0742eee280f582e68eea31707efbae"
	spanA  = "4b4393064ce15695"
	spanB  = "86186fa940399bf9"
)

// k6Output is the shape of k6's --out json file, trimmed.
const k6Output = `{"type":"Metric","data":{"name":"http_reqs","type":"counter","contains":"default","thresholds":[],"submetrics":null},"metric":"http_reqs"}
{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-21T16:49:23.507Z","value":1,"tags":{"method":"GET","name":"http://127.0.0.1:8080/checkout","status":"200","url":"http://127.0.0.1:8080/checkout"},"metadata":{"trace_id":"` + traceA + `"}}}
{"metric":"http_req_duration","type":"Point","data":{"time":"2026-11-21T16:49:23.507Z","value":1.2,"tags":{"method":"GET","url":"http://127.0.0.1:8080/checkout"},"metadata":{"trace_id":"` + traceA + `"}}}

{"metric":"http_reqs","type":"Point","data":{"time":"2026-11-21T16:49:23.509Z","value":1,"tags":{"method":"POST","url":"http://127.0.0.1:8080/orders?x=1"}}}
`

func TestParseK6Output(t *testing.T) {
	t.Parallel()
	reqs, err := parseK6Output(strings.NewReader(k6Output))
	require.NoError(t, err)
	require.Equal(t, []k6Request{
		{Method: "GET", URL: "http://127.0.0.1:8080/checkout", Path: "/checkout", TraceID: traceA},
		{Method: "POST", URL: "http://127.0.0.1:8080/orders?x=1", Path: "/orders", TraceID: ""},
	}, reqs)

	_, err = parseK6Output(strings.NewReader(`{"type":"Point"` + "\n"))
	require.ErrorContains(t, err, "line 1")
}

func TestParseConsole(t *testing.T) {
	t.Parallel()
	stderr := strings.Join([]string{
		`not json at all`,
		`{"level":"warning","msg":"POST http://h/orders traceparent=00-` + traceB + `-` + spanB + `-01","source":"other"}`,
		`{"level":"info","msg":"hello from the script","source":"console"}`,
		`{"level":"info","msg":"POST http://127.0.0.1:8080/orders traceparent=00-` + traceB + `-` + spanB + `-01","source":"console","time":"2026-11-21T16:49:23Z"}`,
		`{"level":"info","msg":"GET http://127.0.0.1:8080/checkout uber-trace-id=` + traceA + `:` + spanA + `:0:0","source":"console"}`,
		`{"level":"info","msg":"GET http://127.0.0.1:8080/x traceparent=undefined","source":"console"}`,
	}, "\n")
	got := parseConsole(strings.NewReader(stderr))
	require.Len(t, got, 3)

	require.Equal(t, "POST", got[0].Method)
	require.Equal(t, "/orders", got[0].Path)
	require.Equal(t, propagation.TraceparentHeader, got[0].Header)
	require.True(t, got[0].Valid)
	require.Equal(t, traceB, got[0].Ctx.TraceID.String())
	require.Equal(t, spanB, got[0].Ctx.SpanID.String())
	require.True(t, got[0].Ctx.Sampled)

	require.Equal(t, propagation.UberTraceIDHeader, got[1].Header)
	require.True(t, got[1].Valid)
	require.Equal(t, spanA, got[1].Ctx.SpanID.String())
	require.False(t, got[1].Ctx.Sampled)

	require.Equal(t, "undefined", got[2].Value)
	require.False(t, got[2].Valid, "a missing header logs as undefined")
}

func TestParseConsoleMsgRejectsOtherShapes(t *testing.T) {
	t.Parallel()
	for _, msg := range []string{
		"",
		"POST /orders traceparent=x",         // no scheme: not a request URL
		"post http://h/orders traceparent=x", // not a method
		"POST http://h/orders status=200",    // no trace header
	} {
		_, ok := parseConsoleMsg(msg)
		require.False(t, ok, msg)
	}
}

// hops builds the records of one request that went through intact.
func hops(t *testing.T, method, path, traceID, k6Span, frontSpan string) (k6Request, consoleHeader, frontRecord, backRecord) {
	t.Helper()
	in, ok := propagation.ParseTraceparent("00-" + traceID + "-" + k6Span + "-01")
	require.True(t, ok)
	out, ok := propagation.ParseTraceparent("00-" + traceID + "-" + frontSpan + "-01")
	require.True(t, ok)
	h := propagation.TraceparentHeader
	return k6Request{Method: method, Path: path, TraceID: traceID},
		consoleHeader{Method: method, Path: path, Header: h, Value: propagation.FormatTraceparent(in), Ctx: in, Valid: true},
		frontRecord{Method: method, Path: path, In: received{Header: h, Ctx: in, Valid: true}, Out: out, OutHeader: h, Status: 200},
		backRecord{Method: method, Path: path, In: received{Header: h, Ctx: out, Valid: true}}
}

func TestMatchAndVerify(t *testing.T) {
	t.Parallel()
	k1, _, f1, b1 := hops(t, "GET", "/checkout", traceA, spanA, "1111111111111111")
	k2, c2, f2, b2 := hops(t, "POST", "/orders", traceB, spanB, "2222222222222222")

	// Services record in arrival order; the console has only the POST; the
	// match goes by method and path, so the record order across paths does
	// not matter.
	xs, problems := match([]k6Request{k1, k2}, []consoleHeader{c2}, []frontRecord{f2, f1}, []backRecord{b1, b2})
	require.Empty(t, problems)
	require.Len(t, xs, 2)
	require.Nil(t, xs[0].Console)
	require.Equal(t, f1, *xs[0].Front)
	require.Equal(t, b1, *xs[0].Back)
	require.Equal(t, c2, *xs[1].Console)
	require.Empty(t, verify(xs))

	// Leftovers on a service's side are reported.
	_, problems = match([]k6Request{k1}, nil, []frontRecord{f1, f2}, []backRecord{b1, b2})
	require.Equal(t, []string{
		"frontend received requests k6 did not report: 1 × POST /orders",
		"backend received requests k6 did not report: 1 × POST /orders",
	}, problems)
}

func TestVerifyFindsMismatches(t *testing.T) {
	t.Parallel()
	k, c, f, b := hops(t, "POST", "/orders", traceB, spanB, "2222222222222222")
	other, _ := propagation.ParseTraceparent("00-" + traceA + "-3333333333333333-01")
	tests := []struct {
		name string
		edit func(x *exchange)
		want string
	}{
		{"no metadata", func(x *exchange) { x.K6.TraceID = "" }, "no trace_id metadata"},
		{"metadata differs", func(x *exchange) { x.K6.TraceID = traceA }, "k6 sent trace " + traceB},
		{"logged undefined", func(x *exchange) { x.Console.Valid, x.Console.Value = false, "undefined" }, "not a valid header"},
		{"frontend got another span", func(x *exchange) { x.Console.Ctx.SpanID = other.SpanID }, "but the frontend received"},
		{"frontend missing", func(x *exchange) { x.Front = nil }, "never received it"},
		{"frontend got no header", func(x *exchange) { x.Front.In = received{} }, "no trace header"},
		{"backend missing", func(x *exchange) { x.Back = nil }, "backend never received it"},
		{"backend wrong parent", func(x *exchange) { x.Back.In.Ctx.SpanID = other.SpanID }, "is not the frontend's span 2222222222222222"},
		{"backend unsampled", func(x *exchange) { x.Back.In.Ctx.Sampled = false }, "sampled=false"},
		{"backend got nothing", func(x *exchange) { x.Back.In = received{} }, "no valid trace header"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cc, ff, bb := c, f, b
			x := exchange{K6: k, Console: &cc, Front: &ff, Back: &bb}
			tc.edit(&x)
			problems := verify([]exchange{x})
			require.NotEmpty(t, problems)
			require.Contains(t, problems[0], tc.want)
			require.True(t, strings.HasPrefix(problems[0], "request 1 (POST /orders): "), problems[0])
		})
	}
}

// TestFrontendContinuesTrace drives the two handlers in process: the
// frontend keeps the trace and the sampled flag, creates a SERVER span and
// a CLIENT span for the backend call, and keeps the header format; without
// a valid header it forwards none and records no span.
func TestFrontendContinuesTrace(t *testing.T) {
	t.Parallel()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	backend, err := startService(tp.Tracer("backend"), backendHandler)
	require.NoError(t, err)
	t.Cleanup(func() { _ = backend.shutdown() })
	front := &service{tracer: tp.Tracer("frontend")}
	h := frontendHandler(backend.URL)(front)

	send := func(header, value string) {
		req := httptest.NewRequest(http.MethodPost, "/orders", strings.NewReader(`{"item":42}`))
		if header != "" {
			req.Header.Set(header, value)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	}
	send(propagation.TraceparentHeader, "00-"+traceA+"-"+spanA+"-01")
	send(propagation.UberTraceIDHeader, traceB+":"+spanB+":0:0")
	send(propagation.TraceparentHeader, "00-not-a-header")
	send("", "")

	fronts, backs := front.frontRecords(), backend.backRecords()
	require.Len(t, fronts, 4)
	require.Len(t, backs, 4)
	for i := range 2 {
		f, b := fronts[i], backs[i]
		require.True(t, b.In.Valid)
		require.Equal(t, f.In.Header, b.In.Header)
		require.Equal(t, f.In.Ctx.TraceID, b.In.Ctx.TraceID)
		require.Equal(t, f.In.Ctx.Sampled, b.In.Ctx.Sampled)
		require.NotEqual(t, f.In.Ctx.SpanID, b.In.Ctx.SpanID)
		require.Equal(t, f.Out.SpanID, b.In.Ctx.SpanID)
	}
	require.Equal(t, traceB+":"+fronts[1].Out.SpanID.String()+":0:0", backs[1].UberTraceID)
	require.Empty(t, backs[1].Traceparent)

	require.Equal(t, received{Header: propagation.TraceparentHeader, Value: "00-not-a-header"}, fronts[2].In)
	require.Equal(t, received{}, fronts[3].In)
	for _, b := range backs[2:] {
		require.Empty(t, b.Traceparent)
		require.Empty(t, b.UberTraceID)
		require.Empty(t, b.In.Header, "no trace was started")
	}

	// Only the sampled request recorded spans: its three hops, chained.
	got := exp.GetSpans()
	require.Len(t, got, 3)
	byParent := map[string]tracetest.SpanStub{}
	for _, s := range got {
		require.Equal(t, traceA, s.SpanContext.TraceID().String())
		require.Equal(t, "POST /orders", s.Name)
		byParent[s.Parent.SpanID().String()] = s
	}
	server := byParent[spanA] // the frontend continues k6's span
	require.Equal(t, trace.SpanKindServer, server.SpanKind)
	client := byParent[server.SpanContext.SpanID().String()]
	require.Equal(t, trace.SpanKindClient, client.SpanKind)
	require.Equal(t, fronts[0].Out.SpanID, client.SpanContext.SpanID(), "the header carries the CLIENT span")
	backServer := byParent[client.SpanContext.SpanID().String()]
	require.Equal(t, trace.SpanKindServer, backServer.SpanKind)
	require.Equal(t, "backend", backServer.InstrumentationScope.Name)
}

// TestTraceThroughSink runs the stack as make demo does, both services
// exporting over OTLP to the sink, with k6's side played by the test: a
// request with a traceparent, and its CLIENT span sent to the sink as k6
// would. The report finds the demo's shape and prints it without color.
func TestTraceThroughSink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st, err := startStack(ctx)
	require.NoError(t, err)
	t.Cleanup(st.close)

	begin := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.frontend.URL+"/checkout", nil)
	require.NoError(t, err)
	req.Header.Set("Traceparent", "00-"+traceA+"-"+spanA+"-01")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	k6Span := fmt.Sprintf(`{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"k6"}}]},
	  "scopeSpans":[{"spans":[{"traceId":%q,"spanId":%q,"name":"GET","kind":3,
	  "startTimeUnixNano":"%d","endTimeUnixNano":"%d"}]}]}]}`, traceA, spanA, begin.UnixNano(), time.Now().UnixNano())
	resp, err = http.Post(st.sink.Endpoint()+"/v1/traces", "application/json", strings.NewReader(k6Span)) //nolint:noctx // a test
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, st.stop(ctx))

	var out strings.Builder
	reqs := []k6Request{{Method: "GET", Path: "/checkout", TraceID: traceA}}
	require.NoError(t, report(&out, false, reqs, nil, st))
	require.NotContains(t, out.String(), "\x1b")
	require.True(t, strings.HasSuffix(out.String(), "demo: 1 request, 1 trace, 4 spans, every hop agrees\n"), out.String())
	var tree []string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "▕") {
			tree = append(tree, line[:strings.Index(line, "GET")+3])
		}
	}
	require.Equal(t, []string{"k6  GET", "└─ frontend  GET", "   └─ frontend  GET", "      └─ backend  GET"}, tree)
}

func TestK6Env(t *testing.T) {
	t.Parallel()
	got := k6Env([]string{"PATH=/bin", "OTEL_EXPORTER_OTLP_PROTOCOL=grpc", "OTEL_SERVICE_NAME=x", "HOME=/root"}, "http://127.0.0.1:1")
	require.Equal(t, []string{"PATH=/bin", "HOME=/root", "K6_NO_USAGE_REPORT=true", "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:1"}, got)
}
