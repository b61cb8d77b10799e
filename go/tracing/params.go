package tracing

import (
	"strings"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// injectParams returns a new params object: a shallow copy of the caller's
// whose headers are a copy of the caller's, without the headers of the
// enabled formats (every spelling: HTTP names are case-insensitive), plus
// the headers of the request's span. The caller's objects are never
// modified, so a reused params object never accumulates headers. The
// removed headers are what the span continues: see [tracer.newSpan].
func (t *tracer) injectParams(
	rt *sobek.Runtime, params sobek.Value, parent *propagation.Context, name func() string,
) (*sobek.Object, span) {
	out := rt.NewObject()
	headers := rt.NewObject()
	caller := propagation.MapCarrier{}
	if src, ok := params.(*sobek.Object); ok {
		for _, key := range src.Keys() {
			if key != "headers" {
				_ = out.Set(key, src.Get(key))
			}
		}
		if h, ok := src.Get("headers").(*sobek.Object); ok {
			for _, key := range h.Keys() {
				value := h.Get(key)
				if t.isOurHeader(key) {
					caller.Add(key, headerText(value))
					continue
				}
				_ = headers.Set(key, value)
			}
		}
	}
	sp := t.newSpan(caller, parent, name)
	t.opts.Propagator.Inject(sp.ctx, sp.baggage, objectSetter{headers})
	_ = out.Set("headers", headers)
	return out, sp
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
func (t *tracer) isOurHeader(name string) bool {
	for _, f := range t.opts.Propagator.Formats() {
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
