package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// stackedRequests sends one request of each kind through the script's
// http: get (the wire path), post with a caller's header, asyncRequest
// and request with a header of an enabled format (the params path), a
// redirect, and a batch of two.
const stackedRequests = `
	http.get(BASE);
	http.post(BASE, "b", { headers: { "X-Caller": "1" } });
	http.request("GET", BASE, null, { headers: { "b3": "0" } });
	http.asyncRequest("GET", BASE);
	http.get(BASE + "/redirect");
	http.batch([BASE, ["GET", BASE]]);
`

// TestStackedLayersShareOneSpan: with both import paths' instrumentHTTP,
// in either order, and with Clients of one over the other's instrumented
// functions, every request carries one span in every layer's formats, the
// baggage of both layers, and trace_id metadata naming that span's trace.
func TestStackedLayersShareOneSpan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, init, vu string
		formats        []propagation.Format
	}{
		{"pyroscope, then k6/x/tracing (the jslib's order)", `
			pyroscope.instrumentHTTP(); tracing.instrumentHTTP({ propagator: "w3c" });`,
			stackedRequests, []propagation.Format{propagation.W3C}},
		{"k6/x/tracing, then pyroscope", `
			tracing.instrumentHTTP({ propagator: "w3c" }); pyroscope.instrumentHTTP();`,
			stackedRequests, []propagation.Format{propagation.W3C}},
		{"two layers that both carry a trace", `
			tracing.instrumentHTTP({ propagator: ["w3c", "jaeger"] }); pyroscope.instrumentHTTP({ propagator: "b3" });`,
			stackedRequests, []propagation.Format{propagation.W3C, propagation.Jaeger, propagation.B3}},
		{"a pyroscope Client over instrumented functions, made in VU code", `
			tracing.instrumentHTTP({ propagator: "w3c" });`,
			`const c = new pyroscope.Client(); c.get(BASE); c.post(BASE, "b"); c.get(BASE + "/redirect"); c.batch([BASE]);`,
			[]propagation.Format{propagation.W3C}},
		{"a k6/x/tracing Client over pyroscope's instrumented functions", `
			pyroscope.instrumentHTTP(); const c = new tracing.Client({ propagator: "b3multi" });`,
			`c.get(BASE); c.asyncRequest("GET", BASE); c.batch([BASE]);`,
			[]propagation.Format{propagation.B3Multi}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const http = require("k6/http");
				const tracing = require("k6/x/tracing");
				const pyroscope = require("k6/x/tracing/pyroscope");` + tc.init)
			h.toVU()
			_, err := h.runtime.RunOnEventLoop(tc.vu)
			require.NoError(t, err)
			received := h.headers()
			ids := h.traceIDs()
			require.NotEmpty(t, received)
			require.Len(t, ids, len(received))
			var carried []string
			for i, got := range received {
				var first propagation.Context
				for j, f := range tc.formats {
					c, found, _ := propagation.NewPropagator(f).Extract(propagation.HeaderCarrier(got))
					require.Equal(t, propagation.Valid, found, "request %d: %s in %v", i, f, got)
					if j == 0 {
						first = c
						continue
					}
					require.Equal(t, first.TraceID, c.TraceID, "request %d: %s names the span of %s", i, f, tc.formats[0])
					require.Equal(t, first.SpanID, c.SpanID, "request %d: %s names the span of %s", i, f, tc.formats[0])
				}
				carried = append(carried, first.TraceID.String())
				_, _, bag := propagation.NewPropagator(propagation.W3CBaggage).Extract(propagation.HeaderCarrier(got))
				require.NotNil(t, bag, "request %d: pyroscope's baggage in %v", i, got)
				_, ok := bag.Get(baggageScenario)
				require.True(t, ok, "request %d: the k6 members in %v", i, got)
			}
			// Batches and asyncRequest finish out of order: each trace id
			// carried is some sample's metadata, as many times.
			require.ElementsMatch(t, carried, ids)
		})
	}
}

// TestStackedMetadataInOrder: for the jslib's order and its reverse, the
// trace_id metadata of each request's samples is the trace id its
// traceparent carried, request by request.
func TestStackedMetadataInOrder(t *testing.T) {
	t.Parallel()
	for _, init := range []string{
		`pyroscope.instrumentHTTP(); tracing.instrumentHTTP({ propagator: "w3c" });`,
		`tracing.instrumentHTTP({ propagator: "w3c" }); pyroscope.instrumentHTTP();`,
	} {
		h := newHarness(t)
		h.mustRun(`const http = require("k6/http");
			const tracing = require("k6/x/tracing");
			const pyroscope = require("k6/x/tracing/pyroscope");` + init)
		h.toVU()
		h.mustRun(`http.get(BASE); http.post(BASE, "b"); http.request("GET", BASE, null, { headers: { baggage: "a=b" } })`)
		got := traceparents(t, h.headers())
		ids := h.traceIDs()
		require.Len(t, ids, 3)
		for i, c := range got {
			require.Equal(t, c.TraceID.String(), ids[i], "%s: request %d", init, i)
		}
	}
}

// TestNoTraceHeaderNoTraceID: the pyroscope module sends baggage only, so
// its requests' samples carry no trace_id metadata, and the trace report
// lists no trace for them.
func TestNoTraceHeaderNoTraceID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http");
		const pyroscope = require("k6/x/tracing/pyroscope");
		pyroscope.instrumentHTTP();`)
	h.toVU()
	h.mustRun(`http.get(BASE); http.get(BASE + "/fail"); http.batch([BASE]); new pyroscope.Client().get(BASE);`)
	received := h.headers()
	require.Len(t, received, 4)
	for _, got := range received {
		require.NotEmpty(t, got.Get("Baggage"))
		require.Empty(t, got.Get("Traceparent"))
	}
	require.Equal(t, []string{"", "", "", ""}, h.traceIDs())
	report := h.mustRun(`JSON.stringify(pyroscope.traceReport())`).String()
	require.Contains(t, report, `"failed":[]`)
	require.Contains(t, report, `"slowest":[]`)
}

// TestJoinedOnlyOnce: a wrapper of the script's that sends two requests
// under one outer layer's call gives the second a span of its own.
func TestJoinedOnlyOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http");
		const tracing = require("k6/x/tracing");
		const pyroscope = require("k6/x/tracing/pyroscope");
		pyroscope.instrumentHTTP({ propagator: "b3" });
		const pyroGet = http.get;
		http.get = (url) => { pyroGet(url); return pyroGet(url); };
		tracing.instrumentHTTP({ propagator: "w3c" });`)
	h.toVU()
	h.mustRun(`http.get(BASE)`)
	received := h.headers()
	require.Len(t, received, 2)
	first, second := received[0], received[1]
	c1, ok := propagation.ParseTraceparent(first.Get("Traceparent"))
	require.True(t, ok)
	b1, found, _ := propagation.NewPropagator(propagation.B3).Extract(propagation.HeaderCarrier(first))
	require.Equal(t, propagation.Valid, found)
	require.Equal(t, c1.SpanID, b1.SpanID, "the first request joins the outer call")
	b2, found, _ := propagation.NewPropagator(propagation.B3).Extract(propagation.HeaderCarrier(second))
	require.Equal(t, propagation.Valid, found)
	require.NotEqual(t, b1.SpanID, b2.SpanID, "the second is a request of its own")
}
