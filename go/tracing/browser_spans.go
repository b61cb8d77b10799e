package tracing

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/promises"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// pageSpans exports the spans of an instrumented page with spans on: the
// page span, from instrumentBrowser until the page closes or the
// iteration ends, and a CLIENT span for each request the page makes,
// child of the page span, with the span id its trace headers carried.
//
// A request's span starts when the page's route handler (route mode) or
// its "request" event (static and fetch modes) sees it, and ends when its
// "requestfinished" or "requestfailed" event arrives: k6 hands each of
// them to the VU's event loop as the browser reports it. Those times are
// the loop's; the browser's own replace them where it has them (see
// browser_timing.go; k6 v2.2's request.timing() rounds its start and end
// to whole seconds). The route handler and the events run on the VU's
// event loop; the page span ends there too, or at k6's IterEnd while the
// VU waits; web vitals arrive on k6's goroutines and go to the live page
// span, which is safe for that. The lock guards the rest against those
// two.
type pageSpans struct {
	p     *pageTracer
	span  requestTrace // the page span's ids, and its parent
	start time.Time
	live  trace.Span // nil when the page's trace is not sampled

	mu      sync.Mutex
	ended   bool
	pending map[string][]browserRequest // by method and URL, oldest first
	url     string                      // the main frame's latest document
	seen    map[trace.SpanID]struct{}   // span ids the page's calls carried (fetch mode)
	// finished are the spans of the current document's requests, waiting
	// for the browser's times (browser_timing.go).
	finished []finishedRequest
}

// browserRequest is a request the page sent whose span is not over yet.
type browserRequest struct {
	sp    requestTrace
	start time.Time
	// propagated is set when the request carried the span's own id.
	propagated   bool
	resourceType string // CDP's, in lower case
	// responded is when its response's headers arrived, zero before, and
	// status their status.
	responded time.Time
	status    int
}

// maxPendingRequests bounds the requests a page keeps waiting for their
// end: a page whose events never come cannot grow it forever.
const maxPendingRequests = 10_000

// pageSpanName names the page span.
const pageSpanName = "browser page"

// startPageSpans starts the page span of p, if p's tracer exports spans.
func (p *pageTracer) startPageSpans(page requestTrace) {
	if p.tracer.opts.Spans == nil {
		return
	}
	s := &pageSpans{p: p, span: page, start: time.Now(), pending: map[string][]browserRequest{}}
	if prov := p.tracer.spanProvider(); prov != nil && page.ctx.Sampled {
		s.live = p.tracer.startOTelSpan(prov, page, pageSpanName, trace.SpanKindInternal, s.start,
			p.tracer.appendK6Attributes([]attribute.KeyValue{attribute.String("k6.browser.mode", p.opts.Mode.String())}))
	}
	p.spans = s
	p.vu.openPage(s)
	if state := p.vu.State(); state != nil {
		k6Browser.pageOpened(state.VUID, s)
	}
}

// requestKey keys a pending request: the page's events and its route
// handler see different objects for one request, with no id in common.
// Two requests of one method and URL at once may swap their spans, whose
// times then differ by as much as the two requests'.
func requestKey(method, rawURL string) string { return method + " " + rawURL }

// sent records req, to rawURL, which the page is sending now, with the
// span its headers carry (propagated) or the span made for it.
func (s *pageSpans) sent(req *sobek.Object, rawURL string, sp requestTrace, propagated bool) {
	if !isWebURL(rawURL) {
		return
	}
	br := browserRequest{
		sp: sp, start: time.Now(), propagated: propagated,
		resourceType: strings.ToLower(jsvalue.CallString(req, "resourceType")),
	}
	key := requestKey(jsvalue.CallString(req, "method"), rawURL)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended || len(s.pending) >= maxPendingRequests {
		return
	}
	s.pending[key] = append(s.pending[key], br)
}

// take returns and forgets the oldest pending request of method and URL.
func (s *pageSpans) take(method, rawURL string) (browserRequest, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := requestKey(method, rawURL)
	queue := s.pending[key]
	if len(queue) == 0 {
		return browserRequest{}, false
	}
	br := queue[0]
	if len(queue) == 1 {
		delete(s.pending, key)
	} else {
		s.pending[key] = queue[1:]
	}
	return br, true
}

