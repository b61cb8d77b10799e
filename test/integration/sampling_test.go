//go:build integration

package integration

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestSampling checks the sampled flag over many requests. The header is
// always sent; only its flag follows the rate. For a fractional rate the
// count of sampled traces must lie within six standard deviations of the
// binomial mean, so a correct sampler fails about once in 500 million runs.
func TestSampling(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sampling string
		rate     float64
		api      string
		format   propagation.Format
	}{
		{"0", 0, "client", propagation.W3C},
		{"0", 0, "instrument", propagation.Jaeger},
		{"1", 1, "client", propagation.W3C},
		{"1", 1, "instrument", propagation.Jaeger},
		{"absent", 1, "client", propagation.W3C}, // the old module never sampled here
		{"null", 1, "instrument", propagation.W3C},
		{"0.25", 0.25, "instrument", propagation.W3C},
		{"0.25", 0.25, "client", propagation.Jaeger},
		{"0.1", 0.1, "client", propagation.W3C}, // the old module crashed on this
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%s %s %s", tc.sampling, tc.api, tc.format), func(t *testing.T) {
			t.Parallel()
			const n = 1000
			srv := startServer(t)
			requireSuccess(t, runK6(t, "scripts/sampling.js", map[string]string{
				"BASE_URL": srv.URL, "SAMPLING": tc.sampling, "API": tc.api,
				"PROPAGATOR": tc.format.String(), "ITERATIONS": fmt.Sprint(n),
			}))
			reqs := srv.Requests()
			require.Len(t, reqs, n)
			sampled := 0
			for _, req := range reqs {
				c, ok := contextIn(tc.format, req.Header)
				require.True(t, ok, "every request carries a valid header")
				if c.Sampled {
					sampled++
				}
			}
			mean, sd := n*tc.rate, math.Sqrt(n*tc.rate*(1-tc.rate))
			require.InDelta(t, mean, float64(sampled), 6*sd, "sampled %d of %d at %s", sampled, n, tc.sampling)
		})
	}
}
