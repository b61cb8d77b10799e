package tracing

import (
	"net/http"
	"net/textproto"
	"sync"
	"sync/atomic"
	"time"

	"go.k6.io/k6/v2/lib"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// wireInjector is the innermost http.RoundTripper of one VU: while a traced
// call runs, it writes the trace headers straight into each outgoing
// request's header map. That spares k6 a params object to parse on every
// request, which costs more than everything else tracing does. k6 keeps the
// same header map as the response's request.headers, so scripts still see
// the headers they sent.
type wireInjector struct {
	next   http.RoundTripper
	state  *lib.State // the VU state whose transport w wraps
	active atomic.Pointer[wireCall]
}

// RoundTrip adds the active trace's headers to a request that has none of
// them. One that has (an asyncRequest traced through its params, in flight
// while a synchronous call runs) is left alone.
func (w *wireInjector) RoundTrip(req *http.Request) (*http.Response, error) {
	a := w.active.Load()
	if a == nil || req.Header == nil || a.firstFields().presentIn(req.Header) {
		return w.next.RoundTrip(req)
	}
	fields, hopCtx := a.nextFields()
	for _, f := range fields {
		req.Header[f.key] = []string{f.value}
	}
	if hopCtx == nil || !a.recordHops.Load() {
		return w.next.RoundTrip(req)
	}
	start := time.Now()
	resp, err := w.next.RoundTrip(req)
	a.addHop(hop{ctx: *hopCtx, req: request{method: req.Method, url: req.URL.String()}, start: start, end: time.Now(),
		resp: resp, err: err})
	return resp, err
}

// wireCall is the traced call in progress: its first request gets the
// precomputed headers, further ones (redirect hops, which Go sends without
// the headers written here) a new span in the same trace. The VU's
// generator is shared with its other tracers, hence the lock.
type wireCall struct {
	tracer *tracer // the outermost layer's
	// call is the call as inner layers join it: call.span is the
	// request's, call.prop writes the formats of every layer,
	// call.exporter exports the hops' spans.
	call openCall
	// first is the first request's fields, built in buf (the common
	// cases) before the call is active. Layers that join the active call
	// replace them while an asyncRequest of another call, in flight, may
	// read them: hence the pointer, published whole.
	first   atomic.Pointer[wireFields]
	initial wireFields // what first points to until a layer joins
	buf     [2]wireField
	used    atomic.Bool
	// recordHops keeps the redirect hops' spans, for export: a layer
	// exports spans and the request is sampled. Layers join before the
	// request is sent, so the transport reads it once it is final.
	recordHops atomic.Bool
	hopsMu     sync.Mutex
	hops       []hop
	// group is the VU's group as the call was made, which its hops
	// report; set once the call has returned, before they are exported.
	group string
}

// traceID returns the trace id's hex for the metadata, sliced from the
// traceparent when that is the first header, so that the id is not
// formatted twice.
func (a *wireCall) traceID() string {
	if first := a.firstFields(); len(first) > 0 && first[0].key == traceparentKey {
		return first[0].value[3:35]
	}
	return propagation.FormatTraceID(a.call.span.ctx.TraceID)
}

// nextFields returns the fields of the next request the call sends: the
// first's, or those of a hop's new span, which it returns too.
func (a *wireCall) nextFields() (wireFields, *propagation.Context) {
	if a.used.CompareAndSwap(false, true) {
		return a.firstFields(), nil
	}
	c := a.tracer.vu.ids.child(a.call.span.ctx)
	var fields wireFields
	a.call.prop.Inject(c, a.call.span.baggage, &fields)
	return fields, &c
}

// addLayer joins t, an inner layer, to the call: the first request's
// headers become those of every layer so far, for the same span, whose
// baggage gains t's members. It returns the span.
func (a *wireCall) addLayer(t *tracer, name func() string) requestTrace {
	sp := &a.call.span
	sp.baggage = t.requestBaggage(sp.baggage.Clone(), name)
	var first wireFields
	a.call.prop.Inject(sp.ctx, sp.baggage, &first)
	a.first.Store(&first)
	a.recordHops.Store(a.call.exporter != nil && sp.ctx.Sampled)
	return *sp
}

// setFirst builds the first request's fields, before the call is active.
func (a *wireCall) setFirst(sp requestTrace, recordHops bool) {
	a.initial = a.buf[:0]
	a.call.prop.Inject(sp.ctx, sp.baggage, &a.initial)
	a.first.Store(&a.initial)
	a.recordHops.Store(recordHops)
}

// firstFields returns the first request's fields.
func (a *wireCall) firstFields() wireFields {
	if p := a.first.Load(); p != nil {
		return *p
	}
	return nil
}

// hop is a redirect hop of a traced synchronous request: Go sends it
// without the headers k6 wrote, so the wire injector gives it a span of
// its own, a child of the request's, which the backend's span of that hop
// names as its parent.
type hop struct {
	ctx        propagation.Context
	req        request
	start, end time.Time
	resp       *http.Response
	err        error
}

func (a *wireCall) addHop(h hop) {
	a.hopsMu.Lock()
	a.hops = append(a.hops, h)
	a.hopsMu.Unlock()
}

// wireField is one header in Go's canonical form, ready for a header map.
type wireField struct{ key, value string }

// wireFields collects the header fields of a span; it is a
// [propagation.Setter].
type wireFields []wireField

// Set implements [propagation.Setter].
func (l *wireFields) Set(name, value string) {
	*l = append(*l, wireField{canonicalKey(name), value})
}

// presentIn reports whether h already has one of the fields.
func (l wireFields) presentIn(h http.Header) bool {
	for _, f := range l {
		if _, ok := h[f.key]; ok {
			return true
		}
	}
	return false
}

// canonicalKeys holds Go's canonical form of every fixed field name, so
// that the hot path does not build it per request.
var canonicalKeys = func() map[string]string {
	keys := map[string]string{}
	for _, f := range propagation.Formats() {
		for _, name := range f.Fields() {
			keys[name] = textproto.CanonicalMIMEHeaderKey(name)
		}
	}
	return keys
}()

var traceparentKey = canonicalKey(propagation.TraceparentHeader)

func canonicalKey(name string) string {
	if key, ok := canonicalKeys[name]; ok {
		return key
	}
	return textproto.CanonicalMIMEHeaderKey(name) // per-member baggage fields
}

// install puts w under the VU's transport, once per VU state: the first
// traced call of the VU does it, before any traced request is in flight,
// so no request of ours reads the field while it changes. (Only a request
// sent through a k6/http function captured before instrumentHTTP and still
// in flight could.) Remembering the state, rather than comparing the
// transport, keeps w from wrapping an extension that wrapped it in turn.
func (w *wireInjector) install(state *lib.State) {
	if w.state == state {
		return
	}
	w.state = state
	w.next = state.Transport
	state.Transport = w
}
