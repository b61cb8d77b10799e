package tracing

import (
	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// A script may trace one request with several layers: the instrumentHTTP
// of both import paths (k6/x/tracing and k6/x/tracing/pyroscope, in either
// order, as scripts that used both jslibs do), or a Client of one over the
// other's instrumented functions. Each layer wraps the function below it,
// and the outermost runs first. It decides the request's span and opens
// the call on the VU's link while it calls through; each inner layer
// joins that call instead of starting a trace of its own: it writes its
// formats and baggage members for the same span. So every trace header of
// the request names one span, the trace_id metadata names its trace
// whatever the order of the layers, and its client span is exported once,
// by the outermost layer with spans on.

// vuLink is what the module instances of one VU share, whichever import
// path made them: the wire injector under the VU's transport, and the call
// in progress that inner layers join. Only the VU's goroutine reads and
// writes open.
type vuLink struct {
	wire wireInjector
	open *openCall
}

// linkSymbol keys a VU's link on its global object, where the module
// instances of both import paths find it: it lives exactly as long as
// the VU's runtime, needs no registry, and shows scripts nothing (it is
// not enumerable, and the Go value has no exported field or method).
var linkSymbol = sobek.NewSymbol("xk6-tracing")

// vuLinkOf returns the link of the VU whose runtime is rt, made on first
// use.
func vuLinkOf(rt *sobek.Runtime) *vuLink {
	global := rt.GlobalObject()
	if v := global.GetSymbol(linkSymbol); v != nil {
		if l, ok := v.Export().(*vuLink); ok {
			return l
		}
	}
	l := &vuLink{}
	_ = global.DefineDataPropertySymbol(linkSymbol, rt.ToValue(l), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_FALSE)
	return l
}

// openCall is a traced call whose request has not reached k6 yet: the
// layer that made it is calling through the function it wrapped.
type openCall struct {
	// span is the request's span, with the baggage of every layer so far;
	// for a batch, the root span of its requests.
	span requestTrace
	// batch is the outermost layer's batch, nil for a single request.
	batch *tracedBatch
	// prop writes the formats of every layer so far.
	prop propagation.Propagator
	// wire holds the call's headers when they are written on the wire,
	// nil when they travel in a copy of the params.
	wire *wireCall
	// exporter is the layer that exports the client spans: the outermost
	// with spans on, nil for none.
	exporter *tracer
	// done is set once a layer that joined the call has returned: a
	// further request inside the call (a wrapper of the script's that
	// sends two) is a request of its own.
	done bool
}

// swapOpen makes c the VU's open call while a layer calls through, and
// returns the previous one, for setOpen to restore once the call
// returns: defer l.setOpen(l.swapOpen(c)). (A returned closure would cost
// an allocation on every request.)
func (l *vuLink) swapOpen(c *openCall) *openCall {
	prev := l.open
	l.open = c
	return prev
}

// setOpen makes c the VU's open call.
func (l *vuLink) setOpen(c *openCall) { l.open = c }

// joinable returns the open call an inner layer of kind batch joins, nil
// when there is none.
func (l *vuLink) joinable(batch bool) *openCall {
	if c := l.open; c != nil && !c.done && (c.batch != nil) == batch {
		return c
	}
	return nil
}

// join adds t to the layers of c: its formats, and an exporter if c has
// none and t exports spans.
func (t *tracer) join(c *openCall) {
	c.prop = c.prop.With(t.opts.Propagator)
	if c.exporter == nil && t.opts.Spans != nil {
		c.exporter = t
	}
}

// joinCall sends a request of an open call c as an inner layer: with c's
// span, and the headers of every layer so far, t's included. The headers
// are written on the wire when c's are, unless the caller's params carry
// headers of t's formats; then they travel in a copy of the params, where
// the wire injector, finding them, adds nothing.
func (t *tracer) joinCall(
	c *openCall, fn sobek.Callable, direct func([]sobek.Value) (sent, error), args []sobek.Value, method requestMethod,
	name func() string,
) (sobek.Value, error) {
	t.join(c)
	defer func() { c.done = true }()
	if a := c.wire; a != nil && t.opts.HeaderFunc == nil && !t.carriesOurHeaders(argument(args, method.paramsAt)) {
		sp := a.addLayer(t, name)
		return t.timed(sp, args, method, func() (sent, error) {
			return send(t.vu.State(), t.metadataTraceID(sp), fn, direct, args)
		})
	}
	return t.callWithParams(fn, args, method, name, c)
}

// joinedSpan returns the span an inner layer t writes for a request of
// the open call c: c's own, or, for the request of a batch at key, the
// span the outer layer made for it; with the caller's baggage, which
// holds the outer layers' members, and t's.
func (t *tracer) joinedSpan(c *openCall, key string, callers *propagation.Baggage, name func() string) requestTrace {
	sp := c.span
	if c.batch != nil {
		sp = c.batch.spanOf(key)
	}
	if callers == nil {
		callers = sp.baggage.Clone()
	}
	sp.baggage = t.requestBaggage(callers, name)
	sp.call = c
	return sp
}
