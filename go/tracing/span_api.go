package tracing

import (
	"fmt"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// startSpan is startSpan(name, options): a new span, the child of the
// active span or, under traceScope "iteration", of the iteration's root;
// otherwise the first span of a new trace. It is not active: withSpan
// makes a span the parent of the requests sent meanwhile.
func (t *tracer) startSpan(name, arg sobek.Value) (*scriptSpan, error) {
	sp, err := t.startScriptSpan("startSpan", name, arg)
	if err != nil {
		return nil, reportUsageError(t.vu, err)
	}
	return sp, nil
}

func (t *tracer) startScriptSpan(what string, name, arg sobek.Value) (*scriptSpan, error) {
	if t.vu.State() == nil {
		return nil, fmt.Errorf("%s: %w: spans belong to iterations; start them in the default function "+
			"(or a scenario's exec function, setup or teardown)", what, ErrVUContextOnly)
	}
	n, err := spanName(what, name)
	if err != nil {
		return nil, err
	}
	opts, err := options.DecodeSpan(arg)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	start := time.Now()
	sp := t.traceUnder(nil)
	var otel trace.Span
	if sp.ctx.Sampled {
		if p := t.spanProvider(); p != nil {
			otel = t.startOTelSpan(p, sp, n, opts.Kind, start, t.appendK6Attributes(opts.Attributes))
		}
	}
	return newScriptSpan(t, sp.ctx, otel), nil
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

func (t *tracer) runWithSpan(first, fnValue, arg sobek.Value) (sobek.Value, error) {
	rt := t.vu.Runtime()
	fn, ok := sobek.AssertFunction(fnValue)
	if !ok {
		return nil, reportUsageError(t.vu, fmt.Errorf("withSpan: %w: the second argument is %s, not a function",
			ErrInvalidArgument, jsvalue.Describe(fnValue)))
	}
	sp, owned := first.Export().(*scriptSpan)
	if owned && !common.IsNullish(arg) {
		return nil, reportUsageError(t.vu, fmt.Errorf("withSpan: %w: options apply to a span withSpan starts, "+
			"not to a span it is given; allowed: withSpan(name, fn, options) or withSpan(span, fn)", ErrInvalidArgument))
	}
	owned = !owned
	if owned {
		var err error
		if sp, err = t.startScriptSpan("withSpan", first, arg); err != nil {
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
func (t *tracer) whileActive(sp *scriptSpan, owned bool, call func() (sobek.Value, error)) (sobek.Value, error) {
	rt := t.vu.Runtime()
	t.vu.scope.push(sp, iterationOf(t.vu))
	done := func(ok bool, reason sobek.Value) {
		t.vu.scope.remove(sp)
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
	if jsvalue.IsThenable(result) {
		return jsvalue.Settled(rt, result, done)
	}
	done(true, nil)
	return result, nil
}

// startSpan is the module's startSpan: with instrumentHTTP's options, or
// the defaults (spans off: ids for the requests, nothing exported) when
// the script did not call it.
func (mi *ModuleInstance) startSpan(name, arg sobek.Value) (*scriptSpan, error) {
	return mi.apiTracer().startSpan(name, arg)
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
		mi.spanTracer = mi.newTracer(mi.defaults.HTTP)
	}
	return mi.spanTracer
}

// group is tracing.group(name, fn): k6's group(name, fn) inside a span of
// that name, so that a trace shows a user journey's steps, with the
// group's requests and spans as its children.
func (mi *ModuleInstance) group(call sobek.FunctionCall) sobek.Value {
	rt := mi.vu.Runtime()
	if mi.k6Group == nil {
		err := fmt.Errorf("group: %w: it needs k6's group, which the module loads as it is imported "+
			"in the init context, and this runtime has no k6 module", ErrInitContextOnly)
		if err = reportUsageError(mi.vu, err); err != nil {
			common.Throw(rt, err)
		}
		return sobek.Undefined()
	}
	v, err := mi.apiTracer().group(mi.k6Group, call.Arguments)
	if err != nil {
		common.Throw(rt, err) // re-raises the group's exception as it was
	}
	return v
}

// group runs k6's group inside a span named after it, with the group's
// path as k6.group. Calls k6 rejects (no name, no function, the init
// context) go to k6 as they are, for its own errors.
func (t *tracer) group(original sobek.Callable, args []sobek.Value) (sobek.Value, error) {
	state := t.vu.State()
	name, isName := argument(args, 0).Export().(string)
	_, isFunction := sobek.AssertFunction(argument(args, 1))
	if state == nil || !isName || name == "" || !isFunction {
		return original(sobek.Undefined(), args...)
	}
	sp, err := t.startScriptSpan("group", argument(args, 0), nil)
	if err != nil {
		return original(sobek.Undefined(), args...)
	}
	if sp.IsRecording() {
		parent := currentGroup(state)
		if path, err := lib.NewGroupPath(parent, name); err == nil {
			sp.otel.SetAttributes(attribute.String("k6.group", path))
		}
	}
	return t.whileActive(sp, true, func() (sobek.Value, error) {
		return original(sobek.Undefined(), args...)
	})
}
