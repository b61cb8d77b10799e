//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/test/support/recorder"
)

// The load of test/integration/scripts/segments.js, shared by four k6 processes.
// segmentsIterations must split exactly along segmentsSequence, so that
// each process's share is known: 2,500 iterations, 25,000 requests.
const (
	segmentsSequence   = "0,1/4,1/2,3/4,1"
	segmentsVUs        = 40
	segmentsIterations = 10_000
	segmentsRequests   = 10 // an iteration
	segmentsTotal      = segmentsIterations * segmentsRequests
	segmentsTimeout    = 2 * time.Minute
)

// TestExecutionSegments runs the same test as four k6 processes, one
// execution segment each, at once, against one server, as k6-operator or
// a distributed run would. Every one of the 100,000 requests carries a
// valid, sampled W3C traceparent that OpenTelemetry's propagator reads, no
// trace id or span id appears twice across the processes, and each
// process sent exactly its share of the iterations. The test also checks
// the identity k6 itself gives each VU and iteration across segments
// (exec.vu.idInTest, exec.scenario.iterationInTest, the segment in
// exec.test.options), which spans and reports may name.
//
// The test is not parallel: its processes take both cores of a small
// machine, and its time should not depend on what else runs.
func TestExecutionSegments(t *testing.T) {
	d := newSegmentsDigest()
	srv := startObservingServer(t, d.observe)
	began := time.Now()
	runs := runSegments(t, segmentsSequence, "scripts/segments.js", map[string]string{
		"BASE_URL": srv.URL, "VUS": strconv.Itoa(segmentsVUs),
		"ITERATIONS": strconv.Itoa(segmentsIterations), "REQUESTS": strconv.Itoa(segmentsRequests),
	}, "--summary-mode=compact") // handleSummary runs; it prints nothing
	t.Logf("%d k6 processes, %d requests, in %s", len(runs), d.total(), time.Since(began).Round(time.Millisecond))
	for _, r := range runs {
		requireSuccess(t, r.result)
		t.Logf("segment %s: k6 took %s", r.segment, r.took.Round(time.Millisecond))
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	require.Empty(t, d.problems, "%d requests are wrong, e.g. %q", d.nproblems, d.problems)
	require.Equal(t, segmentsTotal, len(d.traces), "requests with a traceparent, each in a trace of its own")
	require.Equal(t, segmentsTotal, len(d.spans), "span ids, all different")

	wantVUs := map[uint64]bool{}
	for _, r := range runs {
		iterations := share(t, r.segment, segmentsIterations)
		got := d.perInstance[r.instance]
		require.Equal(t, iterations*segmentsRequests, got.requests, "requests of segment %s", r.segment)
		require.Equal(t, []string{r.segment}, keys(got.segments), "the segment k6/execution gave process %s", r.instance)
		for vu := range got.vus {
			require.False(t, wantVUs[vu], "VU %d (exec.vu.idInTest) in two processes", vu)
			wantVUs[vu] = true
		}
		require.Len(t, got.vus, share(t, r.segment, segmentsVUs), "VUs of segment %s", r.segment)
		checkSegmentReport(t, r, iterations*segmentsRequests, d.traces)
	}
	require.Len(t, d.perInstance, len(runs), "no request from an unknown process")
	require.Len(t, wantVUs, segmentsVUs, "VU ids are unique across the processes")
	require.Len(t, d.iterations, segmentsIterations, "iteration numbers are unique across the processes")
	for iter, n := range d.iterations {
		require.Less(t, iter, uint64(segmentsIterations), "exec.scenario.iterationInTest")
		require.Equal(t, segmentsRequests, n, "requests of iteration %d (exec.scenario.iterationInTest)", iter)
	}
}

// segmentRun is one k6 process of a segmented test.
type segmentRun struct {
	result          // exit code and output; no samples, to spare the CPU
	instance string // 1 to N in sequence order, the script's INSTANCE
	segment  string // its --execution-segment, as k6 writes it ("1/4:1/2")
	dir      string // its working directory, its own
	took     time.Duration
}

// runSegments runs `k6 run` on script once for each segment of sequence
// (a list of fractions from 0 to 1), all at once, with the -e variables
// vars, INSTANCE and the execution segment flags, and returns the runs in
// sequence order. flags come after the defaults, so they can override
// them (--summary-mode=full for a test of the summary). Each process runs
// in its own directory, where it can write files (handleSummary, reports)
// without overwriting another's. All are killed if they take more than
// segmentsTimeout.
func runSegments(t *testing.T, sequence, script string, vars map[string]string, flags ...string) []segmentRun {
	t.Helper()
	script, err := filepath.Abs(script)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), segmentsTimeout)
	defer cancel()
	bounds := strings.Split(sequence, ",")
	runs := make([]segmentRun, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range runs {
		r := &runs[i]
		r.instance = strconv.Itoa(i + 1)
		r.segment = ratString(t, bounds[i]) + ":" + ratString(t, bounds[i+1])
		r.dir = t.TempDir()
		args := []string{
			"run", "--quiet", "--summary-mode=disabled", "--no-color", "--log-format=json",
			"--execution-segment", r.segment, "--execution-segment-sequence", sequence,
			"-e", "INSTANCE=" + r.instance,
		}
		args = append(args, flags...)
		for k, v := range vars {
			args = append(args, "-e", k+"="+v)
		}
		cmd := exec.CommandContext(ctx, *k6Path, append(args, script)...)
		cmd.Dir = r.dir
		cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true")
		wg.Go(func() { r.result, r.took = runCommand(t, cmd) })
	}
	wg.Wait()
	require.NoError(t, ctx.Err(), "the k6 processes took more than %s", segmentsTimeout)
	return runs
}

