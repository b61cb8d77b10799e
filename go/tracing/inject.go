package tracing

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/lib"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// tracer adds one configuration's trace context to k6/http calls. Each
// instrumentHTTP call and each Client owns one.
type tracer struct {
	vu      modules.VU
	opts    Options
	gen     *propagation.Generator
	genLock *sync.Mutex // the VU's: its generators share one source
	link    *vuLink     // the VU's: its wire injector and the call in progress
	run     *runInfo
	export  *exporters
	spans   spanExport      // the client spans, when the spans option is on
	urls    urlCache        // the span attributes of recent URLs
	k6      k6Shared        // the span attributes the VU's spans share
	ended   spans.EndedPool // its ended spans, back from their export
	scope   *vuScope        // the VU's: its iteration trace and active spans
	helpers *vuHelpers
	// traceReport is the process's record of slow and failed requests,
	// requests the VU's count of instrumented requests.
	traceReport *traceReport
	requests    *atomic.Int64
}

// configure applies decoded options.
func (t *tracer) configure(opts Options) {
	t.opts = opts
	t.spans = spanExport{}
	t.gen.SetSampler(propagation.NewSampler(opts.Sampling))
	t.gen.SetLayout(opts.Layout)
	if opts.Baggage != nil {
		// Encode the shared members now, so that requests running
		// concurrently (a batch) only ever read the cached header.
		_ = opts.Baggage.String()
	}
}

// wrap returns a JS function that calls fn, or its Go implementation direct
// when there is one, with trace context for the request.
func (t *tracer) wrap(
	fn sobek.Callable, direct func([]sobek.Value) (sent, error), method requestMethod,
) func(sobek.FunctionCall) sobek.Value {
	return func(call sobek.FunctionCall) sobek.Value {
		v, err := t.call(fn, direct, call.Arguments, method)
		if err != nil {
			common.Throw(t.vu.Runtime(), err) // re-raises JS exceptions as they are
		}
		return v
	}
}

// call runs fn with trace context for one request, while the VU's
// trace_id metadata names the request's trace. A synchronous request takes
// the wire path: its arguments pass through untouched and the VU's
// wireInjector writes the headers. asyncRequest, whose request is sent
// after the call returns, a request whose params already carry headers of
// an enabled format (a trace to continue, baggage to merge), and every
// request under --http-debug (k6 prints the request before the innermost
// transport runs) take the params path: a copy of the params with the
// headers.
func (t *tracer) call(
	fn sobek.Callable, direct func([]sobek.Value) (sent, error), args []sobek.Value, method requestMethod,
) (sobek.Value, error) {
	state := t.vu.State()
	params := argument(args, method.paramsAt)
	name := t.nameFunc(argument(args, method.urlAt), params)
	if state != nil {
		t.link.wire.install(state)
	}
	if c := t.link.joinable(false); c != nil {
		return t.joinCall(c, fn, direct, args, method, name)
	}
	if state == nil || method.async || t.carriesOurHeaders(params) || state.Options.HTTPDebug.String != "" ||
		t.opts.HeaderFunc != nil {
		return t.callWithParams(fn, args, method, name, nil)
	}
	a := &activeTrace{tracer: t}
	a.call = openCall{span: t.newSpan(nil, nil, name), prop: t.opts.Propagator, wire: a}
	if t.opts.Spans != nil {
		a.call.exporter = t
	}
	a.call.span.call = &a.call
	sp := a.call.span
	a.recordHops = t.exportsSpan(sp)
	a.first = a.buf[:0]
	t.opts.Propagator.Inject(sp.ctx, sp.baggage, &a.first)
	defer t.link.wire.active.Store(t.link.wire.active.Swap(a))
	defer t.link.setOpen(t.link.swapOpen(&a.call))
	defer a.exportHops()
	traceID := ""
	if t.opts.Propagator.CarriesContext() {
		traceID = a.traceID()
	}
	return t.timed(sp, args, method, func() (sent, error) {
		res, err := send(state, traceID, fn, direct, args)
		a.group = res.group
		return res, err
	})
}

// send calls fn, or its Go implementation direct when there is one, with
// args, while the VU's trace_id metadata is traceID ("" for none). The
// result carries the VU's group as the request was made.
func send(
	state *lib.State, traceID string, fn sobek.Callable, direct func([]sobek.Value) (sent, error), args []sobek.Value,
) (sent, error) {
	res, group, err := withTraceID(state, traceID, func() (sent, error) {
		if direct != nil {
			return direct(args)
		}
		v, err := fn(sobek.Undefined(), args...)
		return sent{value: v}, err
	})
	res.group = group
	return res, err
}

// timed sends a request, records it in the trace report and, when spans
// are on and it is sampled, exports its client span: a synchronous
// request's when the call returns, an asyncRequest's when its promise
// settles (see [tracer.afterResponse]).
func (t *tracer) timed(sp span, args []sobek.Value, method requestMethod, send func() (sent, error)) (sobek.Value, error) {
	start := time.Now()
	res, err := send()
	if method.async && err == nil && isThenable(res.value) {
		// The arguments are the VM's stack, which is reused once the call
		// returns: what the span and the report need is read now.
		req := describeRequest(args, method, res.group)
		return t.afterResponse(sp, req, start, res.value)
	}
	end := time.Now()
	// Read only for a request the report keeps or a span exports.
	t.finished(sp, func() request { return describeRequest(args, method, res.group) }, start, end, res, err)
	return res.value, err
}

// finished records a request that ended at end, with res, k6's Response,
// or with err, what the call threw, and exports its span. describe
// describes the request; it is called only when needed.
func (t *tracer) finished(sp span, describe func() request, start, end time.Time, res sent, err error) {
	out := outcomeOf(res, err, start, end)
	t.report(sp, start, out, describe)
	if t.exportsSpan(sp) {
		t.exportClientSpan(sp, describe(), start, end, out)
	}
}

// callWithParams runs fn with a copy of args whose params carry a new
// span's headers; or, joining the open call join (nil for none), the
// headers of join's span in the formats of every layer so far.
func (t *tracer) callWithParams(
	fn sobek.Callable, args []sobek.Value, method requestMethod, name func() string, join *openCall,
) (sobek.Value, error) {
	paramsAt := method.paramsAt
	rt := t.vu.Runtime()
	callArgs := make([]sobek.Value, max(len(args), paramsAt+1))
	copy(callArgs, args)
	for i := len(args); i < paramsAt; i++ {
		callArgs[i] = sobek.Undefined()
	}
	extra, err := t.generatedHeaders(headerFuncArgs(args, method))
	if err != nil {
		return nil, err
	}
	params, sp := t.injectParams(rt, paramsRequest{params: callArgs[paramsAt], name: name, join: join, extra: extra})
	callArgs[paramsAt] = params
	if join == nil {
		sp.call = &openCall{span: sp, prop: t.opts.Propagator}
		if t.opts.Spans != nil {
			sp.call.exporter = t
		}
		defer t.link.setOpen(t.link.swapOpen(sp.call))
	} else {
		join.span = sp
	}
	return t.timed(sp, args, method, func() (sent, error) {
		v, group, err := withTraceID(t.vu.State(), t.metadataTraceID(sp), func() (sobek.Value, error) {
			return fn(sobek.Undefined(), callArgs...)
		})
		return sent{value: v, group: group}, err
	})
}

// argument returns args[i], or undefined when the call has fewer.
func argument(args []sobek.Value, i int) sobek.Value {
	if i >= 0 && i < len(args) {
		return args[i]
	}
	return sobek.Undefined()
}
