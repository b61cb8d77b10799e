package tracing

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPyroscopeHeaderFunction: new pyroscope.Client(generateHeaders) and
// pyroscope.instrumentHTTP(generateHeaders) add the headers the function
// returns, given each request's URL, body (null for get) and params, as
// the http-instrumentation-pyroscope library does; they replace its
// default baggage, and the caller's params are left as they were.
func TestPyroscopeHeaderFunction(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http");
		const pyroscope = require("k6/x/tracing/pyroscope");
		const seen = [];
		const generate = (url, body, params) => {
			seen.push([url, body, params && params.tags && params.tags.name]);
			return { "X-Team": "perf", baggage: "k6.name=" + (params && params.tags ? params.tags.name : "none") };
		};
		const client = new pyroscope.Client(generate);
		pyroscope.instrumentHTTP((url) => ({ "X-Instrumented": url }));`)
	h.toVU()
	h.mustRun(`
		const params = { headers: { "X-Caller": "1", "X-Team": "caller", baggage: "caller=1" }, tags: { name: "n" } };
		client.get(BASE, params);
		client.post(BASE, "the body", params);
		client.batch([["PUT", BASE, "put body", params]]);
		client.batch([{ method: "GET", url: BASE + "/o" }]);
		http.get(BASE + "/x");
		if (JSON.stringify(params) !== JSON.stringify({ headers: { "X-Caller": "1", "X-Team": "caller", baggage: "caller=1" }, tags: { name: "n" } })) {
			throw new Error("params changed: " + JSON.stringify(params));
		}`)
	base := strconv.Quote(h.server.URL)
	require.JSONEq(t, `[[`+base+`, null, "n"], [`+base+`, "the body", "n"], [`+base+`, "put body", "n"], [`+strconv.Quote(h.server.URL+"/o")+`, null, null]]`,
		h.mustRun(`JSON.stringify(seen)`).String())
	received := h.headers()
	require.Len(t, received, 5)
	for _, got := range received[:3] {
		require.Equal(t, "1", got.Get("X-Caller"))
		require.Equal(t, []string{"k6.name=n"}, got.Values("Baggage"), "the function's header goes over the caller's")
		require.Equal(t, []string{"perf"}, got.Values("X-Team"), "the function's header replaces the caller's of the same name, as Object.assign does")
		require.Empty(t, got.Get("Traceparent"))
	}
	require.Equal(t, []string{"k6.name=none"}, received[3].Values("Baggage"), "a batch object without params")
	require.Equal(t, h.server.URL+"/x", received[4].Get("X-Instrumented"))
	require.Empty(t, received[4].Get("Baggage"), "the function's headers replace the default baggage")
	require.Equal(t, []string{"", "", "", "", ""}, h.traceIDs(), "no trace header, no trace_id")
}

func TestPyroscopeHeaderFunctionErrors(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]string{
		`new pyroscope.Client(() => 5).get(BASE)`:                           `invalid argument: the header function (generateHeaders) returned 5; allowed: an object of header names and values`,
		`new pyroscope.Client(() => "a").get(BASE)`:                         `returned "a" (a string)`,
		`new pyroscope.Client(() => []).batch([BASE])`:                      `returned an array`,
		`new pyroscope.Client(() => { throw new Error("boom") }).get(BASE)`: `boom`,
	} {
		h := newHarness(t)
		h.mustRun(`const pyroscope = require("k6/x/tracing/pyroscope");`)
		h.toVU()
		_, err := h.run(code)
		require.ErrorContains(t, err, want, code)
		require.Empty(t, h.headers(), "%s: no request is sent", code)
	}
	// k6/x/tracing takes options only; the pyroscope module says what it takes.
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing"); const pyroscope = require("k6/x/tracing/pyroscope");`)
	_, err := h.run(`new tracing.Client(() => ({}))`)
	require.ErrorContains(t, err, "new Client: invalid options: a function is not an object")
	_, err = h.run(`new pyroscope.Client(5)`)
	require.ErrorContains(t, err, "new Client: invalid options: 5 is not an object; allowed: an object such as { propagator: \"w3c\", sampling: 1 }, "+
		"or nothing for the defaults, or a function of a request's URL, body and params that returns headers to add")
}

// TestPyroscopeHeaderFunctionStacked: pyroscope's header function under
// k6/x/tracing's instrumentHTTP: both layers' headers, one trace.
func TestPyroscopeHeaderFunctionStacked(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const http = require("k6/http");
		const tracing = require("k6/x/tracing");
		const pyroscope = require("k6/x/tracing/pyroscope");
		pyroscope.instrumentHTTP(() => ({ "X-Profile": "on" }));
		tracing.instrumentHTTP({ propagator: "w3c" });`)
	h.toVU()
	h.mustRun(`http.get(BASE); http.post(BASE, "b")`)
	received := h.headers()
	got := traceparents(t, received)
	for _, r := range received {
		require.Equal(t, "on", r.Get("X-Profile"))
	}
	ids := h.traceIDs()
	require.Equal(t, []string{got[0].TraceID.String(), got[1].TraceID.String()}, ids)
}
