package tracing

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
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
		t.vu.link.wire.install(state)
	}
	// The outermost layer's batch opens the call; an inner one joins it,
	// and its requests continue the spans the outer one wrote for them.
	c := t.vu.link.joinable(true)
	var root requestTrace
	if c != nil {
		t.join(c)
		defer func() { c.done = true }()
		root = c.span
	} else {
		root = t.traceUnder(nil)
		c = &openCall{span: root, prop: t.opts.Propagator}
		if t.opts.Spans != nil {
			c.exporter = t
		}
		defer t.vu.link.setOpen(t.vu.link.swapOpen(c))
	}
	root.call = c
	b := &tracedBatch{tracer: t, root: root.ctx, call: c}
	if c.batch == nil {
		c.batch = b
	}
	var traced *sobek.Object
	if items, isArray := jsvalue.Items(requests); isArray {
		copies := make([]any, len(items))
		for i, item := range items {
			c, err := b.item(rt, item, strconv.Itoa(i))
			if err != nil {
				return nil, err
			}
			copies[i] = c
		}
		traced = rt.NewArray(copies...)
	} else {
		traced = rt.NewObject()
		for _, key := range requests.Keys() {
			item, err := b.item(rt, requests.Get(key), key)
			if err != nil {
				return nil, err
			}
			if err := traced.Set(key, item); err != nil {
				return nil, fmt.Errorf("tracing batch requests: %w", err)
			}
		}
	}
	start := time.Now()
	res, group, err := withTraceID(t.vu.State(), t.metadataTraceID(root), func() (sobek.Value, error) {
		return fn(sobek.Undefined(), traced)
	})
	b.finished(root, start, time.Now(), res, group, err)
	return res, err
}

// tracedBatch is one http.batch call: its span and what the trace report
// and each request's client span need.
type tracedBatch struct {
	tracer  *tracer
	root    propagation.Context
	call    *openCall // the call of the batch, opened by this layer or joined
	entries []batchEntry
	// joinedItems counts the entries an inner layer's batch has taken.
	joinedItems int
}

// batchEntry is one request of a batch: its key in the requests and in
// the responses, its span and what it asked for.
type batchEntry struct {
	key string
	sp  requestTrace
	req request
}

// item returns a copy of one batch request with trace context. A
// request is an array [method, url, body, params], an object
// {method, url, body, params}, or a bare URL (a GET).
func (b *tracedBatch) item(rt *sobek.Runtime, item sobek.Value, key string) (sobek.Value, error) {
	t := b.tracer
	obj, isObject := item.(*sobek.Object)
	parts, isArray := jsvalue.Items(item)
	var method, url, body, params sobek.Value
	var with func(params *sobek.Object) sobek.Value // the copy with these params
	switch {
	case isArray:
		if len(parts) < 2 {
			return item, nil // k6 rejects it with its own message
		}
		for len(parts) < 4 {
			parts = append(parts, sobek.Undefined())
		}
		method, url, body, params = parts[0], parts[1], parts[2], parts[3]
		with = func(p *sobek.Object) sobek.Value {
			copied := make([]any, len(parts))
			for i, part := range parts {
				copied[i] = part
			}
			copied[3] = p
			return rt.NewArray(copied...)
		}
	case isObject && obj.ExportType() == plainObjectType:
		method, url, body, params = obj.Get("method"), obj.Get("url"), obj.Get("body"), obj.Get("params")
		with = func(p *sobek.Object) sobek.Value {
			copied := rt.NewObject()
			for _, key := range obj.Keys() {
				_ = copied.Set(key, obj.Get(key))
			}
			_ = copied.Set("params", p)
			return copied
		}
	default: // a URL string or an http.url template: a GET
		url = item
		with = func(p *sobek.Object) sobek.Value {
			copied := rt.NewObject()
			_ = copied.Set("method", "GET")
			_ = copied.Set("url", item)
			_ = copied.Set("params", p)
			return copied
		}
	}
	extra, err := t.generatedHeaders(url, body, params)
	if err != nil {
		return nil, err
	}
	p, sp := t.injectParams(rt, paramsRequest{
		params: params, parent: &b.root, name: t.nameFunc(url, params), join: b.joined(), key: key, extra: extra,
	})
	sp.call = b.call
	b.entries = append(b.entries, batchEntry{key: key, sp: sp, req: batchRequest(method, url, params)})
	return with(p), nil
}

// spanOf returns the span of the request at key, which an inner layer's
// batch continues: the inner one sees the requests this one traced, in
// the same order, each with the same key. A request it does not know gets
// a new child of the root.
func (b *tracedBatch) spanOf(key string) requestTrace {
	if i := b.joinedItems; i < len(b.entries) && b.entries[i].key == key {
		b.joinedItems++
		return b.entries[i].sp
	}
	return requestTrace{ctx: b.tracer.vu.ids.child(b.root), parent: b.root}
}

// joined returns the call the batch joined, nil when its layer opened it.
func (b *tracedBatch) joined() *openCall {
	if b.call.batch == b {
		return nil
	}
	return b.call
}

// batchRequest describes a batch request for its client span; a missing
// method is k6's default, GET.
func batchRequest(method, url, params sobek.Value) request {
	m := "GET"
	if !common.IsNullish(method) {
		m = strings.ToUpper(method.String())
	}
	return newRequest(m, url, params, "") // the group is known once the batch returns
}

// finished records each request of the batch, made in group, with the
// response k6 returned under its key, or with err, what the call threw,
// and, when spans are on, exports its client span and the batch span.
func (b *tracedBatch) finished(root requestTrace, start, end time.Time, res sobek.Value, group string, err error) {
	t := b.tracer
	var p *spans.Provider
	if t.exportsSpan(root) {
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
