//go:build integration

package integration

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/interop"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
	"github.com/xk6-tracing/xk6-tracing/test/support/wsserver"
)

// TestWebSockets runs scripts/websockets.js against an echo server
// instrumented with the OpenTelemetry Go SDK, exporting to a real Jaeger:
// every handshake carries one span in every configured format, beside the
// script's own headers; each session's ws_* samples carry its trace id;
// in Jaeger the session span (k6/ws's and k6/websockets') is the parent
// of the handshake's server span, with its status, message counts and
// close code, and a refused handshake is an error.
func TestWebSockets(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	srv, err := wsserver.Start(context.Background(), strings.TrimSuffix(j.OTLPHTTP, "/v1/traces"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	formats := []string{"w3c", "b3", "jaeger", "xray", "datadog"}
	r := runK6(t, "scripts/websockets.js", map[string]string{"WS_URL": srv.URL, "PROPAGATORS": strings.Join(formats, ",")},
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP)
	requireSuccess(t, r)
	require.NoError(t, srv.Stop(context.Background()))

	sessions := srv.Sessions()
	paths := make([]string, len(sessions))
	traces := map[string]interop.Result{}
	for i, s := range sessions {
		paths[i] = s.Path
		w3c, err := interop.Extract("w3c", s.Header)
		require.NoError(t, err, "%s: %v", s.Path, s.Header)
		for _, f := range formats {
			got, err := interop.Extract(f, s.Header)
			require.NoError(t, err, "%s in %s", f, s.Path)
			require.Equal(t, w3c.SpanID, got.SpanID, "%s in %s", f, s.Path)
		}
		traces[s.Path] = w3c
	}
	require.Equal(t, []string{"/ws-echo", "/reject", "/websockets-echo", "/close"}, paths)
	require.Equal(t, "u1", sessions[0].Header.Get("X-User"), "the script's own headers are sent along")
	require.Equal(t, []int{2, 0, 3, 0}, []int{sessions[0].Received, sessions[1].Received, sessions[2].Received, sessions[3].Received})

	// trace_id metadata: every ws_* sample names its session's trace.
	byTrace := map[string][]string{}
	for _, s := range r.samples {
		if strings.HasPrefix(s.Metric, "ws_") {
			id := s.Data.Metadata["trace_id"]
			require.NotEmpty(t, id, "%s has trace_id", s.Metric)
			byTrace[id] = append(byTrace[id], s.Metric)
		}
	}
	for _, path := range []string{"/ws-echo", "/websockets-echo"} {
		metrics := byTrace[traces[path].TraceID]
		require.Contains(t, metrics, "ws_session_duration", path)
		require.Contains(t, metrics, "ws_msgs_sent", path)
		require.Contains(t, metrics, "ws_msgs_received", path)
	}

	// Jaeger: the session span, and the handshake's server span under it.
	want := map[string]struct {
		name                 string
		sent, received, code float64
		status               float64
		err                  bool
	}{
		"/ws-echo":         {"WebSocket ws echo", 2, 2, 0, 101, false},
		"/reject":          {"WebSocket /reject", 0, 0, 0, 403, true},
		"/websockets-echo": {"WebSocket websockets echo", 3, 3, 1000, 101, false},
		"/close":           {"WebSocket /close", 1, 0, 1008, 101, false},
	}
	for path, w := range want {
		c := traces[path]
		spans, err := j.WaitTrace(c.TraceID, 2, 20*time.Second)
		require.NoError(t, err)
		idx := indexSpans(spans)
		session, ok := idx.byID[c.SpanID]
		require.True(t, ok, "%s: k6's session span", path)
		require.Equal(t, "k6", session.Service)
		require.Equal(t, w.name, session.OperationName, path)
		require.Equal(t, "client", tagOf(session, "span.kind"))
		require.Equal(t, "websocket", tagOf(session, "network.protocol.name"))
		require.Equal(t, w.status, tagOf(session, "http.response.status_code"), path)
		require.Equal(t, w.sent, tagOf(session, "k6.websocket.messages_sent"), path)
		require.Equal(t, w.received, tagOf(session, "k6.websocket.messages_received"), path)
		if w.code != 0 {
			require.Equal(t, w.code, tagOf(session, "k6.websocket.close_code"), path)
		}
		if w.err {
			require.Equal(t, true, tagOf(session, "error"), path)
		} else {
			require.Nil(t, tagOf(session, "error"), path)
		}
		require.True(t, slices.ContainsFunc(spans, func(s jaeger.Span) bool {
			return s.Service == wsserver.ServiceName && s.ParentID() == c.SpanID
		}), "%s: the handshake's server span is the child of the session's", path)
	}
}
