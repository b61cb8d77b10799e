package propagation

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// CloudTraceContextHeader is Google Cloud's legacy trace context header,
// still read and written by Google's load balancers, Cloud Run and App
// Engine: https://cloud.google.com/trace/docs/trace-context#legacy-http-header
const CloudTraceContextHeader = "x-cloud-trace-context"

// cloudTraceContextLen is the length of the longest value we write:
// 32 hex + "/" + up to 20 decimal digits + ";o=" + 1 digit.
const cloudTraceContextLen = 32 + 1 + 20 + 3 + 1

// FormatCloudTraceContext returns the X-Cloud-Trace-Context value of c,
// "{trace-id}/{span-id};o={1|0}", with a single allocation. The span id is
// the decimal of its 64 bits. Debug is written as o=1 (Google's "force
// trace"); a deferred decision leaves the option out, so that the receiver
// decides.
func FormatCloudTraceContext(c Context) string {
	var buf [cloudTraceContextLen]byte
	encodeHex(buf[:32], c.TraceID[:])
	buf[32] = '/'
	b := strconv.AppendUint(buf[:33], binary.BigEndian.Uint64(c.SpanID[:]), 10)
	switch {
	case c.Sampled || c.Debug:
		b = append(b, ";o=1"...)
	case !c.Deferred:
		b = append(b, ";o=0"...)
	}
	return string(b)
}

// ParseCloudTraceContext parses an X-Cloud-Trace-Context value as Google's
// OpenTelemetry propagator (opentelemetry-operations-go/propagator, now
// deprecated in favour of W3C, and the reference our tests compare with) does:
// 32 lower-case hex digits, "/", a decimal span id of 1 to 20 digits that
// fits 64 bits, then optionally ";o=" and one digit, non-zero meaning
// traced. Neither id may be zero. Without the option no decision was made
// (Deferred); Google's propagator reads that as not sampled, which Deferred
// also is. Invalid input yields ok false, never an error.
func ParseCloudTraceContext(s string) (c Context, ok bool) {
	traceID, rest, _ := strings.Cut(s, "/")
	spanID, options, hasOptions := strings.Cut(rest, ";")
	if !decodeFixedHex(c.TraceID[:], traceID) || !isDecimal(spanID) {
		return Context{}, false
	}
	span, err := strconv.ParseUint(spanID, 10, 64)
	if err != nil {
		return Context{}, false
	}
	binary.BigEndian.PutUint64(c.SpanID[:], span)
	if !c.IsValid() {
		return Context{}, false
	}
	if !hasOptions {
		c.decision(false, false, true)
		return c, true
	}
	if len(options) != 3 || options[:2] != "o=" || !isDecimal(options[2:]) {
		return Context{}, false
	}
	c.decision(options[2] != '0', false, false)
	return c, true
}

// isDecimal reports whether s is 1 to 20 ASCII digits: no sign, blank or
// underscore, which strconv.ParseUint alone would not all rule out.
func isDecimal(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var gcpCodec = singleHeaderCodec("gcp", CloudTraceContextHeader, FormatCloudTraceContext, ParseCloudTraceContext)
