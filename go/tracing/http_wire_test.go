package tracing

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

func TestSentHeaderIsVisibleOnTheResponse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	sent := h.mustRun(`http.get(BASE).request.headers["Traceparent"][0]`).String()
	got := h.headers()
	require.Len(t, got, 1)
	require.Equal(t, got[0].Get("Traceparent"), sent)
}

// TestAsyncRequestInFlightKeepsItsOwnTrace sends a synchronous request while
// an asyncRequest is still in flight: each must carry exactly its own
// header, matching its own metadata.
func TestAsyncRequestInFlightKeepsItsOwnTrace(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	_, err := h.runtime.RunOnEventLoop(`
		const slow = http.asyncRequest("GET", BASE + "/slow");
		http.get(BASE + "/fast");
		slow.then((r) => { if (r.status !== 200) throw new Error("slow failed"); });
	`)
	require.NoError(t, err)
	got := traceparents(t, h.headers())
	require.Len(t, got, 2)
	require.NotEqual(t, got[0].TraceID, got[1].TraceID)
	ids := h.traceIDs()
	require.ElementsMatch(t, []string{got[0].TraceID.String(), got[1].TraceID.String()}, ids)
}

func TestRedirectKeepsTheTrace(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	h.mustRun(`if (http.get(BASE + "/redirect").status !== 200) throw new Error("redirect failed");`)
	got := traceparents(t, h.headers())
	require.Len(t, got, 2, "the redirect and its target")
	require.Equal(t, got[0].TraceID, got[1].TraceID)
	for _, id := range h.traceIDs() {
		require.Equal(t, got[0].TraceID.String(), id)
	}
}

func TestWireInjectorLeavesOtherRequestsAlone(t *testing.T) {
	t.Parallel()
	var seen []http.Header
	w := &wireInjector{next: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.Header.Clone())
		return &http.Response{StatusCode: 200, Body: http.NoBody}, nil
	})}
	send := func(h http.Header) {
		req, err := http.NewRequest(http.MethodGet, "http://127.0.0.1/", nil)
		require.NoError(t, err)
		for k, v := range h {
			req.Header[k] = v
		}
		_, err = w.RoundTrip(req)
		require.NoError(t, err)
	}
	send(nil) // no traced call in progress
	tr := &tracer{vu: &vuState{ids: newIDSource(propagation.LocalCode)}, opts: options.Default()}
	root := tr.vu.ids.newTrace(propagation.LayoutK6, propagation.NewSampler(1))
	a := &wireCall{tracer: tr, call: openCall{span: requestTrace{ctx: root}, prop: tr.opts.Propagator}}
	a.setFirst(requestTrace{ctx: root}, false)
	w.active.Store(a)
	send(http.Header{"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}}) // an asyncRequest's
	send(nil)
	send(nil)
	require.Empty(t, seen[0].Get("Traceparent"))
	require.Equal(t, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", seen[1].Get("Traceparent"),
		"a request that has its trace header keeps it")
	first, ok := propagation.ParseTraceparent(seen[2].Get("Traceparent"))
	require.True(t, ok)
	second, ok := propagation.ParseTraceparent(seen[3].Get("Traceparent"))
	require.True(t, ok)
	require.Equal(t, root, first, "the first request gets the precomputed header")
	require.Equal(t, root.TraceID, second.TraceID)
	require.NotEqual(t, root.SpanID, second.SpanID, "later requests get new spans in the same trace")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDirectCallsReachK6 guards the fast path: should k6 change the Go
// signature of its request functions, requests would still work through JS,
// only slower, and this test says so.
func TestDirectCallsReachK6(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	m, err := loadHTTPModule(h.runtime.VU.Runtime())
	require.NoError(t, err)
	f, err := m.current(h.runtime.VU.Runtime())
	require.NoError(t, err)
	for _, name := range []string{"get", "head", "post", "put", "patch", "del", "options"} {
		require.Contains(t, f.direct, name)
	}
}
