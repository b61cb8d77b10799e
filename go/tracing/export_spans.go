package tracing

import (
	"context"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// exportClientSpan exports the CLIENT span of a request sent between start
// and end, with the span id its trace headers carried, so that the
// backend's spans become its children. Unsampled requests export nothing.
func (t *tracer) exportClientSpan(sp requestTrace, req request, start, end time.Time, out outcome) {
	if !sp.ctx.Sampled {
		return
	}
	p := t.spanProvider()
	if p == nil {
		return
	}
	name := req.method
	if req.name != "" {
		name += " " + req.name // OpenTelemetry's "{method} {target}", the k6 name being the URL template
	}
	t.exportRequestSpan(p, sp, name, req, start, end, out.span())
}

// spanOutcome is how a request ended: its status (0 for none), and for a
// failure the error.type attribute and the status description.
type spanOutcome struct {
	status    int
	errorType string
	errorText string
}

// exportRequestSpan exports a request's CLIENT span, with extra
// attributes after the HTTP ones. The request is over by now, so the span
// is handed to the export queue ended, with every attribute (see
// [spans.Ended]).
func (t *tracer) exportRequestSpan(p *spans.Provider, sp requestTrace, name string, req request, start, end time.Time,
	out spanOutcome, extra ...attribute.KeyValue,
) {
	e := t.newEnded(sp, name, trace.SpanKindClient, start, end)
	e.Shared[sharedURL] = t.urls.attributes(req.url)
	attrs := t.appendRequestAttributes(e.Attributes, req)
	attrs = append(attrs, extra...)
	if out.status > 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", out.status))
	}
	if out.errorType != "" {
		attrs = append(attrs, attribute.String("error.type", out.errorType))
		e.Status = sdktrace.Status{Code: codes.Error, Description: out.errorText}
	}
	e.Attributes = t.setK6Attributes(e, attrs, req.group)
	p.Record(e)
}

// exportHops exports the hops' CLIENT spans, children of the request's.
func (a *wireCall) exportHops() {
	a.hopsMu.Lock()
	hops := a.hops
	a.hops = nil
	a.hopsMu.Unlock()
	if len(hops) == 0 {
		return
	}
	t := a.call.exporter
	if t == nil {
		return
	}
	p := t.spanProvider()
	if p == nil {
		return
	}
	for _, h := range hops {
		var out spanOutcome
		switch {
		case h.err != nil:
			out = failureOf(0, 0, h.err.Error())
		case h.resp != nil:
			out = failureOf(h.resp.StatusCode, 0, "")
		}
		h.req.group = a.group
		t.exportRequestSpan(p, requestTrace{ctx: h.ctx, parent: a.call.span.ctx}, h.req.method, h.req, h.start, h.end, out)
	}
}

// newEnded returns the span of sp, which is over, for its attributes and
// status to be set and then [spans.Provider.Record]ed. Its ids are the
// ones k6 sent in its headers, so that what it sent and what it exports
// agree.
func (t *tracer) newEnded(sp requestTrace, name string, kind trace.SpanKind, start, end time.Time) *spans.Ended {
	e := t.ended.Get()
	e.Name, e.Kind, e.Start, e.End = name, kind, start, end
	e.Parent = remoteParent(sp)
	traceID := sp.ctx.TraceID
	if e.Parent.IsValid() {
		traceID = e.Parent.TraceID() // a child is in its parent's trace, as the SDK makes it
	}
	e.Context = trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: sp.ctx.SpanID, TraceFlags: trace.FlagsSampled})
	return e
}

// remoteParent returns the span context of sp's parent, remote as k6's
// headers made it; invalid for a root.
func remoteParent(sp requestTrace) trace.SpanContext {
	if !sp.parent.TraceID.IsValid() || !sp.parent.SpanID.IsValid() {
		return trace.SpanContext{}
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: sp.parent.TraceID, SpanID: sp.parent.SpanID, TraceFlags: trace.FlagsSampled, Remote: true,
	})
}

// startOTelSpan starts the live OpenTelemetry span of sp, with sp's ids
// and parent: a span that is still going on (an iteration, a group, the
// script's own).
func (t *tracer) startOTelSpan(
	p *spans.Provider, sp requestTrace, name string, kind trace.SpanKind, start time.Time, attrs []attribute.KeyValue,
) trace.Span {
	ctx := context.Background()
	if parent := remoteParent(sp); parent.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
	}
	ctx = spans.WithIDs(ctx, sp.ctx.TraceID, sp.ctx.SpanID)
	_, s := p.Tracer().Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	return s
}

// span is the outcome as the client span says it: a request that threw
// or returned nothing is an error of type _OTHER.
func (o outcome) span() spanOutcome {
	switch {
	case o.err != nil:
		return spanOutcome{errorType: "_OTHER", errorText: o.err.Error()}
	case !o.responded:
		return spanOutcome{errorType: "_OTHER", errorText: errRequestFailed.Error()}
	}
	return failureOf(o.status, o.errorCode, o.errText)
}

// failureOf classifies a response: a transport error (status 0) has k6's
// error code as its error.type, as k6's error_code tag reports it; a 5xx
// has its status.
func failureOf(status int, errorCode int64, errText string) spanOutcome {
	switch {
	case status == 0:
		errorType := "_OTHER"
		if errorCode != 0 {
			errorType = "k6." + strconv.FormatInt(errorCode, 10)
		}
		return spanOutcome{errorType: errorType, errorText: errText}
	case status >= 500:
		return spanOutcome{status: status, errorType: strconv.Itoa(status), errorText: errText}
	}
	return spanOutcome{status: status}
}