// responded notes the response of the oldest pending request of method
// and URL that has none yet.
func (s *pageSpans) responded(method, rawURL string, status int, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.pending[requestKey(method, rawURL)]
	for i := range queue {
		if queue[i].responded.IsZero() {
			queue[i].responded, queue[i].status = at, status
			return
		}
	}
}

// maxSeenSpans bounds the span ids a page remembers for firstUse.
const maxSeenSpans = 4096

// firstUse reports whether id was not seen before on the page, and notes
// it: in fetch mode a redirect's hops all carry the first hop's span id.
func (s *pageSpans) firstUse(id trace.SpanID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.seen[id]; seen {
		return false
	}
	if s.seen == nil || len(s.seen) >= maxSeenSpans {
		s.seen = map[trace.SpanID]struct{}{} // an old id reused this late is no redirect's
	}
	s.seen[id] = struct{}{}
	return true
}

// child returns a new span under the page span, for a request whose
// headers do not carry it.
func (s *pageSpans) child() requestTrace {
	return requestTrace{ctx: s.p.vu.ids.child(s.span.ctx), parent: s.span.ctx}
}

// handler returns a page event handler that calls fn with the event's
// object and the time it arrived; a failure loses the span, logged once,
// never the page's event.
func (s *pageSpans) handler(what string, fn func(obj *sobek.Object, at time.Time)) func(sobek.FunctionCall) sobek.Value {
	return func(call sobek.FunctionCall) sobek.Value {
		at := time.Now()
		obj, ok := call.Argument(0).(*sobek.Object)
		if !ok {
			return sobek.Undefined()
		}
		defer func() {
			if r := recover(); r != nil {
				s.p.warnSpanOnce(fmt.Errorf("recording a browser %s: %v", what, r))
			}
		}()
		fn(obj, at)
		return sobek.Undefined()
	}
}

// requestSent handles the page's "request" event in static and fetch
// modes, where no route sees the requests. In static mode their headers
// carry the page span's id; in fetch mode a fetch or XHR call's carry its
// own, which the page's script gave it.
func (s *pageSpans) requestSent(req *sobek.Object, _ time.Time) {
	rawURL := jsvalue.CallString(req, "url")
	if !isWebURL(rawURL) {
		return
	}
	if isMainFrameNavigation(req) {
		s.leavingDocument()
		s.navigated(rawURL)
	}
	if s.p.opts.Mode == options.ModeFetch {
		if ctx, ok := s.p.fetchContext(req); ok && s.firstUse(ctx.SpanID) {
			s.sent(req, rawURL, requestTrace{ctx: ctx, parent: s.span.ctx}, true)
			return
		}
		// Not traced by the page's script, or a redirect's next hop,
		// which the browser sends with the first hop's headers.
	}
	s.sent(req, rawURL, s.child(), false)
}

// responseArrived handles the page's "response" event: a response's
// headers arrived. Chromium reports a fetch() whose body the page never
// reads as finished only once it is read, so the response is what ends
// such a request's span when the page ends first.
func (s *pageSpans) responseArrived(resp *sobek.Object, at time.Time) {
	rawURL := jsvalue.CallString(resp, "url")
	if !isWebURL(rawURL) {
		return
	}
	method := "GET"
	if req, err := jsvalue.CallMethod(resp, "request"); err == nil {
		if obj, ok := req.(*sobek.Object); ok {
			method = jsvalue.CallString(obj, "method")
		}
	}
	var status int
	if v, err := jsvalue.CallMethod(resp, "status"); err == nil {
		status = int(v.ToInteger())
	}
	s.responded(method, rawURL, status, at)
}

// isWebURL reports whether a request to rawURL goes over the network:
// data:, blob: and the like have no backend to trace.
func isWebURL(rawURL string) bool {
	return strings.HasPrefix(rawURL, "http://") || strings.HasPrefix(rawURL, "https://")
}

// requestEnded returns the handler of the page's "requestfinished" or
// "requestfailed" event, which hands the request's span over for export.
func (s *pageSpans) requestEnded(failed bool) func(*sobek.Object, time.Time) {
	return func(req *sobek.Object, end time.Time) { s.finishRequest(req, end, failed) }
}

