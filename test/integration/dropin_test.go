//go:build integration

package integration

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestPyroscopeDropIn runs what the pyroscope library's tests and pages
// do (test/integration/scripts/pyroscope-dropin.js): its checks must all pass, and
// its requests, which carry no trace header, no trace_id metadata.
func TestPyroscopeDropIn(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	r := runK6(t, "scripts/pyroscope-dropin.js", map[string]string{"BASE_URL": srv.URL})
	requireSuccess(t, r)
	require.Len(t, srv.Requests(), 5)
	n := 0
	for _, s := range r.samples {
		if strings.HasPrefix(s.Metric, "http_req") {
			n++
			require.NotContains(t, s.Data.Metadata, "trace_id", "%s %s", s.Metric, s.Data.Tags["url"])
		}
	}
	require.NotZero(t, n)
}

// TestClientInVUCode: with nothing of the module called in the init
// context, a Client made in the default function traces its requests and
// tracing.group works (test/integration/scripts/client-in-vu.js): the module loads
// k6/http and k6's group as it is imported.
func TestClientInVUCode(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	r := runK6(t, "scripts/client-in-vu.js", map[string]string{"BASE_URL": srv.URL})
	requireSuccess(t, r)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	var ids []string
	for _, s := range r.samples {
		if s.Metric == "http_reqs" {
			require.Equal(t, "::checkout", s.Data.Tags["group"])
			ids = append(ids, s.Data.Metadata["trace_id"])
		}
	}
	var sent []string
	for _, req := range reqs {
		c, ok := contextIn(propagation.Jaeger, req.Header)
		require.True(t, ok)
		sent = append(sent, c.TraceID.String())
	}
	require.ElementsMatch(t, sent, ids)
}
