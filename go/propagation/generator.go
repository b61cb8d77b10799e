package propagation

import (
	"time"

	"go.opentelemetry.io/otel/trace"
)

// Generator makes trace contexts from one random source. It is not safe
// for concurrent use: its owner serializes the calls (the k6 module keeps
// one per VU behind a lock).
type Generator struct {
	src   Source
	code  int64
	clock wallClock
}

// NewGenerator returns a generator drawing from src, with k6-layout trace
// ids of the given code ([LocalCode] or [CloudCode]).
func NewGenerator(src Source, code int64) *Generator {
	return &Generator{src: src, code: code, clock: newWallClock()}
}

// NewTrace returns the context of the first span of a new trace: a fresh
// trace id of the given layout, a fresh span id and sampler's decision.
// Random and X-Ray ids set the W3C random flag: their right-most 7 bytes
// are random.
func (g *Generator) NewTrace(layout Layout, sampler Sampler) Context {
	c := Context{Random: layout != LayoutK6}
	switch layout {
	case LayoutRandom:
		c.TraceID = NewRandomTraceID(g.src)
	case LayoutXRay:
		c.TraceID = NewXRayTraceID(g.clock.unixNano()/1e9, g.src)
	default:
		c.TraceID = NewK6TraceID(g.code, g.clock.unixNano(), g.src)
	}
	c.SpanID = NewSpanID(g.src)
	c.Sampled = sampler.Sample(g.src)
	return c
}

// NewSampled returns a new trace with the given decision instead of a
// sampler's: a caller sent a sampling decision without ids ("b3: 0").
func (g *Generator) NewSampled(layout Layout, sampled, debug bool) Context {
	c := g.NewTrace(layout, Sampler{})
	c.decision(sampled, debug, false)
	return c
}

// SpanID returns a fresh span id.
func (g *Generator) SpanID() trace.SpanID { return NewSpanID(g.src) }

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
