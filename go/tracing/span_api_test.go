package tracing

import (
	"context"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

func TestIterationScopeSharesOneTracePerIteration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ traceScope: "iteration" });`)
	h.toVU()
	h.mustRun(`http.get(BASE); http.get(BASE); http.batch([BASE, BASE]);`)
	first := traceparents(t, h.headers())
	require.Len(t, first, 4)
	for _, c := range first {
		require.Equal(t, first[0].TraceID, c.TraceID, "one trace for the iteration")
	}
	h.runtime.VU.StateField.Iteration++
	h.mustRun(`http.get(BASE)`)
	next := traceparents(t, h.headers())
	require.NotEqual(t, first[0].TraceID, next[0].TraceID, "a new iteration, a new trace")

	h2 := newHarness(t)
	h2.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ traceScope: "request" });`)
	h2.toVU()
	h2.mustRun(`http.get(BASE); http.get(BASE);`)
	own := traceparents(t, h2.headers())
	require.NotEqual(t, own[0].TraceID, own[1].TraceID, "request scope: a trace per request")

	// setup() and teardown() run outside any scenario, with no iteration.
	h3 := newHarness(t)
	h3.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ traceScope: "iteration" });`)
	h3.toVU()
	h3.runtime.VU.CtxField = context.Background()
	h3.mustRun(`http.get(BASE); http.get(BASE);`)
	outside := traceparents(t, h3.headers())
	require.NotEqual(t, outside[0].TraceID, outside[1].TraceID, "outside a scenario: a trace per request")
}

func TestWithSpanParentsTheRequestsInside(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); const tracing = require("k6/x/tracing"); tracing.instrumentHTTP();`)
	h.toVU()
	v := h.mustRun(`
		const ids = tracing.withSpan("step", (span) => {
			http.get(BASE);
			const inner = tracing.startSpan("inner", { kind: "client", attributes: { a: 1, b: ["x"] } });
			http.get(BASE);
			inner.end(); inner.end();
			return [span.traceId, span.spanId, inner.traceId, span.isRecording(), span.setAttribute("k", true) === null];
		});
		http.get(BASE);
		ids;`).Export().([]any)
	got := traceparents(t, h.headers())
	require.Len(t, got, 3)
	require.Equal(t, v[0], got[0].TraceID.String(), "inside: the span's trace")
	require.Equal(t, v[0], got[1].TraceID.String())
	require.Equal(t, v[0], v[2], "a span started inside is in the same trace")
	require.NotEqual(t, v[1], got[0].SpanID.String())
	require.Equal(t, false, v[3], "spans off: not recording")
	require.Equal(t, false, v[4], "setAttribute returns the span")
	require.NotEqual(t, v[0], got[2].TraceID.String(), "after withSpan: a trace of its own again")

	_, err := h.run(`tracing.withSpan("fails", () => { throw new RangeError("boom"); })`)
	var ex *sobek.Exception
	require.ErrorAs(t, err, &ex)
	require.Equal(t, "RangeError: boom", ex.Value().String(), "the function's exception passes through unchanged")
	h.mustRun(`http.get(BASE)`)
	after := traceparents(t, h.headers())
	require.NotEqual(t, v[0], after[0].TraceID.String(), "a throwing function leaves no active span behind")
}

func TestSpanAPIBadInput(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing");`)
	_, err := h.run(`tracing.startSpan("x")`)
	require.ErrorContains(t, err, "startSpan: VU code only: spans belong to iterations")
	// startSpan's and withSpan's own arguments are the option table's calls
	// (TestOptionTableCalls), which the facade is tested against too.
	for code, reason := range map[string]string{
		`tracing.startSpan("x").setStatus("bad")`:               `span.setStatus: invalid option "status": "bad" (a string) is not a status code; allowed: "ok", "error" or "unset"`,
		`tracing.startSpan("x").setAttributes({ a: [1, "b"] })`: `span.setAttributes: invalid option "attributes.a": an array is not an attribute value`,
		`tracing.startSpan("x").addEvent("")`:                   `span.addEvent: invalid argument: the name is "" (a string), not a non-empty string`,
		`tracing.group("g", () => 1)`:                           `group: init context only: it needs k6's group`,
	} {
		h2 := newHarness(t)
		h2.mustRun(`const tracing = require("k6/x/tracing");`)
		h2.toVU()
		_, err := h2.run(code)
		requireAborted(t, err, reason)
	}
}

func TestAsyncWithSpanPassesTheRejectionOn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http"); const tracing = require("k6/x/tracing"); tracing.instrumentHTTP();`)
	h.toVU()
	_, err := h.runtime.RunOnEventLoop(`
		globalThis.inside = tracing.withSpan("step", async (span) => {
			http.get(BASE);
			await Promise.resolve();
			http.get(BASE);
			throw new TypeError("no");
		}).then(() => "fulfilled", (e) => e.name + ": " + e.message + " / " + (e instanceof TypeError));
		globalThis.inside.then((v) => { globalThis.outcome = v; http.get(BASE); });
	`)
	require.NoError(t, err)
	require.Equal(t, "TypeError: no / true", h.mustRun("globalThis.outcome").String(), "the rejection reaches the script as it was")
	got := traceparents(t, h.headers())
	require.Len(t, got, 3)
	require.Equal(t, got[0].TraceID, got[1].TraceID, "the span stays active across the await")
	require.NotEqual(t, got[0].TraceID, got[2].TraceID, "and not after its promise settled")
}
