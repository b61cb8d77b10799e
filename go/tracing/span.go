package tracing

import (
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// span is what one request carries: its trace context and its baggage
// (nil for none). A span's baggage may be shared with other requests and
// is never modified.
type span struct {
	ctx     propagation.Context
	baggage *propagation.Baggage
	// parent is the context the span continues: a caller's, or the root
	// of a batch; zero for the first span of a trace.
	parent propagation.Context
	// call is the call the request was sent in, which the layers stacked
	// on k6/http share (see stacking.go); nil for a request of headers().
	call *openCall
}

// newSpan decides the trace context of a request. A caller's valid context
// in an enabled format is continued: same trace, new span id, the caller's
// decision and tracestate, with the configured tracestate members in
// front. A caller's sampling-only decision starts a new trace with that
// decision. Otherwise the request is a child of parent (a batch's span),
// else of the active span or the iteration's root (see [vuScope.parent]),
// else the first span of a new trace. Baggage is the
// caller's members, then the configured ones, then the k6 members; the
// first to name a key wins. caller may be nil.
func (t *tracer) newSpan(caller propagation.Getter, parent *propagation.Context, name func() string) span {
	var (
		ctx       propagation.Context
		found     propagation.Found
		callerBag *propagation.Baggage
	)
	if caller != nil {
		ctx, found, callerBag = t.opts.Propagator.Extract(caller)
	}
	var from propagation.Context
	switch {
	case found == propagation.Valid:
		from = ctx
		ctx = t.gen.Child(ctx)
		ctx.TraceState = t.mergeTraceState(ctx.TraceState)
	case found == propagation.SamplingOnly:
		ctx = t.gen.NewSampled(ctx.Sampled, ctx.Debug)
		ctx.TraceState = t.opts.TraceState.String()
	default:
		under := t.spanUnder(parent)
		ctx, from = under.ctx, under.parent
	}
	return span{ctx: ctx, baggage: t.requestBaggage(callerBag, name), parent: from}
}

// spanUnder returns a new span, without baggage, that is the child of
// parent, else of the active span or the iteration's root (see
// [vuScope.parent]), else the first span of a new trace.
func (t *tracer) spanUnder(parent *propagation.Context) span {
	if parent == nil {
		parent = t.scope.parent(t, iterationOf(t.vu))
	}
	if parent == nil {
		return span{ctx: t.newTrace()}
	}
	return span{ctx: t.gen.Child(*parent), parent: *parent}
}

// newTrace returns the first span of a new trace, with the configured
// tracestate.
func (t *tracer) newTrace() propagation.Context {
	ctx := t.gen.NewTrace()
	ctx.TraceState = t.opts.TraceState.String()
	return ctx
}

// mergeTraceState puts the configured tracestate members in front of a
// caller's, as a vendor that updates its entries does; the list stays
// within 32 members by dropping from the right.
func (t *tracer) mergeTraceState(callers string) string {
	ours := t.opts.TraceState
	if ours.Len() == 0 {
		return callers
	}
	if callers == "" {
		return ours.String()
	}
	merged, _ := propagation.ParseTraceState(callers)
	keys := ours.Keys()
	for i := len(keys) - 1; i >= 0; i-- {
		value, _ := ours.Get(keys[i])
		_ = merged.Set(keys[i], value) // validated when configured
	}
	return merged.String()
}

// requestBaggage returns the baggage of one request. Without a caller's
// baggage and without k6 members, every request shares the configured
// members, and pays nothing for them.
func (t *tracer) requestBaggage(callers *propagation.Baggage, name func() string) *propagation.Baggage {
	if callers == nil && !t.opts.K6Baggage {
		return t.opts.Baggage
	}
	b := callers
	if b == nil {
		b = &propagation.Baggage{}
	}
	if t.opts.Baggage != nil {
		for _, m := range t.opts.Baggage.Members() {
			b.SetDefault(m.Key, m.Value)
		}
	}
	if t.opts.K6Baggage {
		t.run.addK6Members(b, t.vu, name)
	}
	return b
}
