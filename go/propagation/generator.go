package propagation

import "time"

// Generator makes the trace contexts of one VU's requests. It is not safe
// for concurrent use: each VU owns one, as it owns its JS runtime.
type Generator struct {
	src     Source
	sampler Sampler
	code    int64
	clock   wallClock
}

// NewGenerator returns a generator drawing from src, with k6-layout trace
// ids of the given origin code ([LocalCode] or [CloudCode]).
func NewGenerator(src Source, code int64, sampler Sampler) *Generator {
	return &Generator{src: src, sampler: sampler, code: code, clock: newWallClock()}
}

// SetSampler replaces the sampler, for a client that is reconfigured.
func (g *Generator) SetSampler(s Sampler) { g.sampler = s }

// NewTrace returns the context of the first span of a new trace: a fresh
// trace id, a fresh span id and the sampler's decision.
func (g *Generator) NewTrace() Context {
	return Context{
		TraceID: NewK6TraceID(g.code, g.clock.unixNano(), g.src),
		SpanID:  NewSpanID(g.src),
		Sampled: g.sampler.Sample(g.src),
	}
}

// Child returns the context of a new span in parent's trace: the same trace
// id and sampling decision, and a fresh span id.
func (g *Generator) Child(parent Context) Context {
	parent.SpanID = NewSpanID(g.src)
	return parent
}

// wallClock tells Unix nanoseconds with one clock read per call: the wall
// time when it was made plus the monotonic time since. time.Now reads both
// the wall and the monotonic clock on every call, which costs about twice
// as much on a path every request takes. Should the system clock be set
// during a test, the ids keep counting from the old setting, which only
// matters to a reader of the time field, not to uniqueness.
type wallClock struct {
	start     time.Time
	startNano int64
}

func newWallClock() wallClock {
	now := time.Now()
	return wallClock{start: now, startNano: now.UnixNano()}
}

func (w wallClock) unixNano() int64 {
	return w.startNano + int64(time.Since(w.start))
}
