package propagation

import "go.opentelemetry.io/otel/trace"

// Context is the trace context of one outgoing request: the trace it belongs
// to, the span that stands for the request, and the sampling decision.
type Context struct {
	TraceID trace.TraceID
	SpanID  trace.SpanID
	Sampled bool
}

// Flags returns the W3C trace flags of c.
func (c Context) Flags() trace.TraceFlags {
	if c.Sampled {
		return trace.FlagsSampled
	}
	return 0
}

// IsValid reports whether both ids are non-zero, as every format requires.
func (c Context) IsValid() bool {
	return c.TraceID.IsValid() && c.SpanID.IsValid()
}
