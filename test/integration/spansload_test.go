//go:build integration

package integration

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// The load of test/integration/scripts/spansload.js: enough VUs that many end spans
// at once, and a few thousand requests, in a few seconds.
const (
	loadVUs        = 200
	loadIterations = 10
	loadRequests   = loadVUs * loadIterations * 2 // two requests an iteration
)

// TestSpansLoad200VUs: with a queue that suffices, every one of the
// requests of 200 VUs has its CLIENT span in Jaeger, under the trace and
// span ids its traceparent carried, and k6 warns of nothing.
func TestSpansLoad200VUs(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	run := runLoad(t, j.OTLPHTTP, spans.DefaultQueueSize, spans.DefaultFlushTimeout)
	require.NotContains(t, run.stderr, "not delivered", "every span was delivered")
	require.NotContains(t, run.stderr, "tracing:", "no warning from the extension")
	requireSpansInJaeger(t, j, run.requests, time.Minute)
}

// TestSpansLoadDropsReported: the same load with a queue of 64 spans and
// a collector that takes seconds to answer each export. The queue
// overflows, and k6 neither waits for the collector during the test nor
// beyond the flush timeout at its end; one warning line says how many
// spans were lost, and its numbers add up with what the collector got.
func TestSpansLoadDropsReported(t *testing.T) {
	t.Parallel()
	const (
		queueSize = 64
		delay     = 3 * time.Second
		// flushTimeout leaves room for the export under way at the end of
		// the test and two more (the batch being filled, the queue): all
		// of them are answered, so that the collector's count and k6's
		// agree on every span.
		flushTimeout = 4 * delay
		// slack is k6's own work after its last request, besides the
		// flush: ending the VUs, the summary, the JSON output.
		slack = 15 * time.Second
	)
	c := startCollector(t, false, fault{delay: delay})
	run := runLoad(t, c.URL, queueSize, flushTimeout)

	got := c.received()
	largest := got.largest
	require.Positive(t, largest, "some spans got through")
	// Had ending a span waited for room in the queue, the collector's pace
	// (at most its largest batch a delay) would have set the requests'.
	paced := time.Duration(loadRequests/largest) * delay
	untilLast := run.lastRequest.Sub(run.began)
	t.Logf("k6 took %s, its last request ended after %s; at the collector's pace (%d spans a %s) the requests would take %s",
		run.took, untilLast, largest, delay, paced)
	require.Less(t, untilLast, paced, "the requests did not wait for the collector")
	require.Less(t, run.took, untilLast+flushTimeout+slack, "the flush timeout bounds the wait at the end")

	found := warningLine.FindAllStringSubmatch(run.stderr, -1)
	require.Len(t, found, 1, "one warning line:\n%s", run.stderr)
	t.Logf("warning: %s", found[0][0])
	w := parseWarning(t, found[0])
	require.Equal(t, c.URL, w.endpoint)
	require.Equal(t, queueSize, w.queue, "the queue named with its drops")
	require.Equal(t, loadRequests, w.ended, "a span for every request")
	require.Equal(t, w.lost, w.queueFull+w.flushTimedOut+w.failed, "the causes add up: %+v", w)
	require.Positive(t, w.queueFull, "a queue of %d cannot hold the spans of %d VUs", queueSize, loadVUs)
	require.Zero(t, w.flushTimedOut, "the flush timeout leaves room for what was queued")

	spanIDs := make(map[string]bool, len(run.requests))
	for _, req := range run.requests {
		spanIDs[req.spanID] = true
	}
	delivered := 0
	for id, n := range got.spanIDs {
		require.True(t, spanIDs[id], "span %s is not one of k6's requests", id)
		require.Equal(t, 1, n, "span %s delivered %d times", id, n)
		delivered += n
	}
	t.Logf("collector: %d spans in %d exports", delivered, got.exports)
	require.Equal(t, w.ended, delivered+w.lost, "delivered (at the collector) + lost == ended")
}

