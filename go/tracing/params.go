package tracing

import (
	"strings"

	"github.com/grafana/sobek"

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
}

// injectParams returns a new params object: a shallow copy of the caller's
// whose headers are a copy of the caller's, without the headers of the
// enabled formats (every spelling: HTTP names are case-insensitive), plus
// the headers of the request's span. The caller's objects are never
// modified, so a reused params object never accumulates headers. The
// removed headers are what the span continues: see [tracer.newSpan].
// Joining an open call, the formats are those of every layer of the call
// so far, and the span is the call's (see [tracer.joinedSpan]). The
// headers a header function made go over the caller's of the same name.
func (t *tracer) injectParams(rt *sobek.Runtime, r paramsRequest) (*sobek.Object, span) {
	prop := t.opts.Propagator
	if r.join != nil {
		prop = r.join.prop
	}
	out := rt.NewObject()
	headers := rt.NewObject()
	caller := propagation.MapCarrier{}
	if src, ok := r.params.(*sobek.Object); ok {
		for _, key := range src.Keys() {
			if key != "headers" {
				_ = out.Set(key, src.Get(key))
			}
		}
		if h, ok := src.Get("headers").(*sobek.Object); ok {
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
	var sp span
	if r.join != nil {
		_, _, callers := prop.Extract(caller)
		sp = t.joinedSpan(r.join, r.key, callers, r.name)
	} else {
		sp = t.newSpan(caller, r.parent, r.name)
	}
	prop.Inject(sp.ctx, sp.baggage, objectSetter{headers})
	_ = out.Set("headers", headers)
	return out, sp
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

// objectSetter writes header fields into a JS headers object.
type objectSetter struct{ obj *sobek.Object }

func (s objectSetter) Set(name, value string) { _ = s.obj.Set(name, value) }

// headerText returns a header value as k6 would send it: arrays, which
// some scripts pass for repeated headers, joined by commas.
func headerText(v sobek.Value) string {
	if obj, ok := v.(*sobek.Object); ok && obj.ClassName() == "Array" {
		n := int(obj.Get("length").ToInteger())
		parts := make([]string, 0, n)
		for _, item := range obj.Keys() {
			parts = append(parts, obj.Get(item).String())
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
