package tracing

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// errNoRoute means the route handler was not given a route object.
var errNoRoute = errors.New("the route handler received no route")

// onRoute is the handler instrumentBrowser registers with page.route(”).
// It continues every request it is given, whatever happens: with trace
// headers when the request may carry them, unchanged otherwise, and
// unchanged too when anything fails, which is logged once per page. A
// request left paused would hang the page.
func (p *pageTracer) onRoute(call sobek.FunctionCall) sobek.Value {
	route, ok := call.Argument(0).(*sobek.Object)
	if !ok {
		p.warnOnce(errNoRoute)
		return sobek.Undefined()
	}
	var headers *sobek.Object
	func() {
		defer func() {
			if r := recover(); r != nil {
				headers = nil
				p.warnOnce(fmt.Errorf("adding trace headers: %v", r))
			}
		}()
		request, err := jsvalue.CallMethod(route, "request")
		if err != nil {
			p.warnOnce(fmt.Errorf("reading the request: %w", err))
			return
		}
		headers, err = p.tracedHeaders(request)
		if err != nil {
			p.warnOnce(err)
		}
	}()
	p.continueRoute(route, headers)
	return sobek.Undefined()
}

// continueRoute continues the request with headers, or unchanged when
// headers is nil or continuing with them fails.
func (p *pageTracer) continueRoute(route *sobek.Object, headers *sobek.Object) {
	rt := p.vu.Runtime()
	var args []sobek.Value
	if headers != nil {
		opts := rt.NewObject()
		_ = opts.Set("headers", headers)
		args = append(args, opts)
	}
	pending, err := jsvalue.CallMethod(route, "continue", args...)
	if err != nil && headers != nil {
		p.warnOnce(fmt.Errorf("continuing with trace headers: %w", err))
		pending, err = jsvalue.CallMethod(route, "continue")
	}
	if err != nil {
		p.warnOnce(fmt.Errorf("continuing the request: %w", err))
		return
	}
	// A failed continue (the page navigated away, the browser closed)
	// would otherwise be an unhandled rejection, which fails the iteration.
	jsvalue.Observe(rt, pending, func(fulfilled bool, reason sobek.Value) {
		if !fulfilled {
			p.warnOnce(fmt.Errorf("continuing the request: %s", reason.String()))
		}
	})
}

// headersFor is the handle's headersFor(request): the request's headers
// with the trace headers of a new span when its origin may receive them,
// ready for route.continue({ headers }), which replaces the whole list.
func (p *pageTracer) headersFor(request sobek.Value) (*sobek.Object, error) {
	if !isRequest(request) {
		return nil, fmt.Errorf("%w: headersFor: the argument is %s, not a Request from k6/browser; "+
			"allowed: route.request() in a page.route handler", ErrInvalidArgument, jsvalue.Describe(request))
	}
	if p.opts.Mode != options.ModeRoute {
		// The browser adds the page's extra headers itself (static mode),
		// or the page's script added the call's (fetch mode).
		return p.requestHeaders(request.(*sobek.Object), "", nil)
	}
	headers, err := p.tracedHeaders(request)
	if err != nil || headers != nil {
		return headers, err
	}
	// Not for this origin, or already traced by the page: a copy of the
	// request's own headers, so that continuing with it changes nothing.
	return p.requestHeaders(request.(*sobek.Object), "", nil)
}

func isRequest(v sobek.Value) bool {
	obj, ok := v.(*sobek.Object)
	return ok && jsvalue.HasMethods(obj, "url", "headers", "isNavigationRequest", "frame")
}

// tracedHeaders returns the request's headers with trace headers, or nil
// when the request goes on unchanged: it may not receive them, or it
// already carries a trace context the page set itself.
func (p *pageTracer) tracedHeaders(request sobek.Value) (*sobek.Object, error) {
	if !isRequest(request) {
		return nil, fmt.Errorf("%w: route.request() returned %s", ErrInvalidArgument, jsvalue.Describe(request))
	}
	req := request.(*sobek.Object)
	v, err := jsvalue.CallMethod(req, "url")
	if err != nil {
		return nil, fmt.Errorf("reading the request URL: %w", err)
	}
	rawURL := v.String()
	if !p.mayReceive(req, rawURL) {
		p.sentUntraced(req, rawURL)
		return nil, nil
	}
	caller := propagation.MapCarrier{}
	out, err := p.requestHeaders(req, rawURL, caller)
	if err != nil {
		return nil, err
	}
	_, found, callerBaggage := p.tracer.opts.Propagator.Extract(caller)
	if found != propagation.NotFound {
		// The page's own tracing (OpenTelemetry JS, say) made this
		// request a span of its trace: that is the more precise parent.
		p.sentUntraced(req, rawURL)
		return nil, nil
	}
	parent := p.requestParent()
	ctx := p.childOf(parent)
	name := func() string { return rawURL }
	p.tracer.opts.Propagator.Inject(ctx, p.tracer.requestBaggage(callerBaggage, name), objectSetter{obj: out})
	if p.spans != nil {
		p.spans.sent(req, rawURL, requestTrace{ctx: ctx, parent: parent}, true)
	}
	return out, nil
}

