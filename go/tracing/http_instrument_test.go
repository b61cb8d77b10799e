package tracing

import (
	"net/http"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/errext"
	"go.k6.io/k6/v2/metrics"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// traceparents parses the traceparent header of each received request.
func traceparents(t *testing.T, headers []http.Header) []propagation.Context {
	t.Helper()
	out := make([]propagation.Context, len(headers))
	for i, h := range headers {
		require.Len(t, h.Values("Traceparent"), 1, "exactly one traceparent")
		c, ok := propagation.ParseTraceparent(h.Get("Traceparent"))
		require.True(t, ok, "valid traceparent %q", h.Get("Traceparent"))
		out[i] = c
	}
	return out
}

func TestInstrumentHTTPCoversEveryMethod(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ propagator: "w3c" });`)
	h.toVU()
	h.mustRun(`
		http.get(BASE); http.head(BASE); http.post(BASE, "b"); http.put(BASE, "b");
		http.patch(BASE, "b"); http.del(BASE); http.options(BASE); http.request("GET", BASE);
	`)
	got := traceparents(t, h.headers())
	ids := h.traceIDs()
	require.Len(t, got, 8)
	require.Len(t, ids, 8)
	seen := map[string]bool{}
	for i, c := range got {
		require.Equal(t, c.TraceID.String(), ids[i], "metadata equals the header's trace id")
		require.True(t, c.Sampled)
		require.False(t, seen[c.TraceID.String()], "each request starts its own trace")
		seen[c.TraceID.String()] = true
		code, _, ok := propagation.DecodeK6TraceID(c.TraceID)
		require.True(t, ok)
		require.EqualValues(t, propagation.LocalCode, code)
	}
}

func TestAsyncRequestIsTracedAndResolvesToTheResponse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	_, err := h.runtime.RunOnEventLoop(`
		http.asyncRequest("POST", BASE, "body").then((r) => { globalThis.status = r.status; });
	`)
	require.NoError(t, err)
	require.EqualValues(t, 200, h.mustRun("globalThis.status").ToInteger())
	got := traceparents(t, h.headers())
	require.Len(t, got, 1)
	require.Equal(t, []string{got[0].TraceID.String()}, h.traceIDs())
}

func TestInstrumentHTTPOnlyOnceAndOnlyInInit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing"); tracing.instrumentHTTP();`)
	_, err := h.run(`tracing.instrumentHTTP()`)
	require.ErrorContains(t, err, "instrumentHTTP: already instrumented: it can be called only once")
	require.ErrorContains(t, err, "tracing.Client")

	h2 := newHarness(t)
	h2.mustRun(`const tracing = require("k6/x/tracing");`)
	h2.toVU()
	_, err = h2.run(`tracing.instrumentHTTP()`)
	requireAborted(t, err, "instrumentHTTP: init context only: call it at the top level of the script")
}

// requireAborted checks that VU code was stopped with a test abort, which
// makes k6 exit non-zero, rather than with an exception that fails one
// iteration.
func requireAborted(t *testing.T, err error, reason string) {
	t.Helper()
	var interrupted *sobek.InterruptedError
	require.ErrorAs(t, err, &interrupted)
	abort, ok := interrupted.Value().(*errext.InterruptError)
	require.True(t, ok, "interrupted with %T", interrupted.Value())
	require.Contains(t, abort.Reason, "test aborted: "+reason)
}

// TestClientInVUCode: the module loads k6/http as it is imported, so a
// Client works in VU code even when nothing of the module ran in the init
// context.
func TestClientInVUCode(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing");`)
	h.toVU()
	h.mustRun(`new tracing.Client({ propagator: "jaeger" }).get(BASE)`)
	got := h.headers()
	require.Len(t, got, 1)
	require.NotEmpty(t, got[0].Get("Uber-Trace-Id"))
	require.Len(t, h.traceIDs(), 1)
}

func TestClientAndInstrumentHTTPNeverInjectTwice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`
		const http = require("k6/http");
		const tracing = require("k6/x/tracing");
		const before = new tracing.Client({ propagator: "jaeger" });
		tracing.instrumentHTTP({ propagator: "w3c" });
		const after = new tracing.Client({ propagator: "jaeger" });
	`)
	h.toVU()
	h.mustRun(`before.get(BASE); after.post(BASE, "x"); after.batch([BASE]);`)
	for _, got := range h.headers() {
		require.Empty(t, got.Get("Traceparent"), "the client wraps the un-instrumented k6/http")
		require.Len(t, got.Values("Uber-Trace-Id"), 1)
	}
}

