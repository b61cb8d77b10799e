package explain

import "time"

// Span is one span of a trace, as a backend returned it: ids as lower-case
// hex, times on the wall clock.
type Span struct {
	TraceID  string
	SpanID   string
	ParentID string // "" for a root
	Service  string // the resource's service.name
	Name     string
	Kind     string // "server", "client", "internal", "producer", "consumer", "" when unspecified
	Start    time.Time
	End      time.Time
	// Error is set for a span whose status is ERROR; StatusMessage is its
	// description.
	Error         bool
	StatusMessage string
}

// Duration is the span's length; zero for a span that ends before it starts.
func (s Span) Duration() time.Duration {
	if s.End.Before(s.Start) {
		return 0
	}
	return s.End.Sub(s.Start)
}
