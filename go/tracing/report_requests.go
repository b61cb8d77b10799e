package tracing

import (
	"time"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

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
	case out.status == 0:
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
// The entries are plain objects, so JSON.stringify writes them whole.
func (mi *ModuleInstance) traceReport() *sobek.Object {
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
	return obj
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
