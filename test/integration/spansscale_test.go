//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// The load at which users found spans lost (issue 24): a thousand VUs,
// one trace an iteration with four spans (the iteration's root, a
// request, a span of the script's and a request inside it), exported over
// OTLP/HTTP to a collector that keeps up.
const (
	scaleVUs      = 1000
	scaleDuration = 15 * time.Second
	// scaleScript is the script of the bench's scale mode, which
	// measures the same load at other sizes.
	scaleScript = "../cmd/bench/scale.js"
)

// TestSpansAt1000VUs: every span of a thousand VUs reaches a sink that
// answers at once, none dropped during the run or left at its end, and
// k6 warns of nothing. The sink counts the spans of each request by
// walking its protobuf. It runs alone, not in parallel with the other
// tests: what it checks is what the machine's cores can carry.
func TestSpansAt1000VUs(t *testing.T) {
	sink, err := otlpsink.Start(otlpsink.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sink.Close() })
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(target.Close)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	// No --out json: at this rate its millions of lines would cost k6 more
	// than the spans do.
	cmd := exec.CommandContext(ctx, *k6Path, "run", "--quiet", "--no-color", "--log-format=json", scaleScript)
	cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true", "BASE_URL="+target.URL,
		"OTLP_ENDPOINT="+sink.Endpoint(), "VUS="+strconv.Itoa(scaleVUs), "DURATION="+scaleDuration.String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "k6 failed:\n%s", logMessages(stderr.String()))

	counts := scaleCounts(t, stdout.String())
	t.Logf("%d VUs: %d iterations, %d requests in %s", scaleVUs, counts.Iterations, counts.Requests, scaleDuration)
	require.Equal(t, 2*counts.Iterations, counts.Requests, "two requests an iteration")
	require.NotContains(t, logMessages(stderr.String()), "not delivered", "no span lost")
	require.Equal(t, 4*counts.Iterations, sink.Count(), "four spans an iteration, each delivered")
}

// scaleCounts reads the line scale.js's handleSummary prints.
func scaleCounts(t *testing.T, stdout string) (c struct{ Iterations, Requests int }) {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		var out struct {
			Scale *struct{ Iterations, Requests int } `json:"scale"`
		}
		if json.Unmarshal([]byte(line), &out) == nil && out.Scale != nil {
			return *out.Scale
		}
	}
	require.Fail(t, "no scale line", stdout)
	return c
}