// runCommand runs cmd and returns its exit code and output; it must not
// call t.FailNow, since it runs in a goroutine of its own.
func runCommand(t *testing.T, cmd *exec.Cmd) (result, time.Duration) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	began := time.Now()
	err := cmd.Run()
	took := time.Since(began)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Errorf("%s: %v", cmd, err)
		return result{exitCode: -1}, took
	}
	return result{exitCode: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: logMessages(stderr.String())}, took
}

// ratString writes a fraction as k6 writes a segment's bounds: "2/4" is "1/2".
func ratString(t *testing.T, s string) string {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	require.True(t, ok, "not a fraction: %q", s)
	return r.RatString()
}

// share is segment's part ("1/4:1/2") of n, which must be a whole number.
func share(t *testing.T, segment string, n int) int {
	t.Helper()
	from, to, ok := strings.Cut(segment, ":")
	require.True(t, ok, segment)
	f, ok1 := new(big.Rat).SetString(from)
	e, ok2 := new(big.Rat).SetString(to)
	require.True(t, ok1 && ok2, segment)
	part := new(big.Rat).Mul(new(big.Rat).Sub(e, f), big.NewRat(int64(n), 1))
	require.True(t, part.IsInt(), "%d does not split exactly along %s", n, segment)
	return int(part.Num().Int64())
}

