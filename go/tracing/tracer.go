package tracing

import (
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// tracer adds one configuration's trace context to k6/http calls, browser
// pages and the script's spans, and exports their spans. Each
// instrumentHTTP call, Client and instrumented page owns one; it holds
// its options and what it keeps between requests, and points to the VU's
// and the process's state, which it shares.
type tracer struct {
	proc    *process
	vu      *vuState
	opts    options.HTTP
	sampler propagation.Sampler // of opts.Sampling
	// What it keeps for its spans, which the VU's goroutine builds.
	provider providerRef     // the provider, found on first use
	urls     urlCache        // the span attributes of recent URLs
	k6       k6Shared        // the span attributes the VU's spans share
	ended    spans.EndedPool // its ended spans, back from their export
}

// newTracer returns a tracer of the VU with opts.
func newTracer(proc *process, vu *vuState, opts options.HTTP) *tracer {
	t := &tracer{proc: proc, vu: vu}
	t.configure(opts)
	return t
}

// newTracer returns a tracer of the module instance's VU.
func (mi *ModuleInstance) newTracer(opts options.HTTP) *tracer {
	return newTracer(mi.proc, mi.vu, opts)
}

// configure applies decoded options; with spans and traceScope
// "iteration", the VU starts following its iterations.
func (t *tracer) configure(opts options.HTTP) {
	t.opts = opts
	t.sampler = propagation.NewSampler(opts.Sampling)
	t.provider = providerRef{}
	if opts.Baggage != nil {
		// Encode the shared members now, so that requests running
		// concurrently (a batch) only ever read the cached header.
		_ = opts.Baggage.String()
	}
	t.vu.followIterations(opts)
}

// requestTrace is the trace context one request carries: its span's
// context and its baggage (nil for none). Its baggage may be shared with
// other requests and is never modified.
type requestTrace struct {
	ctx     propagation.Context
	baggage *propagation.Baggage
	// parent is the context the span continues: a caller's, or the root
	// of a batch; zero for the first span of a trace.
	parent propagation.Context
	// call is the call the request was sent in, which the layers stacked
	// on k6/http share (see http_stacking.go); nil for a request of headers().
	call *openCall
}

// newRequestTrace decides the trace context of a request. A caller's valid context
// in an enabled format is continued: same trace, new span id, the caller's
// decision and tracestate, with the configured tracestate members in
// front. A caller's sampling-only decision starts a new trace with that
// decision. Otherwise the request is a child of parent (a batch's span),
// else of the active span or the iteration's root (see [vuScope.parent]),
// else the first span of a new trace. Baggage is the
// caller's members, then the configured ones, then the k6 members; the
// first to name a key wins. caller may be nil.
func (t *tracer) newRequestTrace(caller propagation.Getter, parent *propagation.Context, name func() string) requestTrace {
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
		ctx = t.vu.ids.child(ctx)
		ctx.TraceState = t.mergeTraceState(ctx.TraceState)
	case found == propagation.SamplingOnly:
		ctx = t.vu.ids.newSampled(t.opts.Layout, ctx.Sampled, ctx.Debug)
		ctx.TraceState = t.opts.TraceState.String()
	default:
		under := t.traceUnder(parent)
		ctx, from = under.ctx, under.parent
	}
	return requestTrace{ctx: ctx, baggage: t.requestBaggage(callerBag, name), parent: from}
}

// traceUnder returns a new span, without baggage, that is the child of
// parent, else of the active span or the iteration's root (see
// [vuScope.parent]), else the first span of a new trace.
func (t *tracer) traceUnder(parent *propagation.Context) requestTrace {
	if parent == nil {
		parent = t.vu.scope.parent(t, iterationOf(t.vu))
	}
	if parent == nil {
		return requestTrace{ctx: t.newTrace()}
	}
	return requestTrace{ctx: t.vu.ids.child(*parent), parent: *parent}
}

// newTrace returns the first span of a new trace, with the configured
// tracestate.
func (t *tracer) newTrace() propagation.Context {
	ctx := t.vu.ids.newTrace(t.opts.Layout, t.sampler)
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
		t.proc.run.addK6Members(b, t.vu, name)
	}
	return b
}
