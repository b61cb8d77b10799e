package tracing

import (
	"net/http"
	"time"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// hopSpan is a redirect hop of a traced synchronous request: Go sends it
// without the headers k6 wrote, so the wire injector gives it a span of
// its own, a child of the request's, which the backend's span of that hop
// names as its parent.
type hopSpan struct {
	ctx        propagation.Context
	req        request
	start, end time.Time
	resp       *http.Response
	err        error
}

func (a *activeTrace) addHop(h hopSpan) {
	a.hopsMu.Lock()
	a.hops = append(a.hops, h)
	a.hopsMu.Unlock()
}

// exportHops exports the hops' CLIENT spans, children of the request's.
func (a *activeTrace) exportHops() {
	a.hopsMu.Lock()
	hops := a.hops
	a.hops = nil
	a.hopsMu.Unlock()
	if len(hops) == 0 {
		return
	}
	t := a.call.exporter
	if t == nil {
		return
	}
	p := t.spanProvider()
	if p == nil {
		return
	}
	for _, h := range hops {
		var out spanOutcome
		switch {
		case h.err != nil:
			out = failureOf(0, 0, h.err.Error())
		case h.resp != nil:
			out = failureOf(h.resp.StatusCode, 0, "")
		}
		h.req.group = a.group
		t.exportRequestSpan(p, span{ctx: h.ctx, parent: a.call.span.ctx}, h.req.method, h.req, h.start, h.end, out)
	}
}
