package tracing

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
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
// The requests are children of one span: with spans on, an exported
// "http.batch" span that is itself a child of the active span or the
// iteration root, or the first span of a new trace.
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
	root := t.spanUnder(nil)
	b := &tracedBatch{tracer: t, root: root.ctx, exporting: t.opts.Spans != nil && root.ctx.Sampled}
	var traced *sobek.Object
	if requests.ClassName() == "Array" {
		n := requests.Get("length").ToInteger()
		items := make([]any, n)
		for i := range n {
			items[i] = b.item(rt, requests.Get(fmt.Sprint(i)), fmt.Sprint(i))
		}
		traced = rt.NewArray(items...)
	} else {
		traced = rt.NewObject()
		for _, key := range requests.Keys() {
			if err := traced.Set(key, b.item(rt, requests.Get(key), key)); err != nil {
				return nil, fmt.Errorf("tracing batch requests: %w", err)
			}
		}
	}
	start := time.Now()
	res, group, err := withTraceID(t.vu.State(), propagation.FormatTraceID(root.ctx.TraceID), func() (sobek.Value, error) {
		return fn(sobek.Undefined(), traced)
	})
	b.finished(root, start, time.Now(), res, group, err)
	return res, err
}

// tracedBatch is one http.batch call: its span and what the trace report
// and each request's client span need.
type tracedBatch struct {
	tracer    *tracer
	root      propagation.Context
	exporting bool
	entries   []batchEntry
}

// batchEntry is one request of a batch: its key in the requests and in
// the responses, its span and what it asked for.
type batchEntry struct {
	key string
	sp  span
	req request
}

// item returns a copy of one batch request with trace context. A
// request is an array [method, url, body, params], an object
// {method, url, body, params}, or a bare URL (a GET).
func (b *tracedBatch) item(rt *sobek.Runtime, item sobek.Value, key string) sobek.Value {
	t := b.tracer
	obj, isObject := item.(*sobek.Object)
	var out sobek.Value
	var sp span
	var req request
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
		url, params := toValue(parts[1]), toValue(parts[3])
		req = batchRequest(toValue(parts[0]), url, params)
		parts[3], sp = t.injectParams(rt, params, &b.root, t.nameFunc(url, params))
		out = rt.NewArray(parts...)
	case isObject && obj.ExportType() == plainObjectType:
		copied := rt.NewObject()
		for _, key := range obj.Keys() {
			_ = copied.Set(key, obj.Get(key))
		}
		req = batchRequest(obj.Get("method"), obj.Get("url"), obj.Get("params"))
		var params *sobek.Object
		params, sp = t.injectParams(rt, obj.Get("params"), &b.root, t.nameFunc(obj.Get("url"), obj.Get("params")))
		_ = copied.Set("params", params)
		out = copied
	default: // a URL string or an http.url template: a GET
		copied := rt.NewObject()
		_ = copied.Set("method", "GET")
		_ = copied.Set("url", item)
		req = batchRequest(nil, item, nil)
		var params *sobek.Object
		params, sp = t.injectParams(rt, nil, &b.root, t.nameFunc(item, nil))
		_ = copied.Set("params", params)
		out = copied
	}
	b.entries = append(b.entries, batchEntry{key: key, sp: sp, req: req})
	return out
}

// batchRequest describes a batch request for its client span; a missing
// method is k6's default, GET.
func batchRequest(method, url, params sobek.Value) request {
	m := "GET"
	if !isNullish(method) {
		m = strings.ToUpper(method.String())
	}
	return request{method: m, url: requestURL(url), name: nameTag(url, params)}
}

// finished records each request of the batch, made in group, with the
// response k6 returned under its key, or with err, what the call threw,
// and, when spans are on, exports its client span and the batch span.
func (b *tracedBatch) finished(root span, start, end time.Time, res sobek.Value, group string, err error) {
	t := b.tracer
	var p *spans.Provider
	if b.exporting {
		p = t.spanProvider()
	}
	responses, _ := res.(*sobek.Object)
	for _, e := range b.entries {
		var r sobek.Value
		if responses != nil {
			r = responses.Get(e.key)
		}
		ended := responseEnd(start, end, r)
		out := outcomeOf(sent{value: r}, err, start, ended)
		e.req.group = group
		t.report(e.sp, start, out, func() request { return e.req })
		if p != nil {
			t.exportClientSpan(e.sp, e.req, start, ended, out)
		}
	}
	if p == nil {
		return
	}
	e := t.newEnded(root, "http.batch", trace.SpanKindInternal, start, end)
	e.Attributes = t.setK6Attributes(e, append(e.Attributes, attribute.Int("k6.batch.size", len(b.entries))), group)
	p.Record(e)
}

func toValue(v any) sobek.Value {
	if sv, ok := v.(sobek.Value); ok {
		return sv
	}
	return sobek.Undefined()
}
