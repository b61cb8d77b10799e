package tracing

import (
	"fmt"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

// spanOptionNames are the keys of startSpan's and withSpan's options.
var spanOptionNames = []string{"attributes", "kind"}

// spanOptions are what startSpan's options say.
type spanOptions struct {
	kind  trace.SpanKind
	attrs []attribute.KeyValue
}

func decodeSpanOptions(v sobek.Value) (spanOptions, error) {
	opts := spanOptions{kind: trace.SpanKindInternal}
	if isNullish(v) {
		return opts, nil
	}
	obj, ok := plainObject(v)
	if !ok {
		return opts, fmt.Errorf(`%w: %s is not an object; allowed: an object such as `+
			`{ kind: "internal", attributes: { "user.id": 42 } }, or nothing`, ErrInvalidOptions, describe(v))
	}
	for _, key := range obj.Keys() {
		var err error
		switch key {
		case "attributes":
			opts.attrs, err = decodeAttributes("attributes", obj.Get(key))
		case "kind":
			opts.kind, err = decodeSpanKind(obj.Get(key))
		default:
			err = unknownOption(key, spanOptionNames)
		}
		if err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// startSpan is startSpan(name, options): a new span, the child of the
// active span or, under traceScope "iteration", of the iteration's root;
// otherwise the first span of a new trace. It is not active: withSpan
// makes a span the parent of the requests sent meanwhile.
func (t *tracer) startSpan(name, options sobek.Value) (*jsSpan, error) {
	sp, err := t.newJSSpan("startSpan", name, options)
	if err != nil {
		return nil, reportUsageError(t.vu, err)
	}
	return sp, nil
}

func (t *tracer) newJSSpan(what string, name, options sobek.Value) (*jsSpan, error) {
	if t.vu.State() == nil {
		return nil, fmt.Errorf("%s: %w: spans belong to iterations; start them in the default function "+
			"(or a scenario's exec function, setup or teardown)", what, ErrVUContextOnly)
	}
	n, err := spanName(what, name)
	if err != nil {
		return nil, err
	}
	opts, err := decodeSpanOptions(options)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	start := time.Now()
	sp := t.spanUnder(nil)
	var otel trace.Span
	if sp.ctx.Sampled {
		if p := t.spanProvider(); p != nil {
			otel = t.startOTelSpan(p, sp, n, opts.kind, start, t.appendK6Attributes(opts.attrs))
		}
	}
	return newJSSpan(t, sp.ctx, otel), nil
}

// withSpan is withSpan(nameOrSpan, fn, options): it runs fn(span) with
// the span active, so that the requests fn sends, and the spans it
// starts, are its children. Given a name, it starts the span and ends it
// when fn returns, or when the promise fn returns settles; a throw or a
// rejection is recorded on it, with the error status, and passes on.
// Given a span, it activates it and leaves ending it to the script.
func (t *tracer) withSpan(call sobek.FunctionCall) sobek.Value {
	v, err := t.runWithSpan(call.Argument(0), call.Argument(1), call.Argument(2))
	if err != nil {
		common.Throw(t.vu.Runtime(), err) // re-raises fn's exception as it was
	}
	if v == nil {
		return sobek.Undefined()
	}
	return v
}

func (t *tracer) runWithSpan(first, fnValue, options sobek.Value) (sobek.Value, error) {
	rt := t.vu.Runtime()
	fn, ok := sobek.AssertFunction(fnValue)
	if !ok {
		return nil, reportUsageError(t.vu, fmt.Errorf("withSpan: %w: the second argument is %s, not a function",
			ErrInvalidArgument, describe(fnValue)))
	}
	sp, owned := first.Export().(*jsSpan)
	if owned && !isNullish(options) {
		return nil, reportUsageError(t.vu, fmt.Errorf("withSpan: %w: options apply to a span withSpan starts, "+
			"not to a span it is given; allowed: withSpan(name, fn, options) or withSpan(span, fn)", ErrInvalidArgument))
	}
	owned = !owned
	if owned {
		var err error
		if sp, err = t.newJSSpan("withSpan", first, options); err != nil {
			return nil, reportUsageError(t.vu, err)
		}
	}
	return t.whileActive(sp, owned, func() (sobek.Value, error) {
		return fn(sobek.Undefined(), rt.ToValue(sp))
	})
}

// whileActive runs call with sp active: until call returns, or until the
// promise it returns settles. An owned span then ends, with a throw or a
// rejection recorded on it; the result, throw or rejection passes on as
// it was.
func (t *tracer) whileActive(sp *jsSpan, owned bool, call func() (sobek.Value, error)) (sobek.Value, error) {
	rt := t.vu.Runtime()
	t.scope.push(sp, iterationOf(t.vu))
	done := func(ok bool, reason sobek.Value) {
		t.scope.remove(sp)
		if owned {
			if !ok {
				sp.fail(reason)
			}
			sp.End()
		}
	}
	result, err := call()
	if err != nil {
		var reason sobek.Value = rt.ToValue(err.Error())
		if ex, isException := err.(*sobek.Exception); isException {
			reason = ex.Value()
		}
		done(false, reason)
		return nil, err
	}
	if isThenable(result) {
		return t.helpers.afterSettled(rt, result, done)
	}
	done(true, nil)
	return result, nil
}

// startSpan is the module's startSpan: with instrumentHTTP's options, or
// the defaults (spans off: ids for the requests, nothing exported) when
// the script did not call it.
func (mi *ModuleInstance) startSpan(name, options sobek.Value) (*jsSpan, error) {
	return mi.apiTracer().startSpan(name, options)
}

// withSpan is the module's withSpan, with the options startSpan uses.
func (mi *ModuleInstance) withSpan(call sobek.FunctionCall) sobek.Value {
	return mi.apiTracer().withSpan(call)
}

func (mi *ModuleInstance) apiTracer() *tracer {
	if mi.instrumented != nil {
		return mi.instrumented
	}
	if mi.spanTracer == nil {
		mi.spanTracer = mi.newTracer(mi.defaults.Options)
	}
	return mi.spanTracer
}
