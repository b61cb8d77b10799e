//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestEnvironment checks what the environment decides: OTEL_PROPAGATORS
// picks the formats when the script names none (from -e or from the
// process environment), and a cloud run's test run id is the k6.test_run_id
// baggage member.
func TestEnvironment(t *testing.T) {
	t.Parallel()
	script := filepath.Join(t.TempDir(), "env.js")
	require.NoError(t, os.WriteFile(script, []byte(`
import http from "k6/http";
import tracing from "k6/x/tracing";
tracing.instrumentHTTP(__ENV.K6_BAGGAGE ? { baggage: true } : undefined);
export const options = { iterations: 2 };
export default function () { http.get(__ENV.BASE_URL + "/env"); }
`), 0o600))

	t.Run("OTEL_PROPAGATORS with -e", func(t *testing.T) {
		t.Parallel()
		srv := startServer(t)
		requireSuccess(t, runK6(t, script, map[string]string{"BASE_URL": srv.URL, "OTEL_PROPAGATORS": "b3multi,tracecontext"}))
		for _, req := range srv.Requests() {
			b3, ok := contextIn(propagation.B3Multi, req.Header)
			require.True(t, ok, "%v", req.Header)
			w3c, ok := contextIn(propagation.W3C, req.Header)
			require.True(t, ok)
			require.Equal(t, w3c, b3)
		}
	})
	t.Run("OTEL_PROPAGATORS from the process environment", func(t *testing.T) {
		t.Parallel()
		srv := startServer(t)
		requireSuccess(t, runK6(t, script, map[string]string{"BASE_URL": srv.URL}, "OTEL_PROPAGATORS=jaeger"))
		for _, req := range srv.Requests() {
			_, ok := contextIn(propagation.Jaeger, req.Header)
			require.True(t, ok, "%v", req.Header)
			require.Empty(t, req.Header.Get("Traceparent"))
		}
	})
	t.Run("cloud test run id", func(t *testing.T) {
		t.Parallel()
		srv := startServer(t)
		requireSuccess(t, runK6(t, script, map[string]string{
			"BASE_URL": srv.URL, "K6_BAGGAGE": "1", "K6_CLOUDRUN_TEST_RUN_ID": "424242",
		}))
		reqs := srv.Requests()
		require.Len(t, reqs, 2)
		for _, req := range reqs {
			b, ok := propagation.ParseBaggage(req.Header.Get("Baggage"))
			require.True(t, ok)
			id, _ := b.Get("k6.test_run_id")
			require.Equal(t, "424242", id)
			scenario, _ := b.Get("k6.scenario")
			require.Equal(t, "default", scenario)
		}
	})
}
