package tracing

import (
	"fmt"
	"strings"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// paramsRequest is what injectParams needs of one request.
type paramsRequest struct {
	params sobek.Value          // the caller's params argument
	parent *propagation.Context // a batch's root span; nil for the scope's parent
	name   func() string        // the request's name, for the k6 baggage members
	// join is the open call an inner layer joins, nil for none; key is
	// the request's key when that call is a batch.
	join *openCall
	key  string
	// extra holds the headers a header function made, nil for none.
	extra *sobek.Object
	// field is the params key of the headers: "headers" for "" (k6/http),
	// "metadata" for gRPC, whose keys are written in lower case.
	field string
}

// injectParams returns a new params object: a shallow copy of the caller's
// whose headers are a copy of the caller's, without the headers of the
// enabled formats (every spelling: HTTP names are case-insensitive), plus
// the headers of the request's span. The caller's objects are never
// modified, so a reused params object never accumulates headers. The
// removed headers are what the span continues: see [tracer.newRequestTrace].
// Joining an open call, the formats are those of every layer of the call
// so far, and the span is the call's (see [tracer.joinedSpan]). The
// headers a header function made go over the caller's of the same name.
func (t *tracer) injectParams(rt *sobek.Runtime, r paramsRequest) (*sobek.Object, requestTrace) {
	prop := t.opts.Propagator
	if r.join != nil {
		prop = r.join.prop
	}
	field := r.field
	if field == "" {
		field = "headers"
	}
	out := rt.NewObject()
	headers := rt.NewObject()
	caller := propagation.MapCarrier{}
	if src, ok := r.params.(*sobek.Object); ok {
		for _, key := range src.Keys() {
			if key != field {
				_ = out.Set(key, src.Get(key))
			}
		}
		if h, ok := src.Get(field).(*sobek.Object); ok {
			for _, key := range h.Keys() {
				if r.extra == nil || r.extra.Get(key) == nil {
					copyHeader(prop, key, h.Get(key), headers, caller)
				}
			}
		}
	}
	if r.extra != nil {
		for _, key := range r.extra.Keys() {
			copyHeader(prop, key, r.extra.Get(key), headers, caller)
		}
	}
	var sp requestTrace
	if r.join != nil {
		_, _, callers := prop.Extract(caller)
		sp = t.joinedSpan(r.join, r.key, callers, r.name)
	} else {
		sp = t.newRequestTrace(caller, r.parent, r.name)
	}
	prop.Inject(sp.ctx, sp.baggage, objectSetter{obj: headers, lower: field == "metadata"})
	_ = out.Set(field, headers)
	return out, sp
}

// injectable reports whether a params argument can take a copy with the
// headers under field: none, or an object whose field is none or an
// object. Anything else is left for k6 to refuse with its own message,
// rather than replaced by a copy that k6 would accept.
func injectable(params sobek.Value, field string) bool {
	if common.IsNullish(params) {
		return true
	}
	obj, ok := params.(*sobek.Object)
	if !ok {
		return false
	}
	h := obj.Get(field)
	if common.IsNullish(h) {
		return true
	}
	_, ok = h.(*sobek.Object)
	return ok
}

// copyHeader copies a header to headers, or, when it is a field of one of
// p's formats, to caller, which the span continues.
func copyHeader(p propagation.Propagator, key string, value sobek.Value, headers *sobek.Object, caller propagation.MapCarrier) {
	if isFieldOf(p, key) {
		caller.Add(key, headerText(value))
		return
	}
	_ = headers.Set(key, value)
}

// objectSetter writes header fields into a JS headers object; lower
// writes their names in lower case, as gRPC metadata keys are.
type objectSetter struct {
	obj   *sobek.Object
	lower bool
}

func (s objectSetter) Set(name, value string) {
	if s.lower {
		name = strings.ToLower(name)
	}
	_ = s.obj.Set(name, value)
}

// headerText returns a header value as k6 would send it: arrays, which
// some scripts pass for repeated headers, joined by commas.
func headerText(v sobek.Value) string {
	if items, ok := jsvalue.Items(v); ok {
		parts := make([]string, len(items))
		for i, item := range items {
			parts[i] = item.String()
		}
		return strings.Join(parts, ",")
	}
	return v.String()
}

// isOurHeader reports whether name (any case) is a field of an enabled
// format or a baggage field of one (uberctx-*, ot-baggage-*).
func (t *tracer) isOurHeader(name string) bool { return isFieldOf(t.opts.Propagator, name) }

// isFieldOf reports whether name (any case) is a field of one of p's
// formats or a baggage field of one.
func isFieldOf(p propagation.Propagator, name string) bool {
	for _, f := range p.Formats() {
		for _, field := range f.Fields() {
			if strings.EqualFold(name, field) {
				return true
			}
		}
		if p := f.BaggagePrefix(); p != "" && len(name) > len(p) && strings.EqualFold(name[:len(p)], p) {
			return true
		}
	}
	return false
}

// carriesOurHeaders reports whether a params argument sets a header of an
// enabled format.
func (t *tracer) carriesOurHeaders(params sobek.Value) bool {
	obj, ok := params.(*sobek.Object)
	if !ok {
		return false
	}
	headers, ok := obj.Get("headers").(*sobek.Object)
	if !ok {
		return false
	}
	for _, key := range headers.Keys() {
		if t.isOurHeader(key) {
			return true
		}
	}
	return false
}

// A header function is what the http-instrumentation-pyroscope library
// takes instead of options: new pyroscope.Client(generateHeaders) and
// pyroscope.instrumentHTTP(generateHeaders), as Grafana's documentation of
// that library shows. The library calls it with a request's URL, body and
// params (a body of null for get and head) and adds the headers it
// returns to the request, over the caller's of the same name; those
// headers replace its default baggage. The k6/x/tracing/pyroscope module
// does the same, without modifying the caller's params.

const allowedHeaderFuncResult = "allowed: an object of header names and values, or null or undefined for none"

// generatedHeaders calls the header function of t, if it has one, with
// a request's URL, body and params, and returns the headers it made; nil
// for none.
func (t *tracer) generatedHeaders(url, body, params sobek.Value) (*sobek.Object, error) {
	if t.opts.HeaderFunc == nil {
		return nil, nil
	}
	if body == nil {
		body = sobek.Null()
	}
	v, err := t.opts.HeaderFunc(sobek.Undefined(), url, body, params)
	if err != nil {
		return nil, err
	}
	if common.IsNullish(v) {
		return nil, nil
	}
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() == "Array" || obj.ClassName() == "Function" {
		return nil, fmt.Errorf("%w: the header function (generateHeaders) returned %s; %s", ErrInvalidArgument, jsvalue.Describe(v), allowedHeaderFuncResult)
	}
	return obj, nil
}

// headerFuncArgs returns the URL, body and params of a call of method, as
// the header function receives them: get and head have no body.
func headerFuncArgs(args []sobek.Value, method requestMethod) (url, body, params sobek.Value) {
	url, params = argument(args, method.urlAt), argument(args, method.paramsAt)
	if method.paramsAt > method.urlAt+1 {
		body = argument(args, method.urlAt+1)
	}
	return url, body, params
}
