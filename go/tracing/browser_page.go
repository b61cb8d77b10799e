package tracing

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/promises"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// pageTracer adds trace context to the requests of one k6 browser page.
// In route mode its handler runs for every request of the page, on the
// VU's event loop (the browser module queues each route callback there),
// so nothing in it needs a lock but the VU's shared generator.
type pageTracer struct {
	vu     *vuState
	tracer *tracer
	opts   options.Browser
	page   *sobek.Object
	// origin is the page's own origin: that of its main frame's latest
	// navigation, "" before the first.
	origin string
	// root is the page's trace in page scope: the parent of every span.
	root propagation.Context
	// rootParent is root's parent: an active span, the iteration's root,
	// or k6's own iteration span; zero for none.
	rootParent propagation.Context
	// static is the span static mode sends with every request.
	static propagation.Context
	// spans exports the page's spans; nil without the spans option.
	spans      *pageSpans
	warned     atomic.Bool
	spanWarned atomic.Bool
}

// instrumentBrowser is instrumentBrowser(page, options): from the returned
// promise's resolution on, every request of page carries trace context.
// It resolves to the page's tracing handle: its trace id, sampled flag and
// headersFor(request) for the script's own route handlers.
func (mi *ModuleInstance) instrumentBrowser(page, opts sobek.Value) (*sobek.Promise, error) {
	p, err := mi.newPageTracer(page, opts)
	if err != nil {
		return nil, reportUsageError(mi.vu, fmt.Errorf("instrumentBrowser: %w", err))
	}
	if p.spans != nil {
		if err := p.spans.listen(); err != nil {
			p.spans.end(time.Now(), "instrumentBrowser failed", nil)
			return nil, fmt.Errorf("instrumentBrowser: %w", err)
		}
	}
	p.wrapClose()
	rt := mi.vu.Runtime()
	// Settled from the event loop, as k6's own promises are, so that an
	// interrupt the script's continuation raises (a usage error aborting
	// the test) reaches k6 instead of being lost in the settling.
	promise, resolve, reject := promises.New(mi.vu)
	handle := p.handle()
	if err := p.setUp(1, func() { resolve(handle) }, func(err error) { reject(rt.NewGoError(err)) }); err != nil {
		resolve(sobek.Undefined()) // the call throws instead; the loop must not wait for this promise
		return nil, fmt.Errorf("instrumentBrowser: %w", err)
	}
	return promise, nil
}

// newPageTracer checks the arguments and starts the page's trace.
func (mi *ModuleInstance) newPageTracer(page, optsArg sobek.Value) (*pageTracer, error) {
	if mi.vu.State() == nil {
		return nil, fmt.Errorf("%w: pages exist only in VU code; call instrumentBrowser in the default "+
			"function (or a scenario's exec function) after browser.newPage()", ErrVUContextOnly)
	}
	obj, ok := page.(*sobek.Object)
	if !ok || !jsvalue.HasMethods(obj, "route", "setExtraHTTPHeaders", "url", "mainFrame") {
		return nil, fmt.Errorf("%w: the first argument is %s, not a Page from k6/browser; "+
			"allowed: the page that await browser.newPage() or context.newPage() returns", ErrInvalidArgument, jsvalue.Describe(page))
	}
	opts, err := options.DecodeBrowser(mi.vu.Runtime(), optsArg, mi.defaults)
	if err != nil {
		return nil, err
	}
	if err := mi.vu.claimFetchPage(opts); err != nil {
		return nil, err
	}
	p := &pageTracer{vu: mi.vu, tracer: mi.newTracer(opts.HTTP), opts: opts, page: obj}
	if v, err := jsvalue.CallMethod(obj, "url"); err == nil {
		p.origin, _ = options.OriginOf(v.String())
	}
	pageSpan := p.pageTrace()
	p.root, p.rootParent = pageSpan.ctx, pageSpan.parent
	p.startPageSpans(pageSpan)
	switch {
	case opts.Mode != options.ModeStatic:
	case p.spans != nil:
		p.static = p.root // the page span is what every request carries
	default:
		p.static = p.childOf(p.traceRoot())
	}
	return p, nil
}

// pageTrace returns the page's span: a child of the active span or the
// iteration's root, else of k6's own iteration span when k6 exports one
// (--traces-output; see browser_k6trace.go), so that k6's browser spans
// and the page's are one trace, else the first span of a trace of its
// own.
func (p *pageTracer) pageTrace() requestTrace {
	under := p.tracer.traceUnder(nil)
	if under.parent.TraceID.IsValid() {
		return under
	}
	if state := p.vu.State(); state != nil {
		if k6span, ok := k6Browser.iterationSpan(state.VUID, state.Iteration); ok {
			parent := contextOfSpan(k6span)
			return requestTrace{ctx: p.childOf(parent), parent: parent}
		}
	}
	return under
}

// requestParent returns the parent of the page's requests now: the page
// span when it is exported, else the page's trace (see traceRoot).
func (p *pageTracer) requestParent() propagation.Context {
	if p.spans != nil {
		return p.spans.span.ctx
	}
	return p.traceRoot()
}

// traceRoot returns the trace the page's requests belong to now.
func (p *pageTracer) traceRoot() propagation.Context {
	if parent := p.vu.scope.parent(p.tracer, iterationOf(p.vu)); parent != nil {
		return *parent
	}
	return p.root
}

// childOf returns a new span of parent's trace.
func (p *pageTracer) childOf(parent propagation.Context) propagation.Context {
	return p.vu.ids.child(parent)
}

// staticHeaders returns static mode's headers, as an object for
// page.setExtraHTTPHeaders.
func (p *pageTracer) staticHeaders() *sobek.Object {
	out := p.vu.Runtime().NewObject()
	p.tracer.opts.Propagator.Inject(p.static, p.tracer.requestBaggage(nil, nil), objectSetter{obj: out})
	return out
}

// headers is the handle's headers(): in static mode the headers every
// request of the page carries; in route mode those of a new span of the
// page's trace, for requests the page does not make itself (k6/http calls
// or a WebSocket that belong to the same user journey).
func (p *pageTracer) headers() *sobek.Object {
	if p.opts.Mode == options.ModeStatic {
		return p.staticHeaders()
	}
	out := p.vu.Runtime().NewObject()
	ctx := p.childOf(p.requestParent())
	p.tracer.opts.Propagator.Inject(ctx, p.tracer.requestBaggage(nil, nil), objectSetter{obj: out})
	return out
}

// handle returns the object the promise resolves to.
func (p *pageTracer) handle() *sobek.Object {
	rt := p.vu.Runtime()
	h := rt.NewObject()
	getter := func(get func() any) sobek.Value {
		return rt.ToValue(func(sobek.FunctionCall) sobek.Value { return rt.ToValue(get()) })
	}
	current := func() propagation.Context {
		if p.opts.Mode == options.ModeStatic {
			return p.static
		}
		return p.requestParent()
	}
	_ = h.DefineAccessorProperty("traceId", getter(func() any {
		return propagation.FormatTraceID(current().TraceID)
	}), nil, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	_ = h.DefineAccessorProperty("sampled", getter(func() any { return current().Sampled }),
		nil, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	_ = h.DefineDataProperty("mode", rt.ToValue(p.opts.Mode.String()), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	_ = h.DefineDataProperty("headersFor", rt.ToValue(p.headersFor), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	_ = h.DefineDataProperty("headers", rt.ToValue(p.headers), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	return h
}
