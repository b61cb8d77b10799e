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
	"sync/atomic"
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
	run := runScaleScript(t, map[string]string{
		"OTLP_ENDPOINT": sink.Endpoint(), "VUS": strconv.Itoa(scaleVUs), "DURATION": scaleDuration.String(),
	})
	counts := run.counts
	t.Logf("%d VUs: %d iterations, %d requests in %s", scaleVUs, counts.Iterations, counts.Requests, scaleDuration)
	require.Equal(t, 2*counts.Iterations, counts.Requests, "two requests an iteration")
	require.NotContains(t, run.messages, "not delivered", "no span lost")
	require.Equal(t, spansPerIteration*counts.Iterations, sink.Count(), "four spans an iteration, each delivered")
}

// scaleRun is one k6 run of scaleScript.
type scaleRun struct {
	counts   scaleLine
	messages string // k6's log messages
	// first and last are when the first and the last request came; exited
	// is when k6 exited.
	first, last, exited time.Time
}

// runScaleScript runs scaleScript with env against a loopback server and
// checks that k6 passed. No --out json: at these rates its millions of
// lines would cost k6 more than the spans do.
func runScaleScript(t *testing.T, env map[string]string) scaleRun {
	t.Helper()
	var first, last atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		now := time.Now().UnixNano()
		first.CompareAndSwap(0, now)
		last.Store(now)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(target.Close)

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, *k6Path, "run", "--quiet", "--no-color", "--log-format=json", scaleScript)
	cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true", "BASE_URL="+target.URL)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	run := scaleRun{exited: time.Now(), messages: logMessages(stderr.String())}
	require.NoError(t, err, "k6 failed:\n%s", run.messages)
	run.first, run.last = time.Unix(0, first.Load()), time.Unix(0, last.Load())
	run.counts = scaleCounts(t, stdout.String())
	return run
}

// spansPerIteration is what scaleScript ends an iteration with: the
// iteration's root, a request, a span of the script's and the request
// inside it.
const spansPerIteration = 4

// scaleCounts reads the line scaleScript's handleSummary prints.
func scaleCounts(t *testing.T, stdout string) (c scaleLine) {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		var out struct {
			Scale *scaleLine `json:"scale"`
		}
		if json.Unmarshal([]byte(line), &out) == nil && out.Scale != nil {
			return *out.Scale
		}
	}
	require.Fail(t, "no scale line", stdout)
	return c
}

// scaleLine is what scaleScript's handleSummary prints.
type scaleLine struct {
	Iterations, Requests int
	LongestIterationMs   float64
}