// warningLine is the extension's report of spans not delivered, as
// go/tracing/export_providers.go writes it: the totals, then each cause
// that lost spans.
var (
	warningLine  = regexp.MustCompile(`tracing: (\d+) of (\d+) spans were not delivered to (\S+): (.*)`)
	queueFull    = regexp.MustCompile(`(\d+) dropped as they ended because the queue of (\d+) spans was full`)
	flushTimeout = regexp.MustCompile(`(\d+) still queued when the flush timeout of (\S+) ended`)
	failed       = regexp.MustCompile(`(\d+) in exports that failed \(check the collector; last error: (.*)\)$`)
)

// warning is what one warning line says.
type warning struct {
	lost, ended, queueFull, queue, flushTimedOut, failed int
	endpoint, flushTimeout, lastErr                      string
}

func parseWarning(t *testing.T, m []string) warning {
	t.Helper()
	n := func(s string) int {
		i, err := strconv.Atoi(s)
		require.NoError(t, err)
		return i
	}
	w := warning{lost: n(m[1]), ended: n(m[2]), endpoint: m[3]}
	if c := queueFull.FindStringSubmatch(m[4]); c != nil {
		w.queueFull, w.queue = n(c[1]), n(c[2])
	}
	if c := flushTimeout.FindStringSubmatch(m[4]); c != nil {
		w.flushTimedOut, w.flushTimeout = n(c[1]), c[2]
	}
	if c := failed.FindStringSubmatch(m[4]); c != nil {
		w.failed, w.lastErr = n(c[1]), c[2]
	}
	return w
}

// loadRequest is one request of the load as the server received it.
type loadRequest struct {
	traceID, spanID string
	method, url     string // url as the span's url.full gives it
	vu, iter        int64
}

// loadRun is one k6 run of the load.
type loadRun struct {
	result
	began, lastRequest time.Time // k6 started; its last request ended
	took               time.Duration
	requests           map[string]loadRequest // by trace id
}

// runLoad runs test/integration/scripts/spansload.js against a recording server, with
// spans sent to endpoint over OTLP/HTTP, and checks that k6 passed, every
// request reached the server in a new sampled trace of its own, and k6
// reported each with that trace id in its metadata.
func runLoad(t *testing.T, endpoint string, queueSize int, flushTimeout time.Duration) loadRun {
	t.Helper()
	srv := startServer(t)
	run := loadRun{began: time.Now()}
	run.result = runK6(t, "scripts/spansload.js", map[string]string{
		"BASE_URL": srv.URL, "OTLP_ENDPOINT": endpoint, "QUEUE_SIZE": strconv.Itoa(queueSize),
		"FLUSH_TIMEOUT": flushTimeout.String(),
		"VUS":           strconv.Itoa(loadVUs), "ITERATIONS": strconv.Itoa(loadIterations),
	})
	run.took = time.Since(run.began)
	requireSuccess(t, run.result)

	require.Zero(t, srv.Dropped())
	received := srv.Requests()
	require.Len(t, received, loadRequests)
	run.requests = make(map[string]loadRequest, len(received))
	for _, req := range received {
		c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, "a traceparent on %s?%s", req.Path, req.Query)
		require.True(t, c.Sampled)
		q, err := url.ParseQuery(req.Query)
		require.NoError(t, err)
		vu, err := strconv.ParseInt(q.Get("vu"), 10, 64)
		require.NoError(t, err, req.Query)
		iter, err := strconv.ParseInt(q.Get("iter"), 10, 64)
		require.NoError(t, err, req.Query)
		lr := loadRequest{
			traceID: c.TraceID.String(), spanID: c.SpanID.String(),
			method: req.Method, url: srv.URL + req.Path + "?" + req.Query, vu: vu, iter: iter,
		}
		require.NotContains(t, run.requests, lr.traceID, "a new trace for every request")
		run.requests[lr.traceID] = lr
	}

	reported := map[string]bool{}
	for _, s := range run.samples {
		if s.Metric != "http_reqs" {
			continue
		}
		id := s.Data.Metadata["trace_id"]
		require.Contains(t, run.requests, id, "k6 reported trace %q, which no request carried", id)
		require.False(t, reported[id], "trace %s reported twice", id)
		reported[id] = true
		if s.Data.Time.After(run.lastRequest) {
			run.lastRequest = s.Data.Time
		}
	}
	require.Len(t, reported, loadRequests, "an http_reqs sample for every request")
	return run
}