func TestClientConfigure(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const client = new (require("k6/x/tracing").Client)();`)
	h.toVU()
	h.mustRun(`client.get(BASE); client.configure({ propagator: "jaeger", sampling: 0 }); client.get(BASE);`)
	_, err := h.run(`client.configure({ sampling: 3 })`)
	requireAborted(t, err, `Client.configure: invalid option "sampling": 3 is out of range`)
	got := h.headers()
	require.Len(t, got, 2)
	require.NotEmpty(t, got[0].Get("Traceparent"))
	require.Empty(t, got[1].Get("Traceparent"))
	require.Regexp(t, `^[0-9a-f]{32}:[0-9a-f]{16}:0:0$`, got[1].Get("Uber-Trace-Id"))
}

func TestSamplingOnlySetsTheFlag(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`
		const tracing = require("k6/x/tracing");
		const never = new tracing.Client({ sampling: 0 });
		const always = new tracing.Client({ sampling: null });
	`)
	h.toVU()
	h.mustRun(`never.get(BASE); always.get(BASE);`)
	got := traceparents(t, h.headers())
	require.False(t, got[0].Sampled)
	require.True(t, got[1].Sampled)
	require.Len(t, h.traceIDs(), 2, "unsampled requests carry metadata too")
}

func TestParamsAreNeverMutatedAndHeadersKept(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	out := h.mustRun(`
		const params = { headers: { "X-User": "alice" }, tags: { name: "home" } };
		const before = JSON.stringify(params);
		http.get(BASE, params); http.post(BASE, "b", params);
		http.batch([["GET", BASE, null, params], { method: "GET", url: BASE, params }]);
		before === JSON.stringify(params) && Object.keys(params.headers).length === 1
	`)
	require.True(t, out.ToBoolean(), "params unchanged")
	got := traceparents(t, h.headers())
	require.Len(t, got, 4)
	for _, c := range got {
		require.True(t, c.IsValid())
	}
}

func TestCallerTraceHeaderIsContinued(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ sampling: 1 });`)
	h.toVU()
	const parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"
	h.mustRun(`
		http.get(BASE, { headers: { TraceParent: "` + parent + `" } });
		http.get(BASE, { headers: { traceparent: "00-not-a-valid-header" } });
	`)
	got := traceparents(t, h.headers())
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", got[0].TraceID.String())
	require.NotEqual(t, "00f067aa0ba902b7", got[0].SpanID.String(), "a new span id")
	require.False(t, got[0].Sampled, "the caller's decision")
	require.NotEqual(t, "4bf92f3577b34da6a3ce929d0e0e4736", got[1].TraceID.String())
	require.True(t, got[1].Sampled, "an invalid header is ignored: a new trace")
}

func TestMetadataDoesNotLinger(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	state := h.runtime.VU.State()
	h.mustRun(`http.get(BASE)`)
	require.Empty(t, state.Tags.GetCurrentValues().Metadata)

	// A script's own trace_id metadata comes back after the call.
	state.Tags.Modify(func(tm *metrics.TagsAndMeta) { tm.SetMetadata(TraceIDMetadata, "mine") })
	h.mustRun(`http.get(BASE)`)
	require.Equal(t, map[string]string{TraceIDMetadata: "mine"}, state.Tags.GetCurrentValues().Metadata)
	ids := h.traceIDs()
	require.Len(t, ids, 2)
	require.NotEqual(t, "mine", ids[1])
}

func TestBatchIsOneTraceWithOneSpanPerRequest(t *testing.T) {
	t.Parallel()
	for name, requests := range map[string]string{
		"array of forms":   `[BASE, ["GET", BASE], ["POST", BASE, "b", { headers: { "X-A": "1" } }], { method: "PUT", url: BASE, body: "b" }]`,
		"object of forms":  `{ a: BASE, b: ["GET", BASE], c: { method: "GET", url: BASE }, d: ["DELETE", BASE, null] }`,
		"http.url objects": "[http.url`${BASE}/a`, http.url`${BASE}/b`, BASE, BASE]",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
			h.toVU()
			h.mustRun(`const responses = http.batch(` + requests + `);
				if (Object.values(responses).some((r) => r.status !== 200)) throw new Error("batch failed");`)
			got := traceparents(t, h.headers())
			require.Len(t, got, 4)
			spans := map[string]bool{}
			for _, c := range got {
				require.Equal(t, got[0].TraceID, c.TraceID)
				spans[c.SpanID.String()] = true
			}
			require.Len(t, spans, 4)
			for _, id := range h.traceIDs() {
				require.Equal(t, got[0].TraceID.String(), id)
			}
		})
	}
}

func TestBadArgumentsReachK6Unchanged(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP();`)
	h.toVU()
	_, err := h.run(`http.batch()`)
	require.ErrorContains(t, err, "no argument was provided to http.batch()")
	_, err = h.run(`http.batch(42)`)
	require.ErrorContains(t, err, "invalid http.batch() argument type")
	_, err = h.run(`http.get()`)
	require.Error(t, err)
}
