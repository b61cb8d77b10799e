package tracing

import (
	"sync"
	"time"

	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// vuScope is what the tracers of one VU share about its current
// iteration: the iteration's trace, under traceScope "iteration", and the
// spans the script made active (withSpan, groups), innermost last. Scripts
// read and change it on the VU's goroutine; k6's iteration events arrive
// on another one while the VU waits for them, hence the lock.
type vuScope struct {
	mu        sync.Mutex
	iteration int64 // the iteration the fields below belong to
	valid     bool
	// started is when the iteration began, from k6's IterStart event;
	// zero when no event was seen for it.
	started time.Time
	// root is the iteration trace's root span; zero until first used.
	root      propagation.Context
	rootStart time.Time
	// rootExporter exports the root span at the iteration's end: the
	// first tracer with spans on that used the iteration trace.
	rootExporter *tracer
	active       []*scriptSpan
}

// at makes the scope belong to iteration, forgetting an earlier one's.
// s.mu must be held.
func (s *vuScope) at(iteration int64) {
	if s.valid && s.iteration == iteration {
		return
	}
	s.iteration, s.valid = iteration, true
	s.started, s.root, s.rootStart, s.rootExporter, s.active = time.Time{}, propagation.Context{}, time.Time{}, nil, nil
}

// iterationRoot returns the root span of the iteration's trace, which t
// starts on first use.
func (s *vuScope) iterationRoot(t *tracer, iteration int64) propagation.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rootLocked(t, iteration)
}

func (s *vuScope) rootLocked(t *tracer, iteration int64) propagation.Context {
	s.at(iteration)
	if !s.root.TraceID.IsValid() {
		s.root = t.newTrace()
		s.rootStart = s.started
		if s.rootStart.IsZero() {
			s.rootStart = time.Now()
		}
	}
	if s.rootExporter == nil && t.opts.Spans != nil {
		s.rootExporter = t
	}
	return s.root
}

// parent returns what a new span of t has for parent when its request
// continues no caller's trace: the innermost active span, else the
// iteration's root under traceScope "iteration"; nil for a new trace.
// setup(), teardown() and handleSummary run outside any scenario, where k6
// announces no iteration whose root span could be exported: there each
// request has a trace of its own, rooted at its span, as in request scope.
func (s *vuScope) parent(t *tracer, iteration int64) *propagation.Context {
	if t.opts.TraceScope != options.ScopeIteration && len(s.active) == 0 {
		return nil // the common case needs no lock: only this goroutine appends
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at(iteration)
	if n := len(s.active); n > 0 {
		ctx := s.active[n-1].ctx
		return &ctx
	}
	if t.opts.TraceScope != options.ScopeIteration || scenarioName(t.vu) == "" {
		return nil
	}
	root := s.rootLocked(t, iteration)
	return &root
}

// push makes sp the innermost active span of iteration.
func (s *vuScope) push(sp *scriptSpan, iteration int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at(iteration)
	s.active = append(s.active, sp)
}

// remove deactivates sp wherever it is in the stack: async spans may
// settle in any order.
func (s *vuScope) remove(sp *scriptSpan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.active) - 1; i >= 0; i-- {
		if s.active[i] == sp {
			s.active = append(s.active[:i], s.active[i+1:]...)
			return
		}
	}
}

// iterationStarted records when iteration began.
func (s *vuScope) iterationStarted(iteration int64, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.at(iteration)
	s.started = at
}

// iterationEnded returns the root span to export for iteration, if one
// was started and a tracer with spans on used it, and forgets the
// iteration's active spans.
func (s *vuScope) iterationEnded(iteration int64) (root propagation.Context, start time.Time, exporter *tracer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.valid || s.iteration != iteration {
		return propagation.Context{}, time.Time{}, nil
	}
	root, start, exporter = s.root, s.rootStart, s.rootExporter
	s.active = nil
	s.rootExporter = nil
	return root, start, exporter
}