// lookupWorkers bounds the concurrent lookups in Jaeger's query API: it
// shares the machine's CPUs with the test.
const lookupWorkers = 8

// requireSpansInJaeger looks up the trace of every request in Jaeger
// until it is there or timeout passes (Jaeger stores what it receives
// asynchronously), and checks that it holds that request's span and only
// it.
func requireSpansInJaeger(t *testing.T, j *jaeger.Jaeger, reqs map[string]loadRequest, timeout time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), timeout)
	defer cancel()
	pending := make([]loadRequest, 0, len(reqs))
	for _, req := range reqs {
		pending = append(pending, req)
	}
	var problems []string
	var lastErr error
	for len(pending) > 0 && ctx.Err() == nil {
		var wrong []string
		pending, wrong, lastErr = lookupRound(ctx, j, pending)
		problems = append(problems, wrong...)
		if len(pending) > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	require.Empty(t, problems, "%d of %d spans are not as sent, e.g. %q", len(problems), len(reqs), first(problems, 5))
	var sample []loadRequest
	if len(pending) > 0 {
		sample = pending[:min(3, len(pending))]
	}
	require.Empty(t, pending, "%d of %d spans not in Jaeger within %s, e.g. %+v; last error: %v; jaeger:\n%s",
		len(pending), len(reqs), timeout, sample, lastErr, j.Logs())
}

// lookupRound looks up each request's trace once, lookupWorkers at a
// time. It returns the requests whose trace Jaeger does not have (yet),
// the problems of the traces it has, and the last lookup error.
func lookupRound(ctx context.Context, j *jaeger.Jaeger, reqs []loadRequest) (missing []loadRequest, problems []string, lastErr error) {
	jobs := make(chan loadRequest)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range lookupWorkers {
		wg.Go(func() {
			for req := range jobs {
				got, err := j.Trace(ctx, req.traceID)
				problem := ""
				if err == nil && len(got) > 0 {
					problem = checkLoadSpan(req, got)
				}
				mu.Lock()
				switch {
				case err != nil:
					lastErr = err
					missing = append(missing, req)
				case len(got) == 0:
					missing = append(missing, req)
				case problem != "":
					problems = append(problems, problem)
				}
				mu.Unlock()
			}
		})
	}
	for _, req := range reqs {
		jobs <- req
	}
	close(jobs)
	wg.Wait()
	return missing, problems, lastErr
}

// checkLoadSpan says what is wrong with the trace of req, "" if it holds
// exactly req's CLIENT span from k6.
func checkLoadSpan(req loadRequest, got []jaeger.Span) string {
	if len(got) != 1 {
		return fmt.Sprintf("trace %s: %d spans, want 1", req.traceID, len(got))
	}
	s := got[0]
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"span id", s.SpanID, req.spanID},
		{"parent", s.ParentID(), ""},
		{"service", s.Service, "k6"},
		{"span.kind", tagOf(s, "span.kind"), "client"},
		{"http.request.method", tagOf(s, "http.request.method"), req.method},
		{"url.full", tagOf(s, "url.full"), req.url},
		// Jaeger's JSON gives numbers as float64.
		{"k6.vu", tagOf(s, "k6.vu"), float64(req.vu)},
		{"k6.iteration", tagOf(s, "k6.iteration"), float64(req.iter)},
	} {
		if c.got != c.want {
			return fmt.Sprintf("trace %s: %s %#v, want %#v", req.traceID, c.what, c.got, c.want)
		}
	}
	return ""
}

// first returns at most n of xs.
func first(xs []string, n int) []string { return xs[:min(n, len(xs))] }
