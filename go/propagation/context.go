package propagation

import "go.opentelemetry.io/otel/trace"

// Context is the trace context of one span: the trace it belongs to, the
// span that stands for the request, and what the formats say about sampling.
type Context struct {
	TraceID trace.TraceID
	SpanID  trace.SpanID
	// Sampled is the sampling decision. Debug (B3 "d", Jaeger flag 2,
	// X-B3-Flags 1, Datadog priority 2) forces it; Deferred means that no
	// decision was made yet (a B3 header without a sampling state, X-Ray
	// "Sampled=?"), which formats without that notion write as not sampled.
	Sampled  bool
	Debug    bool
	Deferred bool
	// Random is the W3C level-2 flag: the trace id's right-most 7 bytes are
	// random ([LayoutRandom] and [LayoutXRay] ids).
	Random bool
	// TraceState is a valid W3C tracestate value, "" for none.
	TraceState string
}

// W3C trace-flags bits.
const (
	flagSampled = 0x01
	flagRandom  = 0x02
)

// Flags returns the W3C trace flags of c.
func (c Context) Flags() trace.TraceFlags {
	var f trace.TraceFlags
	if c.Sampled {
		f |= flagSampled
	}
	if c.Random {
		f |= flagRandom
	}
	return f
}

// IsValid reports whether both ids are non-zero, as every format requires.
func (c Context) IsValid() bool {
	return c.TraceID.IsValid() && c.SpanID.IsValid()
}

// decision sets the sampling fields of c from a format's three states.
func (c *Context) decision(sampled, debug, deferred bool) {
	c.Debug = debug
	c.Sampled = sampled || debug
	c.Deferred = deferred && !c.Sampled
}