// finishRequest hands over the span of req, which ended at end.
func (s *pageSpans) finishRequest(req *sobek.Object, end time.Time, failed bool) {
	rawURL := jsvalue.CallString(req, "url")
	if !isWebURL(rawURL) {
		return
	}
	method := jsvalue.CallString(req, "method")
	br, ok := s.take(method, rawURL)
	if !ok {
		// Not seen going out: served without the network (memory cache,
		// service worker), or sent before instrumentBrowser.
		br = browserRequest{sp: s.child(), start: end}
	}
	attrs := s.requestAttributes(req, br)
	r := request{method: method, url: rawURL}
	if !failed {
		var out spanOutcome
		if br.status > 0 {
			out = failureOf(br.status, 0, "")
		}
		s.finish(finishedRequest{br: br, r: r, end: end, out: out, attrs: attrs})
		return
	}
	errText := "request failed"
	if f, err := jsvalue.CallMethod(req, "failure"); err == nil {
		if obj, ok := f.(*sobek.Object); ok {
			if t := obj.Get("errorText"); t != nil && !sobek.IsUndefined(t) && t.String() != "" {
				errText = t.String()
			}
		}
	}
	out := spanOutcome{errorType: errText, errorText: errText}
	if br.status > 0 {
		out.status = br.status
	}
	s.finish(finishedRequest{br: br, r: r, end: end, out: out, attrs: attrs})
}

// requestAttributes returns the browser's attributes of a request span:
// its resource type, its frame, and whether its headers carried it.
func (s *pageSpans) requestAttributes(req *sobek.Object, br browserRequest) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 3)
	rtype := br.resourceType
	if rtype == "" {
		rtype = strings.ToLower(jsvalue.CallString(req, "resourceType"))
	}
	if rtype != "" {
		attrs = append(attrs, attribute.String("k6.browser.resource_type", rtype))
	}
	if frame, err := jsvalue.CallMethod(req, "frame"); err == nil {
		if obj, ok := frame.(*sobek.Object); ok {
			if u := jsvalue.CallString(obj, "url"); u != "" {
				attrs = append(attrs, attribute.String("k6.browser.frame.url", redactedURL(u)))
			}
		}
	}
	return append(attrs, attribute.Bool("k6.browser.propagated", br.propagated))
}

// unseenAttributes are the attributes of a request whose end the page
// never reported: those its route handler knew.
func (s *pageSpans) unseenAttributes(br browserRequest) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 2)
	if br.resourceType != "" {
		attrs = append(attrs, attribute.String("k6.browser.resource_type", br.resourceType))
	}
	return append(attrs, attribute.Bool("k6.browser.propagated", br.propagated))
}

// redactedURL returns rawURL with its credentials replaced.
func redactedURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	return redacted(u, rawURL)
}

// export exports a request's CLIENT span, named by its method as the HTTP
// client conventions name a span without a URL template.
func (s *pageSpans) export(br browserRequest, r request, end time.Time, out spanOutcome, attrs []attribute.KeyValue) {
	if !br.sp.ctx.Sampled {
		return
	}
	prov := s.p.tracer.spanProvider()
	if prov == nil {
		return
	}
	s.p.tracer.exportRequestSpan(prov, br.sp, r.method, r, br.start, end, out, attrs...)
}

// navigated notes the main frame's new document, for the page span.
func (s *pageSpans) navigated(rawURL string) {
	s.mu.Lock()
	s.url = rawURL
	s.mu.Unlock()
}

// end ends the page span at end, once, and exports the spans of its
// requests, with the browser's times where timings has them. Requests
// still pending end with it: at their response, when it came (a fetch()
// whose body the page never read), else as cut short.
func (s *pageSpans) end(end time.Time, why string, timings resourceTimings) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	pending := s.pending
	s.pending = nil
	finished := s.finished
	s.finished = nil
	pageURL := s.url
	s.mu.Unlock()
	if state := s.p.vu.State(); state != nil {
		k6Browser.pageClosed(state.VUID, s)
	}
	for key, queue := range pending {
		method, rawURL, _ := strings.Cut(key, " ")
		for _, br := range queue {
			f := finishedRequest{br: br, r: request{method: method, url: rawURL}, end: end, attrs: s.unseenAttributes(br)}
			if !br.responded.IsZero() {
				f.end, f.out = br.responded, failureOf(br.status, 0, "")
			} else {
				f.out = spanOutcome{errorType: "_OTHER", errorText: "no response before the page span ended: " + why}
			}
			finished = append(finished, f)
		}
	}
	s.exportFinished(finished, timings)
	if s.live == nil {
		return
	}
	if pageURL != "" {
		s.live.SetAttributes(attribute.String("url.full", redactedURL(pageURL)))
	}
	s.live.End(trace.WithTimestamp(end))
}

