//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// exampleFormats says which trace header each example's traced requests
// carry; requests to /plain are the examples' un-traced ones.
var exampleFormats = map[string]propagation.Format{
	"quickstart.ts":           propagation.W3C,
	"client.js":               propagation.W3C,
	"jaeger.ts":               propagation.Jaeger,
	"sampling.ts":             propagation.W3C,
	"migrate-experimental.js": propagation.W3C,
}

// TestExamples runs every script in examples/ against the recording server:
// each must pass its own checks and thresholds, and every request it sent
// must carry a valid header whose trace id k6 reported as metadata.
func TestExamples(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir("../../examples")
	require.NoError(t, err)
	var scripts []string
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".js" || ext == ".ts") {
			scripts = append(scripts, e.Name())
		}
	}
	for name := range exampleFormats {
		require.Contains(t, scripts, name, "example listed but missing")
	}
	for _, name := range scripts {
		format, ok := exampleFormats[name]
		require.True(t, ok, "examples/%s has no test: add it to exampleFormats", name)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			r := runK6(t, filepath.Join("../../examples", name), map[string]string{"BASE_URL": srv.URL})
			requireSuccess(t, r)
			reqs := srv.Requests()
			require.NotEmpty(t, reqs)
			byURL := httpSamplesByURL(r.samples)
			for _, req := range reqs {
				if req.Path == "/plain" {
					require.Empty(t, req.Header.Get(format.Header()))
					continue
				}
				c, ok := format.Parse(req.Header.Get(format.Header()))
				require.True(t, ok, "%s %s: %q", req.Method, req.Path, req.Header.Get(format.Header()))
				ids := []string{}
				for _, s := range byURL[srv.URL+req.Path] {
					if s.Metric == "http_reqs" {
						ids = append(ids, s.Data.Metadata["trace_id"])
					}
				}
				require.True(t, slices.Contains(ids, c.TraceID.String()),
					"%s %s: trace id %s not among reported %s", req.Method, req.Path, c.TraceID, strings.Join(ids, ","))
			}
		})
	}
}
