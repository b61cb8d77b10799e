package propagation

import "strings"

// OpenTracing header names, as OpenTracing's basictracer and OpenTelemetry's
// "ottrace" propagator write them.
const (
	OTTraceIDHeader = "ot-tracer-traceid"
	OTSpanIDHeader  = "ot-tracer-spanid"
	OTSampledHeader = "ot-tracer-sampled"
	// OTBaggagePrefix starts the name of each OpenTracing baggage header.
	OTBaggagePrefix = "ot-baggage-"
)

var otCodec = codec{
	name:    "ot",
	fields:  []string{OTTraceIDHeader, OTSpanIDHeader, OTSampledHeader},
	prefix:  OTBaggagePrefix,
	inject:  injectOT,
	extract: extractOT,
	extractBaggage: func(get Getter, b *Baggage) {
		extractPrefixed(OTBaggagePrefix, otCoding, get, b)
	},
}

// injectOT writes the ot-tracer-* headers of c and one ot-baggage-{key}
// header per member of b.
//
// The trace id is written in full, 32 digits. OpenTelemetry Go's OT
// propagator keeps only the right-most 16 "to interop with systems that use
// the OT header format", but a truncated id names another trace than the
// one our spans, trace_id tags and other formats report. OpenTelemetry's
// ottrace extractors read 32 digits; only a tracer with 64-bit ids (the
// archived basictracer-go) cannot, and it would drop the context.
//
// OT has no deferred or debug state: debug is written as sampled, deferred
// as not sampled. Baggage values are escaped as in the baggage header (see
// otCoding): OpenTelemetry Go and JS read back exactly what was sent
// unless a value needs an escape (a space, a comma, a semicolon, a
// backslash, a double quote, "%", a control or non-ASCII character), which
// OpenTelemetry JS, decoding nothing, reads as sent.
func injectOT(c Context, b *Baggage, set Setter) {
	set.Set(OTTraceIDHeader, hexString(c.TraceID[:]))
	set.Set(OTSpanIDHeader, hexString(c.SpanID[:]))
	if c.Sampled || c.Debug {
		set.Set(OTSampledHeader, "true")
	} else {
		set.Set(OTSampledHeader, "false")
	}
	injectPrefixed(OTBaggagePrefix, otCoding, b, set)
}

// extractOT reads the ot-tracer-* headers. Trace and span id are both
// required; they are hex numbers of up to 32 and 16 digits in either case,
// left-padded when shorter, because OpenTracing's reference tracer writes
// them with strconv.FormatInt(id, 16) (no padding) and reads them with
// strconv.ParseInt (either case). OpenTelemetry accepts exactly 16 or 32
// lower-case digits, a subset. ot-tracer-sampled is a boolean in the forms
// strconv.ParseBool and OpenTelemetry accept; absent means not sampled, as
// OpenTelemetry reads it. Anything else voids the headers.
func extractOT(get Getter) (Context, Found) {
	var c Context
	if !decodeHex(c.TraceID[:], get.Get(OTTraceIDHeader), &anyCaseDigits) ||
		!decodeHex(c.SpanID[:], get.Get(OTSpanIDHeader), &anyCaseDigits) ||
		!c.IsValid() {
		return Context{}, NotFound
	}
	sampled, ok := parseOTSampled(get.Get(OTSampledHeader))
	if !ok {
		return Context{}, NotFound
	}
	c.decision(sampled, false, false)
	return c, Valid
}

// parseOTSampled accepts the union of strconv.ParseBool's forms (what
// basictracer reads) and OpenTelemetry's ("1", "0", "true", "false" in any
// case), and "" for an absent header.
func parseOTSampled(s string) (sampled, ok bool) {
	switch {
	case s == "1" || s == "t" || s == "T" || strings.EqualFold(s, "true"):
		return true, true
	case s == "" || s == "0" || s == "f" || s == "F" || strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}
