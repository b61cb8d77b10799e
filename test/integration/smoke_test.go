//go:build integration

package integration

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSmoke runs test/smoke.test.ts, the script `xk6 lint`'s smoke check
// runs: with no server and no variables it must pass all its checks, and
// each of its requests must have reached k6/http with a trace id that k6
// reported as the sample's metadata.
func TestSmoke(t *testing.T) {
	t.Parallel()
	r := runK6(t, "../smoke.test.ts", nil)
	requireSuccess(t, r)
	traceID := regexp.MustCompile(`^[0-9a-f]{32}$`)
	var checks, reqs int
	for _, s := range r.samples {
		switch s.Metric {
		case "checks":
			checks++
			require.Equal(t, 1.0, s.Data.Value, "check %q", s.Data.Tags["check"])
		case "http_reqs":
			reqs++
			require.Regexp(t, traceID, s.Data.Metadata["trace_id"], s.Data.Tags["url"])
		}
	}
	require.NotZero(t, checks, "the smoke test checks something")
	require.NotZero(t, reqs, "the smoke test sends requests through k6/http")
}
