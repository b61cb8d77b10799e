package tracing

import (
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

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
// transport runs) and the requests of a header function take the params
// path: a copy of the params with the headers.
func (t *tracer) call(
	fn sobek.Callable, direct func([]sobek.Value) (sent, error), args []sobek.Value, method requestMethod,
) (sobek.Value, error) {
	state := t.vu.State()
	params := argument(args, method.paramsAt)
	name := t.nameFunc(argument(args, method.urlAt), params)
	if state != nil {
		t.vu.link.wire.install(state)
	}
	if c := t.vu.link.joinable(false); c != nil {
		return t.joinCall(c, fn, direct, args, method, name)
	}
	if state == nil || method.async || t.carriesOurHeaders(params) || state.Options.HTTPDebug.String != "" ||
		t.opts.HeaderFunc != nil {
		return t.callWithParams(fn, args, method, name, nil)
	}
	a := &wireCall{tracer: t}
	a.call = openCall{span: t.newRequestTrace(nil, nil, name), prop: t.opts.Propagator, wire: a}
	if t.opts.Spans != nil {
		a.call.exporter = t
	}
	a.call.span.call = &a.call
	sp := a.call.span
	a.setFirst(sp, t.exportsSpan(sp))
	defer t.vu.link.wire.active.Store(t.vu.link.wire.active.Swap(a))
	defer t.vu.link.setOpen(t.vu.link.swapOpen(&a.call))
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
func (t *tracer) timed(sp requestTrace, args []sobek.Value, method requestMethod, send func() (sent, error)) (sobek.Value, error) {
	start := time.Now()
	res, err := send()
	if method.async && err == nil && jsvalue.IsThenable(res.value) {
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
func (t *tracer) finished(sp requestTrace, describe func() request, start, end time.Time, res sent, err error) {
	out := outcomeOf(res, err, start, end)
	t.report(sp, start, out, describe)
	if t.exportsSpan(sp) {
		t.exportClientSpan(sp, describe(), start, end, out)
	}
}

// exportsSpan reports whether t exports the client span of sp.
func (t *tracer) exportsSpan(sp requestTrace) bool {
	if t.opts.Spans == nil || !sp.ctx.Sampled {
		return false
	}
	return sp.call == nil || sp.call.exporter == t
}

// carriesContext reports whether the headers of sp's request carry its
// trace context: those of t, or of every layer of its call.
func (t *tracer) carriesContext(sp requestTrace) bool {
	if sp.call != nil {
		return sp.call.prop.CarriesContext()
	}
	return t.opts.Propagator.CarriesContext()
}

// metadataTraceID is the trace_id metadata of sp's request: its trace id
// when its headers carry it, else "" for none.
func (t *tracer) metadataTraceID(sp requestTrace) string {
	if !t.carriesContext(sp) {
		return ""
	}
	return propagation.FormatTraceID(sp.ctx.TraceID)
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
		defer t.vu.link.setOpen(t.vu.link.swapOpen(sp.call))
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

// TraceIDMetadata is the metadata key that carries the trace id of a
// request on its http_req_* samples, the key Grafana Cloud k6 reads.
const TraceIDMetadata = "trace_id"

// withTraceID runs call with the VU's trace_id metadata set to traceID, and
// restores what was there before (usually nothing) afterwards, so that no
// metadata lingers into later requests. k6 copies the VU's tags and
// metadata when it parses a request, synchronously, so this also covers
// asyncRequest and batch.
//
// It also returns the VU's group as the request was made, read under the
// same lock: k6 tags the request's samples with that group, and its span
// reports it, even if the request settles in another (asyncRequest).
//
// An empty traceID, for a request whose headers carry no trace id
// (baggage only), sets no metadata: it would name a trace that exists
// nowhere.
func withTraceID[T any](state *lib.State, traceID string, call func() (T, error)) (res T, group string, err error) {
	if state == nil {
		res, err = call() // init context: k6/http will refuse the request itself
		return res, "", err
	}
	var previous string
	var hadPrevious bool
	state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
		group, _ = tm.Tags.Get("group")
		if traceID != "" {
			previous, hadPrevious = tm.Metadata[TraceIDMetadata]
			tm.SetMetadata(TraceIDMetadata, traceID)
		}
	})
	if traceID != "" {
		// The emptied map is kept for the next request rather than set to
		// nil: a traced request then costs no map allocation of its own.
		defer state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
			if hadPrevious {
				tm.SetMetadata(TraceIDMetadata, previous)
			} else {
				tm.DeleteMetadata(TraceIDMetadata)
			}
		})
	}
	res, err = call()
	return res, group, err
}