// startObservingServer starts a recording server that hands every request
// to observe and keeps none of them.
func startObservingServer(t *testing.T, observe func(recorder.Request)) *recorder.Server {
	t.Helper()
	s, err := recorder.Start(recorder.WithObserver(func(r recorder.Request) bool {
		observe(r)
		return false
	}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// maxProblems bounds the examples of wrong requests a digest keeps.
const maxProblems = 5

// segmentsDigest is what the test keeps of each request of the segmented
// load: the ids, to find collisions, and who sent it.
type segmentsDigest struct {
	mu          sync.Mutex
	traces      map[trace.TraceID]string // the instance that sent it
	spans       map[trace.SpanID]string
	perInstance map[string]*instanceDigest
	iterations  map[uint64]int // requests by exec.scenario.iterationInTest
	received    int
	problems    []string
	nproblems   int
}

// instanceDigest is what one k6 process sent.
type instanceDigest struct {
	requests int
	segments map[string]bool // as exec.test.options.executionSegment gave it
	vus      map[uint64]bool // exec.vu.idInTest
}

func newSegmentsDigest() *segmentsDigest {
	return &segmentsDigest{
		traces: make(map[trace.TraceID]string, segmentsTotal), spans: make(map[trace.SpanID]string, segmentsTotal),
		perInstance: map[string]*instanceDigest{}, iterations: make(map[uint64]int, segmentsIterations),
	}
}

var traceContext otelprop.TraceContext

// observe reads one request's traceparent with OpenTelemetry's propagator
// and its sender from its query; it runs in the server's goroutines.
func (d *segmentsDigest) observe(r recorder.Request) {
	sc := trace.SpanContextFromContext(traceContext.Extract(context.Background(), otelprop.HeaderCarrier(r.Header)))
	q, qerr := url.ParseQuery(r.Query)
	vu, vuErr := strconv.ParseUint(q.Get("vu"), 10, 64)
	iter, iterErr := strconv.ParseUint(q.Get("iter"), 10, 64)
	instance := q.Get("instance")

	d.mu.Lock()
	defer d.mu.Unlock()
	d.received++
	switch {
	case len(r.Header.Values("Traceparent")) != 1:
		d.problem("%s?%s: %d traceparent headers", r.Path, r.Query, len(r.Header.Values("Traceparent")))
		return
	case !sc.IsValid() || !sc.IsSampled():
		d.problem("%s?%s: traceparent %q is not valid and sampled", r.Path, r.Query, r.Header.Get("Traceparent"))
		return
	case qerr != nil || vuErr != nil || iterErr != nil || instance == "":
		d.problem("%s?%s: not from segments.js", r.Path, r.Query)
		return
	}
	if by, ok := d.traces[sc.TraceID()]; ok {
		d.problem("trace id %s sent by instance %s and %s", sc.TraceID(), by, instance)
	}
	d.traces[sc.TraceID()] = instance
	if by, ok := d.spans[sc.SpanID()]; ok {
		d.problem("span id %s sent by instance %s and %s", sc.SpanID(), by, instance)
	}
	d.spans[sc.SpanID()] = instance
	in := d.perInstance[instance]
	if in == nil {
		in = &instanceDigest{segments: map[string]bool{}, vus: map[uint64]bool{}}
		d.perInstance[instance] = in
	}
	in.requests++
	in.segments[q.Get("segment")] = true
	in.vus[vu] = true
	d.iterations[iter]++
}

// problem keeps the first few of the wrong requests; d.mu is held.
func (d *segmentsDigest) problem(format string, args ...any) {
	d.nproblems++
	if len(d.problems) < maxProblems {
		d.problems = append(d.problems, fmt.Sprintf(format, args...))
	}
}

// total is how many requests the digest saw.
func (d *segmentsDigest) total() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.received
}

// keys returns the keys of a set, in no order.
func keys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	return out
}

// checkSegmentReport checks the trace report a process wrote: it names
// the process's segment, counted the process's requests, and names only
// traces that this process sent.
func checkSegmentReport(t *testing.T, r segmentRun, requests int, sentBy map[trace.TraceID]string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, "report.json"))
	require.NoError(t, err, "handleSummary's report of segment %s", r.segment)
	var report struct {
		Instance string `json:"instance"`
		Requests int    `json:"requests"`
		Slowest  []struct {
			TraceID  string `json:"traceId"`
			Instance string `json:"instance"`
		} `json:"slowest"`
		Failed []json.RawMessage `json:"failed"`
	}
	require.NoError(t, json.Unmarshal(b, &report))
	require.Equal(t, r.segment, report.Instance)
	require.Equal(t, requests, report.Requests, "the report counted the process's requests")
	require.NotEmpty(t, report.Slowest)
	require.Empty(t, report.Failed)
	for _, e := range report.Slowest {
		require.Equal(t, r.segment, e.Instance)
		id, err := trace.TraceIDFromHex(e.TraceID)
		require.NoError(t, err)
		require.Equal(t, r.instance, sentBy[id], "the report's trace %s was sent by process %s", e.TraceID, r.instance)
	}
}
