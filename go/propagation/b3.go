package propagation

import (
	"strings"

	"go.opentelemetry.io/otel/trace"
)

// B3 header names (https://github.com/openzipkin/b3-propagation), lower-case
// as the specification writes them for case-sensitive transports.
const (
	// B3Header is the single-header encoding.
	B3Header = "b3"
	// The multi-header encoding.
	B3TraceIDHeader      = "x-b3-traceid"
	B3SpanIDHeader       = "x-b3-spanid"
	B3ParentSpanIDHeader = "x-b3-parentspanid"
	B3SampledHeader      = "x-b3-sampled"
	B3FlagsHeader        = "x-b3-flags"
)

// b3Len is the length of the longest b3 value we write:
// 32 hex + "-" + 16 hex + "-" + the sampling state.
const b3Len = 32 + 1 + 16 + 1 + 1

// FormatB3 returns the single-header B3 value of c,
// "{trace-id}-{span-id}-{state}", with a single allocation. The trace id
// always has 32 digits; the state is "d" for debug, "1" or "0", and is left
// out when the decision is deferred, as the specification says. The parent
// span id is optional and not written: a span id is all a receiver needs.
func FormatB3(c Context) string {
	var buf [b3Len]byte
	encodeHex(buf[0:32], c.TraceID[:])
	buf[32] = '-'
	encodeHex(buf[33:49], c.SpanID[:])
	state := b3State(c)
	if state == 0 {
		return string(buf[:49])
	}
	buf[49], buf[50] = '-', state
	return string(buf[:])
}

// b3State returns the sampling-state character of c, 0 for deferred.
func b3State(c Context) byte {
	switch {
	case c.Debug:
		return 'd'
	case c.Sampled:
		return '1'
	case c.Deferred:
		return 0
	}
	return '0'
}

// ParseB3 parses a single-header B3 value:
// "{trace-id}-{span-id}[-{state}[-{parent-span-id}]]", or a state alone
// ("0", "1", "d"), which is a sampling decision without ids (SamplingOnly).
// The state is exactly one of "0", "1" and "d" ("true" is a multi-header
// leniency the single header never had); a missing state defers the decision.
// Invalid input yields NotFound, never an error.
//
// Hex must be lower-case: the specification says "lower-hex", and
// OpenTelemetry Go's b3 propagator and Zipkin's Brave both reject upper-case
// ids. B3 ids are compared as strings by Zipkin, so normalising an upper-case
// id would silently continue a different trace than the caller named.
func ParseB3(s string) (c Context, found Found) {
	if len(s) == 1 {
		sampled, debug, ok := parseB3State(s)
		if !ok {
			return Context{}, NotFound
		}
		c.decision(sampled, debug, false)
		return c, SamplingOnly
	}
	traceID, rest, _ := strings.Cut(s, "-")
	spanID, rest, hasState := strings.Cut(rest, "-")
	if !decodeB3TraceID(&c.TraceID, traceID) || !decodeFixedHex(c.SpanID[:], spanID) || !c.IsValid() {
		return Context{}, NotFound
	}
	if !hasState {
		c.decision(false, false, true)
		return c, Valid
	}
	state, parent, hasParent := strings.Cut(rest, "-")
	sampled, debug, ok := parseB3State(state)
	if !ok || (hasParent && !validParentSpanID(parent)) {
		return Context{}, NotFound
	}
	c.decision(sampled, debug, false)
	return c, Valid
}

// parseB3State reads a single-header sampling state.
func parseB3State(s string) (sampled, debug, ok bool) {
	switch s {
	case "1":
		return true, false, true
	case "0":
		return false, false, true
	case "d":
		return true, true, true
	}
	return false, false, false
}

// decodeB3TraceID decodes a 16- or 32-digit lower-case trace id; a 64-bit
// id fills the right-most 8 bytes, as B3 and OpenTelemetry pad it.
func decodeB3TraceID(id *trace.TraceID, s string) bool {
	if len(s) == 16 {
		*id = trace.TraceID{}
		return decodeFixedHex(id[8:], s)
	}
	return decodeFixedHex(id[:], s)
}

// validParentSpanID reports whether s is a valid B3 parent span id: 16
// lower-case digits, not all zero. We do not use the parent, but a header
// with a bad one is corrupt, so the whole context is dropped, as
// OpenTelemetry Go and Brave do.
func validParentSpanID(s string) bool {
	var id trace.SpanID
	return decodeFixedHex(id[:], s) && id.IsValid()
}

// b3Codec writes the single header and reads it, or else the X-B3-*
// headers, as OpenTelemetry's B3 propagator and Zipkin's own do: a caller
// that sends the multi form is continued, and its headers, listed among
// the fields, are replaced rather than left to contradict ours.
var b3Codec = codec{
	name:   "b3",
	fields: append([]string{B3Header}, b3MultiFields...),
	inject: func(c Context, _ *Baggage, set Setter) {
		set.Set(B3Header, FormatB3(c))
	},
	extract: func(get Getter) (Context, Found) {
		if c, found := ParseB3(get.Get(B3Header)); found != NotFound {
			return c, found
		}
		return extractB3Multi(get)
	},
}
