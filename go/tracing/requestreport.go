package tracing

import (
	"errors"
	"time"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// errRequestFailed is a report entry's error when the request failed
// without saying why.
var errRequestFailed = errors.New("the request failed")

// outcome is how a request ended, for the trace report and its client
// span: its response, or what the call threw, how long it took, as
// k6's http_req_duration says, and whether it failed.
type outcome struct {
	response
	responded bool  // a response object came back
	err       error // what the call threw
	duration  time.Duration
	failed    bool
}

// outcomeOf reads a request's outcome from its response, or, without
// k6's timings, from the time the call took. A request failed when it
// threw, when no response came (status 0) or when its status is 400 or
// more, the statuses k6's http_req_failed counts by default.
func outcomeOf(s sent, err error, start, end time.Time) outcome {
	out := outcome{err: err, duration: end.Sub(start), failed: true}
	if err != nil {
		return out
	}
	out.response, out.responded = s.read()
	if !out.responded {
		return out
	}
	if out.timed {
		out.duration = out.response.duration
	}
	out.failed = out.status == 0 || out.status >= 400
	return out
}

// report records a finished request in the trace report: for most
// requests, a counter and a comparison. describe is called only for a
// request the report keeps. A request whose headers carried no trace id
// (baggage only) and whose span was not exported has no trace to open:
// it is only counted.
func (t *tracer) report(sp span, start time.Time, out outcome, describe func() request) {
	if t.requests != nil {
		t.requests.Add(1)
	}
	if t.traceReport == nil || (!out.failed && !t.traceReport.admits(out.duration)) {
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
		Instance: t.run.instance(t.vu),
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
	t.traceReport.record(e, out.failed)
}
