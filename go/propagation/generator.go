package propagation

import "time"

// Generator makes the trace contexts of one VU's requests. It is not safe
// for concurrent use: each VU owns one, as it owns its JS runtime.
type Generator struct {
	src     Source
	sampler Sampler
	code    int64
	layout  Layout
	clock   wallClock
}

// NewGenerator returns a generator drawing from src, with k6-layout trace
// ids of the given origin code ([LocalCode] or [CloudCode]).
func NewGenerator(src Source, code int64, sampler Sampler) *Generator {
	return &Generator{src: src, sampler: sampler, code: code, clock: newWallClock()}
}

// SetSampler replaces the sampler, for a client that is reconfigured.
func (g *Generator) SetSampler(s Sampler) { g.sampler = s }

// SetLayout sets how new trace ids are made; [LayoutK6] by default.
func (g *Generator) SetLayout(l Layout) { g.layout = l }

// Layout returns how new trace ids are made.
func (g *Generator) Layout() Layout { return g.layout }

// NewTrace returns the context of the first span of a new trace: a fresh
// trace id, a fresh span id and the sampler's decision. Random and X-Ray
// ids set the W3C random flag: their right-most 7 bytes are random.
func (g *Generator) NewTrace() Context {
	c := Context{Random: g.layout != LayoutK6}
	switch g.layout {
	case LayoutRandom:
		c.TraceID = NewRandomTraceID(g.src)
	case LayoutXRay:
		c.TraceID = NewXRayTraceID(g.clock.unixNano()/1e9, g.src)
	default:
		c.TraceID = NewK6TraceID(g.code, g.clock.unixNano(), g.src)
	}
	c.SpanID = NewSpanID(g.src)
	c.Sampled = g.sampler.Sample(g.src)
	return c
}

// NewSampled returns a new trace with the given decision instead of the
// sampler's: a caller sent a sampling decision without ids ("b3: 0").
func (g *Generator) NewSampled(sampled, debug bool) Context {
	c := g.NewTrace()
	c.decision(sampled, debug, false)
	return c
}

// Child returns the context of a new span in parent's trace: the same trace
// id, sampling decision and tracestate, and a fresh span id.
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