// isEnded reports whether the page span ended.
func (s *pageSpans) isEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}

// wrapClose makes the page object's close() tell the page's tracing: in
// fetch mode, that the page is closed (see claimFetchPage); with spans,
// it reads the document's timings first, then closes the page, then ends
// the page span. k6 has no page "close" event; a page closed another way
// (its context's or browser's close) ends its span with the iteration,
// with the event loop's times.
func (p *pageTracer) wrapClose() {
	if p.spans == nil && p.opts.Mode != options.ModeFetch {
		return
	}
	closed := p.vu.fetchPage.closed
	if p.opts.Mode != options.ModeFetch || p.opts.TraceScope == options.ScopeIteration {
		closed = nil
	}
	page := p.page
	closePage, ok := sobek.AssertFunction(page.Get("close"))
	if !ok {
		return
	}
	rt := p.vu.Runtime()
	s := p.spans
	fetchMode := p.opts.Mode == options.ModeFetch
	wrapped := func(call sobek.FunctionCall) sobek.Value {
		if closed != nil {
			closed.Store(true)
		}
		if fetchMode {
			p.retireFetchScript()
		}
		if s == nil {
			v, err := closePage(call.This, call.Arguments...)
			if err != nil {
				panic(err)
			}
			return v
		}
		if u := jsvalue.CallString(page, "url"); isWebURL(u) {
			s.navigated(u)
		}
		this, args := call.This, call.Arguments
		promise, resolve, reject := promises.New(p.vu)
		s.readTimings(func(timings resourceTimings) {
			v, err := closePage(this, args...)
			if err != nil {
				s.end(time.Now(), "page.close() threw", timings)
				reject(err)
				return
			}
			jsvalue.Observe(rt, v, func(fulfilled bool, result sobek.Value) {
				s.end(time.Now(), "page.close()", timings)
				if fulfilled {
					resolve(result)
				} else {
					reject(result)
				}
			})
		})
		return rt.ToValue(promise)
	}
	_ = page.Set("close", wrapped)
}

// addWebVital adds a web vital k6 measured to the page span: an event
// when it was reported, and its latest value as attributes.
func (s *pageSpans) addWebVital(w webVital) {
	if s.live == nil {
		return
	}
	name := strings.ToLower(w.name)
	s.live.AddEvent("web_vital", trace.WithTimestamp(w.at), trace.WithAttributes(
		attribute.String("web_vital.name", w.name),
		attribute.Float64("web_vital.value", w.value),
		attribute.String("web_vital.rating", w.rating),
	))
	s.live.SetAttributes(
		attribute.Float64("web_vital."+name, w.value),
		attribute.String("web_vital."+name+".rating", w.rating),
	)
}

// listen registers the page's event handlers the spans need.
func (s *pageSpans) listen() error {
	rt := s.p.vu.Runtime()
	events := []struct {
		name    string
		handler func(sobek.FunctionCall) sobek.Value
	}{
		{"response", s.handler("response", s.responseArrived)},
		{"requestfinished", s.handler("request's end", s.requestEnded(false))},
		{"requestfailed", s.handler("request's end", s.requestEnded(true))},
	}
	if s.p.opts.Mode != options.ModeRoute {
		events = append(events, struct {
			name    string
			handler func(sobek.FunctionCall) sobek.Value
		}{"request", s.handler("request", s.requestSent)})
	}
	for _, e := range events {
		if _, err := jsvalue.CallMethod(s.p.page, "on", rt.ToValue(e.name), rt.ToValue(e.handler)); err != nil {
			return fmt.Errorf("page.on(%q): %w", e.name, err)
		}
	}
	return nil
}

// contextOfSpan is an OpenTelemetry span context as a propagation
// context.
func contextOfSpan(sc trace.SpanContext) propagation.Context {
	return propagation.Context{
		TraceID: sc.TraceID(), SpanID: sc.SpanID(), Sampled: sc.IsSampled(),
		Random: sc.TraceFlags()&trace.FlagsRandom != 0, TraceState: sc.TraceState().String(),
	}
}
