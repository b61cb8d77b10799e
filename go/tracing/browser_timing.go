package tracing

import (
	"math"
	"sort"
	"sync"
	"time"

	"github.com/grafana/sobek"
	"go.opentelemetry.io/otel/attribute"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// A request span's times come first from the page's events, as the VU's
// event loop receives them: later than the browser's own by the time the
// loop was busy, often tens of milliseconds while a page loads. The
// browser's Resource Timing entries (and its navigation entry) have the
// real times, on the same wall clock, for every request of a document but
// those that failed. So the spans of a document's requests wait, and
// before the page span ends (page.close()), or before the main frame
// leaves the document, one page.evaluate reads the entries, and each span
// whose entry is found gets its times: start, then the end of the
// response. Spans whose entry is missing (a failed request, an iframe's
// sub-resources, a document left before it could be read, the end of an
// iteration without page.close()) keep the event loop's times; the
// attribute k6.browser.timing says which each span has.

// timingsWait bounds the wait for the page's entries before page.close()
// goes on: a page that cannot answer (a dialog open, a renderer hung)
// must not hold its close up.
const timingsWait = 2 * time.Second

// maxFinishedRequests bounds the spans waiting for their page's entries:
// beyond it, spans go out with the event loop's times.
const maxFinishedRequests = 10_000

// timingMatchWindow is how far an entry's start may be from the span's
// own, for the entry to be that request's.
const timingMatchWindow = 3 * time.Second

// Values of k6.browser.timing.
const (
	timingBrowser   = "browser"    // from the browser's Resource Timing or navigation entry
	timingEventLoop = "event_loop" // when the VU's event loop saw the request's events
)

// readTimingsJS returns the document's navigation and resource entries as
// [url, startTime, responseEnd], with the time origin they are relative to.
const readTimingsJS = `(() => {
	const out = { origin: performance.timeOrigin, entries: [] };
	for (const e of performance.getEntriesByType("navigation")) {
		out.entries.push([e.name, e.fetchStart, e.responseEnd]);
	}
	for (const e of performance.getEntriesByType("resource")) {
		out.entries.push([e.name, e.startTime, e.responseEnd]);
	}
	return out;
})`

// finishedRequest is a request span ready for export, waiting for its
// document's entries.
type finishedRequest struct {
	br    browserRequest
	r     request
	end   time.Time
	out   spanOutcome
	attrs []attribute.KeyValue
}

// timingEntry is one entry of the document: when its request started and
// when its response ended.
type timingEntry struct {
	start, end time.Time
	used       bool
}

// resourceTimings are a document's entries by URL, oldest first.
type resourceTimings map[string][]*timingEntry

// parseTimings reads what readTimingsJS returned; nil when it is not that.
func parseTimings(v sobek.Value) resourceTimings {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	origin := obj.Get("origin")
	if origin == nil || sobek.IsUndefined(origin) {
		return nil
	}
	base := origin.ToFloat()
	items, ok := jsvalue.Items(obj.Get("entries"))
	if !ok || math.IsNaN(base) || base <= 0 {
		return nil
	}
	at := func(ms float64) time.Time {
		return time.UnixMicro(int64(math.Round((base + ms) * 1000)))
	}
	timings := resourceTimings{}
	for _, item := range items {
		fields, ok := jsvalue.Items(item)
		if !ok || len(fields) != 3 {
			continue
		}
		start, end := fields[1].ToFloat(), fields[2].ToFloat()
		if math.IsNaN(start) || math.IsNaN(end) || start < 0 || end < start {
			continue // a request not over yet has no responseEnd
		}
		url := fields[0].String()
		timings[url] = append(timings[url], &timingEntry{start: at(start), end: at(end)})
	}
	for _, list := range timings {
		sort.Slice(list, func(i, j int) bool { return list[i].start.Before(list[j].start) })
	}
	return timings
}

// apply gives f the times of its request's entry, if the document has
// one, and says which times f has.
func (t resourceTimings) apply(f *finishedRequest) {
	source := timingEventLoop
	for _, e := range t[f.r.url] {
		if e.used || e.start.Sub(f.br.start).Abs() > timingMatchWindow {
			continue
		}
		e.used = true
		f.br.start, f.end = e.start, e.end
		source = timingBrowser
		break
	}
	f.attrs = append(f.attrs, attribute.String("k6.browser.timing", source))
}

// finish hands a request span over, to wait for its document's entries,
// or to go out now when the page span is over or too many wait.
func (s *pageSpans) finish(f finishedRequest) {
	s.mu.Lock()
	if !s.ended && len(s.finished) < maxFinishedRequests {
		s.finished = append(s.finished, f)
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	s.exportFinished([]finishedRequest{f}, nil)
}

// exportFinished exports spans, with the document's entries' times where
// timings has them.
func (s *pageSpans) exportFinished(list []finishedRequest, timings resourceTimings) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].br.start.Before(list[j].br.start) })
	for i := range list {
		f := &list[i]
		timings.apply(f)
		s.export(f.br, f.r, f.end, f.out, f.attrs)
	}
}

// takeFinished returns the spans waiting, and forgets them.
func (s *pageSpans) takeFinished() []finishedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.finished
	s.finished = nil
	return list
}

// readTimings reads the current document's entries and calls done with
// them (nil when the page did not answer) on the VU's event loop, once,
// within timingsWait. It runs on the VU's event loop.
func (s *pageSpans) readTimings(done func(resourceTimings)) {
	rt := s.p.vu.Runtime()
	fn, err := rt.RunString(readTimingsJS)
	if err != nil {
		done(nil)
		return
	}
	pending, err := jsvalue.CallMethod(s.p.page, "evaluate", fn)
	if err != nil {
		done(nil)
		return
	}
	enqueue := s.p.vu.RegisterCallback()
	var once sync.Once
	settle := func(timings resourceTimings) {
		once.Do(func() {
			enqueue(func() error {
				done(timings)
				return nil
			})
		})
	}
	timer := time.AfterFunc(timingsWait, func() { settle(nil) })
	jsvalue.Observe(rt, pending, func(fulfilled bool, v sobek.Value) {
		timer.Stop()
		if !fulfilled {
			settle(nil)
			return
		}
		settle(parseTimings(v))
	})
}

// leavingDocument is called as the main frame starts a navigation: the
// spans of the document it leaves get its entries, read while it is
// still there, and go out.
func (s *pageSpans) leavingDocument() {
	left := s.takeFinished()
	if len(left) == 0 {
		return
	}
	s.readTimings(func(timings resourceTimings) { s.exportFinished(left, timings) })
}
