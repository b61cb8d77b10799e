package tracing

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// contextOf reads format f from received headers with our own parser.
func contextOf(t *testing.T, f propagation.Format, h http.Header) propagation.Context {
	t.Helper()
	c, found, _ := propagation.NewPropagator(f).Extract(propagation.HeaderCarrier(h))
	require.Equal(t, propagation.Valid, found, "%s in %v", f, h)
	return c
}

// TestEveryFormatOnTheSameRequest sends requests on both paths (the wire
// path of http.get, the params path of asyncRequest and batch) with every
// format at once: each must carry the same trace and span id in all of
// them, and the trace id must be the one k6 reports as metadata.
func TestEveryFormatOnTheSameRequest(t *testing.T) {
	t.Parallel()
	formats := []propagation.Format{
		propagation.W3C, propagation.Jaeger, propagation.B3, propagation.B3Multi,
		propagation.OT, propagation.XRay, propagation.Datadog, propagation.GCP,
	}
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({
		propagator: ["w3c", "jaeger", "b3", "b3multi", "ot", "xray", "datadog", "gcp"] });`)
	h.toVU()
	h.mustRun(`http.get(BASE); http.batch([BASE, BASE]);`)
	_, err := h.runtime.RunOnEventLoop(`http.asyncRequest("GET", BASE)`)
	require.NoError(t, err)
	received := h.headers()
	require.Len(t, received, 4)
	ids := h.traceIDs()
	for i, hdr := range received {
		want := contextOf(t, propagation.W3C, hdr)
		require.True(t, want.Random, "xray trace ids set the W3C random flag")
		for _, f := range formats[1:] {
			got := contextOf(t, f, hdr)
			require.Equal(t, want.TraceID, got.TraceID, "%s trace id of request %d", f, i)
			require.Equal(t, want.SpanID, got.SpanID, "%s span id of request %d", f, i)
			require.Equal(t, want.Sampled, got.Sampled, "%s flag of request %d", f, i)
		}
		require.Contains(t, ids, want.TraceID.String())
	}
}

// TestRedirectHopsGetTheirOwnSpans: Go sends each hop of a redirect
// without the headers the wire path wrote, and the wire path gives each
// hop a new span of the same trace.
func TestRedirectHopsGetTheirOwnSpans(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	h.mustRun(`http.get(BASE + "/redirect");`)
	got := traceparents(t, h.headers())
	require.Len(t, got, 2)
	require.Equal(t, got[0].TraceID, got[1].TraceID)
	require.NotEqual(t, got[0].SpanID, got[1].SpanID)
}

// TestK6Baggage checks the members the pyroscope library sent, on both
// paths, and that the caller's own member wins.
func TestK6Baggage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ baggage: true });`)
	h.toVU()
	h.mustRun(`http.get(BASE + "/a"); http.get(BASE + "/b", { tags: { name: "named" } });
		http.get(BASE + "/c", { headers: { baggage: "k6.name=mine,x=1" } });`)
	got := h.headers()
	require.Len(t, got, 3)
	names := []string{h.server.URL + "/a", "named", "mine"}
	for i, hdr := range got {
		require.Len(t, hdr.Values("Baggage"), 1)
		b, ok := propagation.ParseBaggage(hdr.Get("Baggage"))
		require.True(t, ok, hdr.Get("Baggage"))
		name, _ := b.Get("k6.name")
		require.Equal(t, names[i], name)
		id, _ := b.Get("k6.test_run_id")
		require.Regexp(t, `^local-\d+-[0-9a-f]{8}$`, id)
	}
}
