package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// k6's WebSocket modules are internal to k6, so these tests cover what
// does not need them; test/integration/websockets_test.go runs the real
// ones.

func TestInstrumentWebSocketsErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // a runtime without k6/ws and k6/websockets
	h.mustRun(`const tracing = require("k6/x/tracing");`)
	_, err := h.run(`new tracing.WebSocket("ws://127.0.0.1:1/")`)
	require.ErrorContains(t, err, "new WebSocket: not instrumented: call tracing.instrumentWebSockets() in the init context first")
	_, err = h.run(`tracing.instrumentWebSockets({ sampling: 2 })`)
	require.ErrorContains(t, err, `instrumentWebSockets: invalid option "sampling": 2 is out of range`)
	_, err = h.run(`tracing.instrumentWebSockets()`)
	require.ErrorContains(t, err, "instrumentWebSockets: k6's WebSocket modules unavailable: ")
	h.toVU()
	_, err = h.run(`tracing.instrumentWebSockets()`)
	requireAborted(t, err, "instrumentWebSockets: init context only")
}

// TestSetTraceID: the metadata is set until restore, which puts back what
// was there, once.
func TestSetTraceID(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing");`)
	h.toVU()
	state := h.runtime.VU.State()
	meta := func() map[string]string { return state.Tags.GetCurrentValues().Metadata }
	restore := setTraceID(state, "4bf92f3577b34da6a3ce929d0e0e4736")
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", meta()[TraceIDMetadata])
	inner := setTraceID(state, "0af7651916cd43dd8448eb211c80319c")
	inner()
	inner()
	require.Equal(t, "4bf92f3577b34da6a3ce929d0e0e4736", meta()[TraceIDMetadata], "the outer one is back")
	restore()
	require.NotContains(t, meta(), TraceIDMetadata)
	setTraceID(state, "")() // none: nothing set, nothing restored
	require.NotContains(t, meta(), TraceIDMetadata)
}
