package tracing

import (
	"cmp"
	"container/heap"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// reportLimit is how many requests each list of the trace report keeps.
const reportLimit = 20

// reportEntry is one request of the trace report: where to find its trace
// and what happened to it.
type reportEntry struct {
	TraceID   string
	SpanID    string
	Sampled   bool
	Method    string
	Name      string // the name tag, else the URL
	URL       string
	Status    int    // 0 when no response came
	Error     string // k6's error text, "" for none
	Duration  time.Duration
	Start     time.Time
	Scenario  string
	VU        uint64
	Iteration int64
	Instance  string
}

// traceReport is the process-wide record of the slowest and the failed
// instrumented requests, for handleSummary. It is bounded, and cheap for
// the requests it does not keep: once the slowest list is full, a request
// that is not failed and not slower than the fastest kept one costs one
// atomic load and a comparison (see [traceReport.admits]).
type traceReport struct {
	limit int
	// floor is the duration, in nanoseconds, a request must exceed to
	// enter the slowest list: -1 until the list is full.
	floor atomic.Int64
	// failedSeen counts every failed request, kept or not.
	failedSeen atomic.Int64

	mu      sync.Mutex
	slowest entryHeap     // the fastest kept request on top
	failed  []reportEntry // the first failures, in the order they came
	vus     []*atomic.Int64
}

func newTraceReport(limit int) *traceReport {
	r := &traceReport{limit: limit}
	r.floor.Store(-1)
	return r
}

// requestCounter returns a counter of one VU's instrumented requests.
// Each VU counts its own, so that counting is never contended.
func (r *traceReport) requestCounter() *atomic.Int64 {
	c := &atomic.Int64{}
	r.mu.Lock()
	r.vus = append(r.vus, c)
	r.mu.Unlock()
	return c
}

// admits tells whether a request that took d could enter the slowest
// list. It is the hot path's only cost for requests that do not.
func (r *traceReport) admits(d time.Duration) bool {
	return int64(d) > r.floor.Load()
}

// record keeps e among the slowest if it still belongs there, and among
// the failed ones while that list has room.
func (r *traceReport) record(e reportEntry, failed bool) {
	if failed && r.failedSeen.Add(1) > int64(r.limit) {
		failed = false // counted, not kept
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if failed {
		r.failed = append(r.failed, e)
	}
	if int64(e.Duration) <= r.floor.Load() {
		return
	}
	if len(r.slowest) < r.limit {
		heap.Push(&r.slowest, e)
	} else {
		r.slowest[0] = e
		heap.Fix(&r.slowest, 0)
	}
	if len(r.slowest) == r.limit {
		r.floor.Store(int64(r.slowest[0].Duration))
	}
}

// reportSnapshot is the report as handleSummary reads it.
type reportSnapshot struct {
	Limit       int
	Requests    int64
	FailedCount int64
	Slowest     []reportEntry // slowest first
	Failed      []reportEntry // in the order they came
}

// snapshot returns a copy of the report.
func (r *traceReport) snapshot() reportSnapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := reportSnapshot{
		Limit:       r.limit,
		FailedCount: r.failedSeen.Load(),
		Slowest:     slices.Clone(r.slowest),
		Failed:      slices.Clone(r.failed),
	}
	for _, c := range r.vus {
		s.Requests += c.Load()
	}
	slices.SortStableFunc(s.Slowest, func(a, b reportEntry) int { return cmp.Compare(b.Duration, a.Duration) })
	return s
}

// entryHeap is a min-heap of entries by duration.
type entryHeap []reportEntry

func (h entryHeap) Len() int { return len(h) }

func (h entryHeap) Less(i, j int) bool { return h[i].Duration < h[j].Duration }

func (h entryHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

func (h *entryHeap) Push(x any) { *h = append(*h, x.(reportEntry)) }

func (h *entryHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// report records a finished request in the trace report: for most
// requests, a counter and a comparison. describe is called only for a
// request the report keeps. A request whose headers carried no trace id
// (baggage only) and whose span was not exported has no trace to open:
// it is only counted.
func (t *tracer) report(sp requestTrace, start time.Time, out outcome, describe func() request) {
	if t.vu.requests != nil {
		t.vu.requests.Add(1)
	}
	if t.proc.report == nil || (!out.failed && !t.proc.report.admits(out.duration)) {
		return
	}
	if !t.carriesContext(sp) && !t.exportsSpan(sp) {
		return
	}
	req := describe()
	e := reportEntry{
		TraceID:  propagation.FormatTraceID(sp.ctx.TraceID),
		SpanID:   sp.ctx.SpanID.String(),
		Sampled:  sp.ctx.Sampled,
		Method:   req.method,
		Name:     req.name,
		URL:      req.url,
		Duration: out.duration,
		Start:    start,
		Scenario: scenarioName(t.vu),
		Instance: t.proc.run.executionSegment(t.vu),
	}
	if e.Name == "" {
		e.Name = req.url
	}
	e.Status = out.status
	switch {
	case out.err != nil:
		e.Error = out.err.Error()
	case out.errText != "":
		e.Error = out.errText
	case out.status == 0 && !out.rpc:
		e.Error = errRequestFailed.Error()
	}
	if state := t.vu.State(); state != nil {
		e.VU, e.Iteration = state.VUID, state.Iteration
	}
	t.proc.report.record(e, out.failed)
}

// traceReport returns the trace report so far: the slowest and the first
// failed instrumented requests of this k6 process, with their trace ids.
// It is meant for handleSummary, after the test, but works at any time.
// With a backend, it reads their traces back and explains them
// (report_explain.go), which takes up to the backend's timeout. The
// entries are plain objects, so JSON.stringify writes them whole.
func (mi *ModuleInstance) traceReport(arg sobek.Value) (*sobek.Object, error) {
	backend, err := options.DecodeReport(arg, mi.defaults)
	if err != nil {
		return nil, reportUsageError(mi.vu, fmt.Errorf("traceReport: %w", err))
	}
	rt := mi.vu.Runtime()
	snap := mi.proc.report.snapshot()
	instance := mi.proc.run.executionSegment(mi.vu)
	obj := rt.NewObject()
	_ = obj.Set("instance", instance)
	_ = obj.Set("limit", snap.Limit)
	_ = obj.Set("requests", snap.Requests)
	_ = obj.Set("failedCount", snap.FailedCount)
	_ = obj.Set("slowest", reportEntries(rt, snap.Slowest))
	_ = obj.Set("failed", reportEntries(rt, snap.Failed))
	if backend != nil {
		explanation, err := mi.explain(*backend, snap)
		if err != nil {
			return nil, err
		}
		_ = obj.Set("explanation", explanation)
	}
	return obj, nil
}

func reportEntries(rt *sobek.Runtime, entries []reportEntry) *sobek.Object {
	items := make([]any, len(entries))
	for i, e := range entries {
		o := rt.NewObject()
		for _, f := range []struct {
			name  string
			value any
		}{
			{"traceId", e.TraceID},
			{"spanId", e.SpanID},
			{"sampled", e.Sampled},
			{"method", e.Method},
			{"name", e.Name},
			{"url", e.URL},
			{"status", e.Status},
			{"error", e.Error},
			{"duration", float64(e.Duration.Microseconds()) / 1000},
			{"startTime", e.Start.UnixMilli()},
			{"scenario", e.Scenario},
			{"vu", e.VU},
			{"iteration", e.Iteration},
			{"instance", e.Instance},
		} {
			_ = o.Set(f.name, f.value)
		}
		items[i] = o
	}
	return rt.NewArray(items...)
}
