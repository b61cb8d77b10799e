package propagation

import "strings"

// b3MultiFields are the X-B3-* headers: those we write, and the parent
// span id, which we read and replace.
var b3MultiFields = []string{B3TraceIDHeader, B3SpanIDHeader, B3SampledHeader, B3FlagsHeader, B3ParentSpanIDHeader}

var b3MultiCodec = codec{
	name:    "b3multi",
	fields:  b3MultiFields,
	inject:  injectB3Multi,
	extract: extractB3Multi,
}

// injectB3Multi writes the X-B3-* headers of c. Debug is sent as
// "x-b3-flags: 1" without x-b3-sampled ("Debug implies an accept decision,
// so don't also send the X-B3-Sampled header"); a deferred decision sends
// neither. The parent span id is optional and not written.
func injectB3Multi(c Context, _ *Baggage, set Setter) {
	set.Set(B3TraceIDHeader, hexString(c.TraceID[:]))
	set.Set(B3SpanIDHeader, hexString(c.SpanID[:]))
	switch {
	case c.Debug:
		set.Set(B3FlagsHeader, "1")
	case c.Sampled:
		set.Set(B3SampledHeader, "1")
	case !c.Deferred:
		set.Set(B3SampledHeader, "0")
	}
}

// extractB3Multi reads the X-B3-* headers. Ids follow the single header's
// rules ([ParseB3]): 16- or 32-digit lower-case trace id, 16-digit span id,
// both or neither, and a parent span id only with them. x-b3-sampled is
// "1" or "0", and "true" or "false" in any case, the legacy values the
// specification lets a lenient reader accept (OpenTelemetry Go does);
// anything else voids the headers. "x-b3-flags: 1" means debug and wins
// over x-b3-sampled; other flag values are ignored, as no implementation
// treats the field as a bit set. A decision without ids is SamplingOnly.
func extractB3Multi(get Getter) (Context, Found) {
	var sampled, deferred bool
	switch v := firstValue(get.Get(B3SampledHeader)); {
	case v == "":
		deferred = true
	case v == "1" || strings.EqualFold(v, "true"):
		sampled = true
	case v == "0" || strings.EqualFold(v, "false"):
	default:
		return Context{}, NotFound
	}
	debug := firstValue(get.Get(B3FlagsHeader)) == "1"
	traceID := firstValue(get.Get(B3TraceIDHeader))
	spanID := firstValue(get.Get(B3SpanIDHeader))
	parent := firstValue(get.Get(B3ParentSpanIDHeader))

	var c Context
	if traceID == "" && spanID == "" {
		if parent != "" || (deferred && !debug) {
			return Context{}, NotFound
		}
		c.decision(sampled, debug, false)
		return c, SamplingOnly
	}
	if !decodeB3TraceID(&c.TraceID, traceID) || !decodeFixedHex(c.SpanID[:], spanID) || !c.IsValid() ||
		(parent != "" && !validParentSpanID(parent)) {
		return Context{}, NotFound
	}
	c.decision(sampled, debug, deferred)
	return c, Valid
}

// firstValue returns the first of the comma-joined values of a repeated
// header, without surrounding blanks: "when extracting state headers, the
// first value wins" (B3 specification), and a Getter joins repeated
// headers with commas as HTTP does. No B3 value contains a comma.
func firstValue(s string) string {
	if i := strings.IndexByte(s, ','); i >= 0 {
		s = s[:i]
	}
	return strings.Trim(s, " \t")
}
