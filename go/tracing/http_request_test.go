package tracing

import (
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

func TestNameTagWithoutName(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	params, err := rt.RunString(`({ tags: { env: "staging" } })`)
	require.NoError(t, err)
	tmpl, err := rt.RunString(`({ url: "http://h/items/1" })`)
	require.NoError(t, err)
	require.Empty(t, nameTag(rt.ToValue("http://h/x"), params), "other tags but no name")
	require.Empty(t, nameTag(tmpl, params), "a template object without a name")
	named, err := rt.RunString(`({ tags: { name: "items" } })`)
	require.NoError(t, err)
	require.Equal(t, "items", nameTag(tmpl, named))
}

func TestResponseEnd(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	start := time.Unix(100, 0)
	settled := start.Add(time.Second)
	res, err := rt.RunString(`({ timings: { blocked: 1, connecting: 2, tls_handshaking: 3, sending: 4, waiting: 5, receiving: 5 } })`)
	require.NoError(t, err)
	require.Equal(t, start.Add(20*time.Millisecond), responseEnd(start, settled, res), "the phases k6 measured")
	slow, err := rt.RunString(`({ timings: { waiting: 5000 } })`)
	require.NoError(t, err)
	require.Equal(t, settled, responseEnd(start, settled, slow), "never after it was seen settled")
	require.Equal(t, settled, responseEnd(start, settled, nil), "a rejection")
	none, err := rt.RunString(`({ timings: {} })`)
	require.NoError(t, err)
	require.Equal(t, settled, responseEnd(start, settled, none))
}

func TestAsyncRequestWithSpansSettlesAsK6Does(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// The export goes nowhere: this test is about the promise the script gets.
	h.mustRun(`const http = require("k6/http"); require("k6/x/tracing").instrumentHTTP({ spans: { endpoint: "http://127.0.0.1:9" } });`)
	h.toVU()
	_, err := h.runtime.RunOnEventLoop(`
		http.asyncRequest("GET", BASE).then((r) => { globalThis.status = r.status; });
		http.asyncRequest("GET", "http://127.0.0.1:9/closed").then(
			() => { globalThis.closed = "fulfilled"; },
			(e) => { globalThis.closed = String(e); });
	`)
	require.NoError(t, err)
	require.EqualValues(t, 200, h.mustRun("globalThis.status").ToInteger())
	require.Contains(t, h.mustRun("globalThis.closed").String(), "connection refused", "k6's rejection, passed on")
}
