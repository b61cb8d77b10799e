package tracing

import (
	"errors"
	"time"

	"github.com/grafana/sobek"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// errRequestFailed is a report entry's error when the request failed
// without saying why.
var errRequestFailed = errors.New("the request failed")

// k6Response returns the Go value of a k6/http Response, nil for
// anything else (a failed call, or a function another extension put in
// k6/http's place).
func k6Response(v sobek.Value) *k6http.Response {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	res, _ := obj.Export().(*k6http.Response)
	if res == nil || res.Response == nil {
		return nil
	}
	return res
}

// outcome is what the trace report needs of a finished request: how long
// it took, as k6's http_req_duration says, and whether it failed.
type outcome struct {
	res      *k6http.Response // nil when the call threw or returned no k6 Response
	err      error            // what the call threw
	duration time.Duration
	failed   bool
}

// outcomeOf reads a request's outcome from its response, or, without a
// k6 Response, from the time the call took. A request failed when it
// threw, when no response came (status 0) or when its status is 400 or
// more, the statuses k6's http_req_failed counts by default.
func outcomeOf(s sent, err error, start, end time.Time) outcome {
	if err != nil {
		return outcome{err: err, duration: end.Sub(start), failed: true}
	}
	res := s.k6Response()
	if res == nil {
		failed := true
		if obj, ok := s.value.(*sobek.Object); ok { // a stand-in's response
			status := obj.Get("status")
			failed = isNullish(status) || status.ToInteger() == 0 || status.ToInteger() >= 400
		}
		return outcome{duration: end.Sub(start), failed: failed}
	}
	d := time.Duration(res.Timings.Duration * float64(time.Millisecond))
	return outcome{res: res, duration: d, failed: res.Status == 0 || res.Status >= 400}
}

// report records a finished request in the trace report: for most
// requests, a counter and a comparison. describe is called only for a
// request the report keeps.
func (t *tracer) report(sp span, start time.Time, out outcome, describe func() request) {
	if t.requests != nil {
		t.requests.Add(1)
	}
	if t.traceReport == nil || (!out.failed && !t.traceReport.admits(out.duration)) {
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
		Instance: t.run.instance(t.vu),
	}
	if e.Name == "" {
		e.Name = req.url
	}
	switch {
	case out.res != nil:
		e.Status, e.Error = out.res.Status, out.res.Error
	case out.err != nil:
		e.Error = out.err.Error()
	case out.failed:
		e.Error = errRequestFailed.Error()
	}
	if state := t.vu.State(); state != nil {
		e.VU, e.Iteration = state.VUID, state.Iteration
	}
	t.traceReport.record(e, out.failed)
}