// sentUntraced records, for its span, a request that goes out without
// trace headers of this page.
func (p *pageTracer) sentUntraced(req *sobek.Object, rawURL string) {
	if p.spans != nil {
		p.spans.sent(req, rawURL, p.spans.child(), false)
	}
}

// requestHeaders copies the request's headers into a new object, with the
// headers Chromium adds but does not report restored, so that continuing
// with the copy changes nothing. With a caller carrier, the headers of
// enabled formats go there instead, to be replaced, merged or continued.
// rawURL is the request's URL, "" to read it.
func (p *pageTracer) requestHeaders(req *sobek.Object, rawURL string, caller propagation.MapCarrier) (*sobek.Object, error) {
	if rawURL == "" {
		rawURL = jsvalue.CallString(req, "url")
	}
	v, err := jsvalue.CallMethod(req, "headers")
	if err != nil {
		return nil, fmt.Errorf("reading the request headers: %w", err)
	}
	rt := p.vu.Runtime()
	out := rt.NewObject()
	src, ok := v.(*sobek.Object)
	if !ok {
		return out, nil
	}
	for _, name := range src.Keys() {
		value := src.Get(name)
		if caller != nil && p.tracer.isOurHeader(name) {
			caller.Add(name, value.String())
			continue
		}
		_ = out.Set(name, value)
	}
	restoreBrowserHeaders(req, rawURL, out)
	return out, nil
}

// mayReceive reports whether a request to rawURL may carry trace headers:
// a navigation of the page's main frame (which sets the page's origin), a
// request to the page's origin, or one propagateTo allows.
func (p *pageTracer) mayReceive(req *sobek.Object, rawURL string) bool {
	origin, ok := options.OriginOf(rawURL)
	if !ok {
		return false
	}
	if isMainFrameNavigation(req) {
		p.origin = origin
		if p.spans != nil {
			p.spans.leavingDocument()
			p.spans.navigated(rawURL)
		}
		return true
	}
	return origin == p.origin || p.opts.PropagateTo.Matches(rawURL, origin)
}

// isMainFrameNavigation reports whether req loads a document into the
// page's main frame. The browser module gives no frame identity to
// scripts; the main frame is the one whose parent has no URL (a frame's
// parent always has a document, hence a URL).
func isMainFrameNavigation(req *sobek.Object) bool {
	nav, err := jsvalue.CallMethod(req, "isNavigationRequest")
	if err != nil || !nav.ToBoolean() {
		return false
	}
	frame, err := jsvalue.CallMethod(req, "frame")
	if err != nil {
		return false
	}
	frameObj, ok := frame.(*sobek.Object)
	if !ok {
		return false
	}
	parent, err := jsvalue.CallMethod(frameObj, "parentFrame")
	if err != nil {
		return false
	}
	parentObj, ok := parent.(*sobek.Object)
	if !ok {
		return true
	}
	u, err := jsvalue.CallMethod(parentObj, "url")
	return err == nil && u.String() == ""
}

// warnSpanOnce logs the first failure to record one of the page's spans;
// the span is lost, the request is not.
func (p *pageTracer) warnSpanOnce(err error) {
	p.warnFirst(&p.spanWarned, err, "a span of the page is lost")
}

// warnOnce logs the first failure of the page's tracing; the requests
// still went on.
func (p *pageTracer) warnOnce(err error) {
	p.warnFirst(&p.warned, err, "a request went on without trace headers")
}

// warnFirst logs err with what it cost, unless flag says a failure of the
// same kind was logged for the page already.
func (p *pageTracer) warnFirst(flag *atomic.Bool, err error, cost string) {
	if flag.Swap(true) {
		return
	}
	if state := p.vu.State(); state != nil {
		state.Logger.WithError(err).Warn("instrumentBrowser: " + cost + "; later failures of this page are not logged")
	}
}
