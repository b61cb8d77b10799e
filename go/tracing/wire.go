package tracing

import (
	"net/http"
	"sync"
	"sync/atomic"

	"go.k6.io/k6/v2/lib"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// wireInjector is the innermost http.RoundTripper of one VU: while a traced
// call runs, it writes the trace header straight into each outgoing
// request's header map. That spares k6 a params object to parse on every
// request, which costs more than everything else tracing does. k6 keeps the
// same header map as the response's request.headers, so scripts still see
// the header they sent.
type wireInjector struct {
	next   http.RoundTripper
	state  *lib.State // the VU state whose transport w wraps
	active atomic.Pointer[activeTrace]
}

// traceHeaderKeys are the canonical names of every header a format writes:
// a request that already has one (a Client of another format, an
// asyncRequest traced through its params) is left alone.
var traceHeaderKeys = []string{
	http.CanonicalHeaderKey(propagation.TraceparentHeader),
	http.CanonicalHeaderKey(propagation.UberTraceIDHeader),
}

// RoundTrip adds the active trace's header when the request has none.
func (w *wireInjector) RoundTrip(req *http.Request) (*http.Response, error) {
	if a := w.active.Load(); a != nil && req.Header != nil && !hasWireTraceHeader(req.Header) {
		req.Header[a.key] = []string{a.nextValue()}
	}
	return w.next.RoundTrip(req)
}

func hasWireTraceHeader(h http.Header) bool {
	for _, k := range traceHeaderKeys {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// activeTrace is the trace of the traced call in progress: the first
// request gets the precomputed header, further ones (the rest of a batch)
// a new span in the same trace. Batch requests run concurrently, hence the
// lock around the VU's generator.
type activeTrace struct {
	key    string
	format propagation.Format
	first  string
	used   atomic.Bool
	trace  propagation.Context
	mu     *sync.Mutex
	gen    *propagation.Generator
}

func (a *activeTrace) nextValue() string {
	if a.used.CompareAndSwap(false, true) {
		return a.first
	}
	a.mu.Lock()
	c := a.gen.Child(a.trace)
	a.mu.Unlock()
	return a.format.Value(c)
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
