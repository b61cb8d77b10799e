//go:build integration

package integration

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCallerContext runs test/integration/scripts/caller.js, whose checks cover caller
// headers in every position, and then looks at what the server received:
// no request may carry a trace header twice.
func TestCallerContext(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	requireSuccess(t, runK6(t, "scripts/caller.js", map[string]string{"BASE_URL": srv.URL}))
	reqs := srv.Requests()
	require.Len(t, reqs, 13)
	for _, req := range reqs {
		for _, name := range []string{"Traceparent", "Tracestate", "B3", "Baggage"} {
			require.LessOrEqual(t, len(req.Header.Values(name)), 1, "%s %s: %s %q", req.Method, req.Path, name, req.Header.Values(name))
		}
		require.NotEmpty(t, req.Header.Get("Traceparent"), req.Path)
		require.Equal(t, http.MethodGet, req.Method)
	}
}
