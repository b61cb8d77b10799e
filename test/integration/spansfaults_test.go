//go:build integration

package integration

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The load of the fault tests: enough VUs and time that spans end all
// the while the collector misbehaves, through several of its flaps.
const (
	faultVUs      = 50
	faultDuration = 8 * time.Second
	// faultQueue is small enough that the queue fills while exports wait
	// for a collector that is down or throttles: then a VU that waited
	// for room would show it.
	faultQueue = 8192
	// faultFlush is the spans option's flushTimeout in these runs.
	faultFlush = 5 * time.Second
	// faultSlack is k6's own work after its last request besides the
	// flush: ending the VUs, the summary.
	faultSlack = 5 * time.Second
)

// TestSpansUnderCollectorFaults: a collector that answers slowly, one that
// throttles with 429 and 503 (gRPC: ResourceExhausted and Unavailable)
// and Retry-After, and one that restarts every second, over either
// protocol. In each case the VUs never wait for the collector, the test's
// end waits at most the flush timeout for it, and the loss line's counts
// add up to the spans ended minus what the collector received, which it
// received once each. It runs alone, not in parallel with the other
// tests: it checks how long VUs take.
func TestSpansUnderCollectorFaults(t *testing.T) {
	for name, protocol := range map[string]string{"http": "http/protobuf", "grpc": "grpc"} {
		t.Run(name, func(t *testing.T) {
			t.Run("slow", func(t *testing.T) {
				// One export at a time, 200 ms each: the collector takes
				// at most 2,560 spans a second, a fraction of what the VUs
				// end; had they waited for room in the queue, the
				// collector would set their pace.
				const delay = 200 * time.Millisecond
				c := startCollector(t, protocol == "grpc", fault{delay: delay})
				run := runFaulted(t, c, protocol, 1)
				got := c.received()
				capacity := float64(got.largest) / delay.Seconds()
				ended := float64(spansPerIteration*run.iterations) / run.load.Seconds()
				t.Logf("the VUs ended %.0f spans a second; the collector takes %.0f", ended, capacity)
				require.Greater(t, ended, 2*capacity, "the VUs did not wait for the collector")
				require.Positive(t, run.warning.queueFull, "the queue overflowed: %+v", run.warning)
			})
			t.Run("throttled", func(t *testing.T) {
				c := startCollector(t, protocol == "grpc", fault{throttle: time.Second})
				run := runFaulted(t, c, protocol, 0)
				require.Positive(t, c.received().refusals)
				requireNoWait(t, run, time.Second)
			})
			t.Run("flapping", func(t *testing.T) {
				c := startCollector(t, protocol == "grpc", fault{flap: time.Second})
				run := runFaulted(t, c, protocol, 0)
				require.GreaterOrEqual(t, c.received().downs, 3, "down several times during the test")
				requireNoWait(t, run, time.Second)
			})
		})
	}
}

// faultedRun is what one run under a fault showed.
type faultedRun struct {
	iterations int
	// load is from the first request to the last; longestIteration is
	// k6's longest iteration_duration.
	load, longestIteration time.Duration
	warning                warning // zero when nothing was lost
}

// runFaulted runs scaleScript with its spans sent to c over protocol,
// concurrentExports at once (0: the default), and checks what holds
// whatever the fault: k6 passed, the flush timeout bounded its end, and
// what the collector received, once each, plus what the warning line
// counts as lost, is every span ended.
func runFaulted(t *testing.T, c *faultCollector, protocol string, concurrentExports int) faultedRun {
	t.Helper()
	env := map[string]string{
		"OTLP_ENDPOINT": c.URL, "PROTOCOL": protocol, "VUS": strconv.Itoa(faultVUs),
		"DURATION": faultDuration.String(), "QUEUE_SIZE": strconv.Itoa(faultQueue),
		"FLUSH_TIMEOUT": faultFlush.String(),
	}
	if concurrentExports > 0 {
		env["CONCURRENT_EXPORTS"] = strconv.Itoa(concurrentExports)
	}
	sr := runScaleScript(t, env)
	counts, messages := sr.counts, sr.messages
	run := faultedRun{
		iterations:       counts.Iterations,
		load:             sr.last.Sub(sr.first),
		longestIteration: time.Duration(counts.LongestIterationMs * float64(time.Millisecond)),
	}
	afterLast := sr.exited.Sub(sr.last)
	got := c.received()
	t.Logf("%d iterations in %s, the longest %s; k6 ended %s after its last request; collector: %d exports, %d refused, down %d times",
		counts.Iterations, run.load.Round(time.Millisecond), run.longestIteration.Round(time.Millisecond),
		afterLast.Round(time.Millisecond), got.exports, got.refusals, got.downs)
	require.Equal(t, 2*counts.Iterations, counts.Requests, "two requests an iteration")
	require.Less(t, afterLast, faultFlush+faultSlack, "the flush timeout bounds the wait at the end")

	delivered := 0
	for id, n := range got.spanIDs {
		require.Equal(t, 1, n, "span %s delivered %d times", id, n)
		delivered += n
	}
	ended := spansPerIteration * counts.Iterations
	found := warningLine.FindAllStringSubmatch(messages, -1)
	if len(found) == 0 {
		require.Equal(t, ended, delivered, "nothing lost, as k6 says:\n%s", messages)
		return run
	}
	require.Len(t, found, 1, "one warning line:\n%s", messages)
	t.Logf("warning: %s", found[0][0])
	run.warning = parseWarning(t, found[0])
	w := run.warning
	require.Equal(t, c.URL, w.endpoint)
	require.Equal(t, ended, w.ended, "a span for every request and span of the script, and the iteration")
	require.Equal(t, w.lost, w.queueFull+w.flushTimedOut+w.failed, "the causes add up: %+v", w)
	require.Equal(t, w.ended, delivered+w.lost, "delivered (at the collector) + lost == ended")
	return run
}

// requireNoWait checks that no iteration took as long as the collector
// makes an export wait (wait): a VU that waited for room in the queue, or
// for an export, would have.
func requireNoWait(t *testing.T, run faultedRun, wait time.Duration) {
	t.Helper()
	require.Less(t, run.longestIteration, wait, "no VU waited for the collector")
}
