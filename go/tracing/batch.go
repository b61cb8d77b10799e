package tracing

import (
	"fmt"
	"reflect"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

var plainObjectType = reflect.TypeFor[map[string]any]()

// wrapBatch returns a JS function that calls k6's batch with every request
// of the batch in one trace, each with its own span id; a request whose
// params carry a caller's trace continues that one instead.
func (t *tracer) wrapBatch(fn sobek.Callable) func(sobek.FunctionCall) sobek.Value {
	return func(call sobek.FunctionCall) sobek.Value {
		v, err := t.batch(fn, call.Arguments)
		if err != nil {
			common.Throw(t.vu.Runtime(), err)
		}
		return v
	}
}

// batch copies the requests argument (an array or an object of requests)
// with trace context in each request's params. Arguments k6 would reject
// are passed on unchanged, so that k6 reports them with its own errors.
func (t *tracer) batch(fn sobek.Callable, args []sobek.Value) (sobek.Value, error) {
	rt := t.vu.Runtime()
	if len(args) != 1 {
		return fn(sobek.Undefined(), args...)
	}
	requests, ok := args[0].(*sobek.Object)
	if !ok {
		return fn(sobek.Undefined(), args...)
	}
	if state := t.vu.State(); state != nil {
		t.wire.install(state)
	}
	root := t.newTrace()
	var traced *sobek.Object
	var err error
	if requests.ClassName() == "Array" {
		traced, err = t.batchArray(rt, requests, &root)
	} else {
		traced = rt.NewObject()
		for _, key := range requests.Keys() {
			if err = traced.Set(key, t.batchItem(rt, requests.Get(key), &root)); err != nil {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("tracing batch requests: %w", err)
	}
	return withTraceID(t.vu.State(), propagation.FormatTraceID(root.TraceID), func() (sobek.Value, error) {
		return fn(sobek.Undefined(), traced)
	})
}

func (t *tracer) batchArray(rt *sobek.Runtime, requests *sobek.Object, root *propagation.Context) (*sobek.Object, error) {
	n := requests.Get("length").ToInteger()
	items := make([]any, n)
	for i := range n {
		items[i] = t.batchItem(rt, requests.Get(fmt.Sprint(i)), root)
	}
	return rt.NewArray(items...), nil
}

// batchItem returns a copy of one batch request with trace context. A
// request is an array [method, url, body, params], an object
// {method, url, body, params}, or a bare URL (a GET).
func (t *tracer) batchItem(rt *sobek.Runtime, item sobek.Value, root *propagation.Context) sobek.Value {
	obj, isObject := item.(*sobek.Object)
	switch {
	case isObject && obj.ClassName() == "Array":
		n := obj.Get("length").ToInteger()
		if n < 2 {
			return item // k6 rejects it with its own message
		}
		parts := make([]any, max(n, 4))
		for i := range n {
			parts[i] = obj.Get(fmt.Sprint(i))
		}
		if n < 3 {
			parts[2] = sobek.Undefined()
		}
		params, _ := t.injectParams(rt, toValue(parts[3]), root, t.nameFunc(toValue(parts[1]), toValue(parts[3])))
		parts[3] = params
		return rt.NewArray(parts...)
	case isObject && obj.ExportType() == plainObjectType:
		out := rt.NewObject()
		for _, key := range obj.Keys() {
			_ = out.Set(key, obj.Get(key))
		}
		params, _ := t.injectParams(rt, obj.Get("params"), root, t.nameFunc(obj.Get("url"), obj.Get("params")))
		_ = out.Set("params", params)
		return out
	default: // a URL string or an http.url template: a GET
		out := rt.NewObject()
		_ = out.Set("method", "GET")
		_ = out.Set("url", item)
		params, _ := t.injectParams(rt, nil, root, t.nameFunc(item, nil))
		_ = out.Set("params", params)
		return out
	}
}

func toValue(v any) sobek.Value {
	if sv, ok := v.(sobek.Value); ok {
		return sv
	}
	return sobek.Undefined()
}
