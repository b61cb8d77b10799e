//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestFacadeInK6 runs test/integration/scripts/facade.ts, which imports the facade
// built into ts/dist (make builds it first), in the real ./k6: the
// wrappers reject bad options with every problem at once, instrument
// k6/http and a Client, and handleSummary renders the trace report as
// text, Markdown and HTML with links to each trace the requests carried.
func TestFacadeInK6(t *testing.T) {
	t.Parallel()
	_, err := os.Stat("../../ts/dist/index.js")
	require.NoError(t, err, "build the facade first: make ts (make test does)")
	srv := startServer(t)
	out := t.TempDir()
	const traceURL = "http://jaeger.test/trace/{traceId}?span={spanId}"
	r := runK6(t, "scripts/facade.ts", map[string]string{"BASE_URL": srv.URL, "OUT_DIR": out, "TRACE_URL": traceURL})
	requireSuccess(t, r)

	rejected := readFile(t, out, "rejected.txt")
	require.Contains(t, rejected, "2 problems:", "every problem at once")
	require.Contains(t, rejected, `unknown option "propgator" (did you mean "propagator"?)`)
	require.Contains(t, rejected, `invalid option "sampling": 2 is out of range`)

	var report struct {
		Requests int `json:"requests"`
		Slowest  []struct {
			TraceID, SpanID, URL string
			Status               int
		} `json:"slowest"`
		Failed []struct {
			TraceID, URL string
			Status       int
		} `json:"failed"`
	}
	require.NoError(t, json.Unmarshal([]byte(readFile(t, out, "report.json")), &report))
	require.Equal(t, 8, report.Requests, "4 requests in each of 2 iterations")
	require.Len(t, report.Failed, 4, "the 503s and the refused connections")

	text, md, html := readFile(t, out, "report.txt"), readFile(t, out, "report.md"), readFile(t, out, "report.html")
	received := srv.Requests()
	require.Len(t, received, 6, "the refused requests never arrive")
	for _, req := range received {
		c, ok := contextIn(propagation.W3C, req.Header)
		if !ok {
			c, ok = contextIn(propagation.B3, req.Header) // the Client's
		}
		require.True(t, ok, "%s carries trace context", req.Path)
		link := strings.NewReplacer("{traceId}", c.TraceID.String(), "{spanId}", c.SpanID.String()).Replace(traceURL)
		require.Contains(t, text, c.TraceID.String(), "text report names %s's trace", req.Path)
		require.Contains(t, md, "("+link+")", "Markdown links %s's trace", req.Path)
		require.Contains(t, html, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`, "HTML links %s's trace", req.Path)
	}
	require.Contains(t, md, "http://127.0.0.1:9/facade/closed", "failed requests are listed")
	require.NotContains(t, html, "<script", "the HTML is static")
}

// TestFacadeAbortsInVUCode: bad options in VU code abort the test (exit
// code 108) with the facade's whole list, as the module aborts it.
func TestFacadeAbortsInVUCode(t *testing.T) {
	t.Parallel()
	r := runK6(t, "scripts/facade-abort.ts", nil)
	require.Equal(t, 108, r.exitCode, r.stderr)
	require.Contains(t, r.stderr, "new Client: 2 problems:")
	require.Contains(t, r.stderr, `unknown option "propgator" (did you mean "propagator"?)`)
	require.Equal(t, 1, strings.Count(r.stderr, "2 problems:"), "aborted at the first iteration")
}

func readFile(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err, name)
	return string(b)
}
