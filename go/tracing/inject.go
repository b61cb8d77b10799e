package tracing

import (
	"net/http"
	"strings"
	"sync"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// tracer adds one configuration's trace context to k6/http calls. Each
// instrumentHTTP call and each Client owns one.
type tracer struct {
	vu        modules.VU
	format    propagation.Format
	headerKey string // the format's header, in Go's canonical form
	gen       *propagation.Generator
	genLock   *sync.Mutex // the VU's: its generators share one source
	wire      *wireInjector
}

// configure applies decoded options.
func (t *tracer) configure(opts Options) {
	t.format = opts.Propagator
	t.headerKey = http.CanonicalHeaderKey(opts.Propagator.Header())
	t.gen.SetSampler(propagation.NewSampler(opts.Sampling))
}

// wrap returns a JS function that calls fn, or its Go implementation direct
// when there is one, with trace context for the request.
func (t *tracer) wrap(
	fn sobek.Callable, direct func([]sobek.Value) (sobek.Value, error), paramsAt int, async bool,
) func(sobek.FunctionCall) sobek.Value {
	return func(call sobek.FunctionCall) sobek.Value {
		v, err := t.call(fn, direct, call.Arguments, paramsAt, async)
		if err != nil {
			common.Throw(t.vu.Runtime(), err) // re-raises JS exceptions as they are
		}
		return v
	}
}

// call runs fn with trace context for one request, while the VU's
// trace_id metadata names the request's trace. A synchronous request takes
// the wire path: its arguments pass through untouched and the VU's
// wireInjector writes the header. asyncRequest, whose request is sent after
// the call returns, a request whose params already carry a trace header to
// continue, and every request under --http-debug (k6 prints the request
// before the innermost transport runs) take the params path: a copy of the
// params with the header.
func (t *tracer) call(
	fn sobek.Callable, direct func([]sobek.Value) (sobek.Value, error), args []sobek.Value, paramsAt int, async bool,
) (sobek.Value, error) {
	state := t.vu.State()
	var params sobek.Value
	if paramsAt < len(args) {
		params = args[paramsAt]
	}
	if state != nil {
		t.wire.install(state)
	}
	if state == nil || async || hasTraceHeader(params) || state.Options.HTTPDebug.String != "" {
		return t.callWithParams(fn, args, paramsAt)
	}
	ctx := t.gen.NewTrace()
	value := t.format.Value(ctx)
	t.wire.active.Store(&activeTrace{
		key: t.headerKey, format: t.format, first: value, trace: ctx, mu: t.genLock, gen: t.gen,
	})
	defer t.wire.active.Store(nil)
	return withTraceID(state, t.traceIDText(value), func() (sobek.Value, error) {
		if direct != nil {
			return direct(args)
		}
		return fn(sobek.Undefined(), args...)
	})
}

// callWithParams runs fn with a copy of args whose params carry a new
// span's header.
func (t *tracer) callWithParams(fn sobek.Callable, args []sobek.Value, paramsAt int) (sobek.Value, error) {
	rt := t.vu.Runtime()
	callArgs := make([]sobek.Value, max(len(args), paramsAt+1))
	copy(callArgs, args)
	for i := len(args); i < paramsAt; i++ {
		callArgs[i] = sobek.Undefined()
	}
	params, header := t.inject(rt, callArgs[paramsAt], nil)
	callArgs[paramsAt] = params
	return withTraceID(t.vu.State(), t.traceIDText(header), func() (sobek.Value, error) {
		return fn(sobek.Undefined(), callArgs...)
	})
}

// inject returns a new params object: a shallow copy of the caller's, whose
// headers are a copy of the caller's with the trace header set. The
// caller's objects are never modified, so a reused params object never
// accumulates headers. With a parent (the requests of a batch share one
// trace, whose id is the batch's trace_id metadata) the request is a child
// of parent. Otherwise, when the caller already sent a valid header of the
// configured format, the request continues that trace, and else it starts a
// new one.
func (t *tracer) inject(rt *sobek.Runtime, params sobek.Value, parent *propagation.Context) (*sobek.Object, string) {
	out := rt.NewObject()
	headers := rt.NewObject()
	var callerHeader string
	if src, ok := params.(*sobek.Object); ok {
		for _, key := range src.Keys() {
			if key != "headers" {
				_ = out.Set(key, src.Get(key))
			}
		}
		callerHeader = copyHeaders(headers, src.Get("headers"), t.format.Header())
	}
	var ctx propagation.Context
	if parent != nil {
		ctx = t.gen.Child(*parent)
	} else if caller, ok := t.format.Parse(callerHeader); ok {
		ctx = t.gen.Child(caller)
	} else {
		ctx = t.gen.NewTrace()
	}
	value := t.format.Value(ctx)
	_ = headers.Set(t.format.Header(), value)
	_ = out.Set("headers", headers)
	return out, value
}

// copyHeaders copies the caller's headers into dst, leaving out every
// spelling of the trace header name (HTTP names are case-insensitive, and a
// request must carry one trace header, not two). It returns the caller's
// value of that header, "" when there is none.
func copyHeaders(dst *sobek.Object, src sobek.Value, traceHeader string) (callerValue string) {
	obj, ok := src.(*sobek.Object)
	if !ok {
		return ""
	}
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		if strings.EqualFold(key, traceHeader) {
			callerValue, _ = value.Export().(string)
			continue
		}
		_ = dst.Set(key, value)
	}
	return callerValue
}

// traceIDText returns the trace id's hex from a header value this tracer
// wrote, without formatting the id a second time.
func (t *tracer) traceIDText(header string) string {
	switch t.format {
	case propagation.W3C:
		return header[3:35]
	default: // Jaeger writes the 32-digit trace id first
		return header[:32]
	}
}

// hasTraceHeader reports whether a params argument sets any trace header,
// in any letter case.
func hasTraceHeader(params sobek.Value) bool {
	obj, ok := params.(*sobek.Object)
	if !ok {
		return false
	}
	headers, ok := obj.Get("headers").(*sobek.Object)
	if !ok {
		return false
	}
	for _, key := range headers.Keys() {
		for _, name := range traceHeaderKeys {
			if strings.EqualFold(key, name) {
				return true
			}
		}
	}
	return false
}
