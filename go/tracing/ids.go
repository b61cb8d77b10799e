package tracing

import (
	"sync"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// idSource makes the trace contexts of one VU: it owns the random source
// (a ChaCha8 seeded by the OS), the trace-id code (cloud or local) and the
// clock of k6-layout ids, and the lock that guards them.
//
// The rule: every operation takes the lock, and nothing else touches the
// generator. Most callers run on the VU's goroutine, but not all: the
// wire injector gives a redirect hop its span id on the goroutine that
// sends the request, and k6 sends the requests of a batch, and an
// asyncRequest, from goroutines of their own. The lock is never contended
// on the VU's own path, where it costs a few nanoseconds a request
// (BenchmarkGetTraced), and it is a leaf: nothing is called while it is
// held.
type idSource struct {
	mu  sync.Mutex
	gen *propagation.Generator
}

// newIDSource returns a source of ids drawn from a ChaCha8 seeded by the
// OS, with k6-layout trace ids of code.
func newIDSource(code int64) *idSource {
	return idSourceOf(propagation.NewSource(), code)
}

// idSourceOf returns a source of ids drawn from src.
func idSourceOf(src propagation.Source, code int64) *idSource {
	return &idSource{gen: propagation.NewGenerator(src, code)}
}

// newTrace returns the first span of a new trace, with ids of layout and
// sampler's decision.
func (s *idSource) newTrace(layout propagation.Layout, sampler propagation.Sampler) propagation.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen.NewTrace(layout, sampler)
}

// newSampled returns the first span of a new trace with a caller's
// sampling decision.
func (s *idSource) newSampled(layout propagation.Layout, sampled, debug bool) propagation.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen.NewSampled(layout, sampled, debug)
}

// child returns a new span of parent's trace.
func (s *idSource) child(parent propagation.Context) propagation.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gen.Child(parent)
}
