package propagation

import (
	"slices"
	"strings"
)

// Format is one wire format of trace context: a header name and the rules to
// write and read its value.
type Format uint8

// The formats this package speaks.
const (
	W3C Format = iota + 1
	Jaeger
)

// formatNames maps each accepted name, OpenTelemetry's OTEL_PROPAGATORS
// aliases included, to its format.
var formatNames = map[string]Format{
	"w3c":          W3C,
	"tracecontext": W3C,
	"jaeger":       Jaeger,
}

// ParseFormat returns the format with the given name (case-insensitive).
func ParseFormat(name string) (Format, bool) {
	f, ok := formatNames[strings.ToLower(name)]
	return f, ok
}

// FormatNames returns every accepted name, sorted, for error messages.
func FormatNames() []string {
	names := make([]string, 0, len(formatNames))
	for name := range formatNames {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// String returns the canonical name of f.
func (f Format) String() string {
	switch f {
	case W3C:
		return "w3c"
	case Jaeger:
		return "jaeger"
	}
	return "unknown"
}

// Header returns the lower-case name of the header f writes.
func (f Format) Header() string {
	switch f {
	case W3C:
		return TraceparentHeader
	case Jaeger:
		return UberTraceIDHeader
	}
	return ""
}

// Value returns the header value of c in format f.
func (f Format) Value(c Context) string {
	switch f {
	case W3C:
		return FormatTraceparent(c)
	case Jaeger:
		return FormatUberTraceID(c)
	}
	return ""
}

// Parse reads a header value in format f; ok is false for invalid input.
func (f Format) Parse(value string) (Context, bool) {
	switch f {
	case W3C:
		return ParseTraceparent(value)
	case Jaeger:
		return ParseUberTraceID(value)
	}
	return Context{}, false
}
