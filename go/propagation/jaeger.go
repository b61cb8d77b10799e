package propagation

import (
	"strings"
)

// UberTraceIDHeader is Jaeger's trace context header.
const UberTraceIDHeader = "uber-trace-id"

// uberTraceIDLen is the length of the value we write:
// 32 hex + ":" + 16 hex + ":0:" + 1 flag digit.
const uberTraceIDLen = 32 + 1 + 16 + 3 + 1

// Jaeger flag bits.
const (
	jaegerSampled = 1
	jaegerDebug   = 2
)

// AppendUberTraceID appends the Jaeger value of c to dst:
// "{trace-id}:{span-id}:0:{flags}", where the parent span id is the
// deprecated field that Jaeger clients set to 0, and flags is 3 (debug and
// sampled), 1 (sampled) or 0.
func AppendUberTraceID(dst []byte, c Context) []byte {
	var buf [uberTraceIDLen]byte
	encodeUberTraceID(&buf, c)
	return append(dst, buf[:]...)
}

// FormatUberTraceID returns the Jaeger value of c with a single allocation.
func FormatUberTraceID(c Context) string {
	var buf [uberTraceIDLen]byte
	encodeUberTraceID(&buf, c)
	return string(buf[:])
}

func encodeUberTraceID(buf *[uberTraceIDLen]byte, c Context) {
	encodeHex(buf[0:32], c.TraceID[:])
	buf[32] = ':'
	encodeHex(buf[33:49], c.SpanID[:])
	buf[49], buf[50], buf[51] = ':', '0', ':'
	buf[52] = '0' + jaegerFlags(c)
}

func jaegerFlags(c Context) byte {
	switch {
	case c.Debug:
		return jaegerSampled | jaegerDebug
	case c.Sampled:
		return jaegerSampled
	}
	return 0
}

// ParseUberTraceID parses a Jaeger "{trace-id}:{span-id}:{parent}:{flags}"
// value. Ids may be shorter than their full width (they are left-padded with
// zeros) and any hex case is accepted, as Jaeger clients write both; the
// colons may arrive URL-encoded as %3A. The debug flag implies sampled.
// Invalid input yields ok false, never an error.
func ParseUberTraceID(s string) (c Context, ok bool) {
	if strings.Contains(s, "%") {
		s = strings.NewReplacer("%3A", ":", "%3a", ":").Replace(s)
	}
	traceID, rest, found := strings.Cut(s, ":")
	if !found {
		return Context{}, false
	}
	spanID, rest, found := strings.Cut(rest, ":")
	if !found {
		return Context{}, false
	}
	parentID, flagsText, found := strings.Cut(rest, ":")
	if !found || strings.Contains(flagsText, ":") {
		return Context{}, false
	}
	var parent [8]byte
	var flags [1]byte
	if !decodeHex(c.TraceID[:], traceID, &anyCaseDigits) ||
		!decodeHex(c.SpanID[:], spanID, &anyCaseDigits) ||
		!decodeHex(parent[:], parentID, &anyCaseDigits) ||
		!decodeHex(flags[:], flagsText, &anyCaseDigits) {
		return Context{}, false
	}
	if !c.IsValid() {
		return Context{}, false
	}
	c.decision(flags[0]&jaegerSampled != 0, flags[0]&jaegerDebug != 0, false)
	return c, true
}

// UberctxPrefix starts the name of each Jaeger baggage header.
const UberctxPrefix = "uberctx-"

var jaegerCodec = codec{
	name:   "jaeger",
	fields: []string{UberTraceIDHeader},
	prefix: UberctxPrefix,
	inject: func(c Context, b *Baggage, set Setter) {
		set.Set(UberTraceIDHeader, FormatUberTraceID(c))
		injectPrefixed(UberctxPrefix, jaegerCoding, b, set)
	},
	extract:        extractSingle(UberTraceIDHeader, ParseUberTraceID),
	extractBaggage: func(get Getter, b *Baggage) { extractPrefixed(UberctxPrefix, jaegerCoding, get, b) },
}
