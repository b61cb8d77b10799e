package propagation

// TraceparentHeader is the W3C Trace Context header.
const TraceparentHeader = "traceparent"

// traceparentLen is the length of a version-00 traceparent value:
// "00-" + 32 hex + "-" + 16 hex + "-" + 2 hex.
const traceparentLen = 55

// AppendTraceparent appends the version-00 traceparent value of c to dst.
func AppendTraceparent(dst []byte, c Context) []byte {
	var buf [traceparentLen]byte
	encodeTraceparent(&buf, c)
	return append(dst, buf[:]...)
}

// FormatTraceparent returns the version-00 traceparent value of c, with a
// single allocation: the string itself.
func FormatTraceparent(c Context) string {
	var buf [traceparentLen]byte
	encodeTraceparent(&buf, c)
	return string(buf[:])
}

func encodeTraceparent(buf *[traceparentLen]byte, c Context) {
	buf[0], buf[1], buf[2] = '0', '0', '-'
	encodeHex(buf[3:35], c.TraceID[:])
	buf[35] = '-'
	encodeHex(buf[36:52], c.SpanID[:])
	buf[52], buf[53] = '-', '0'
	buf[54] = lowerHex[c.Flags()]
}

// ParseTraceparent parses a traceparent value as the W3C specification's
// processing model says: lower-case hex only, version ff and all-zero ids
// are invalid, a version-00 value has exactly 55 characters, and a higher
// version may carry more fields after a dash. Invalid input yields ok false,
// never an error: the caller then starts a new trace.
func ParseTraceparent(s string) (c Context, ok bool) {
	if len(s) < traceparentLen || s[2] != '-' || s[35] != '-' || s[52] != '-' {
		return Context{}, false
	}
	var version [1]byte
	if !decodeFixedHex(version[:], s[:2]) || version[0] == 0xff {
		return Context{}, false
	}
	if version[0] == 0 && len(s) != traceparentLen {
		return Context{}, false
	}
	if len(s) > traceparentLen && s[traceparentLen] != '-' {
		return Context{}, false
	}
	var flags [1]byte
	if !decodeFixedHex(c.TraceID[:], s[3:35]) ||
		!decodeFixedHex(c.SpanID[:], s[36:52]) ||
		!decodeFixedHex(flags[:], s[53:55]) {
		return Context{}, false
	}
	if !c.IsValid() {
		return Context{}, false
	}
	c.Sampled = flags[0]&flagSampled != 0
	c.Random = flags[0]&flagRandom != 0
	return c, true
}

// TracestateHeader is the W3C Trace Context header of vendor entries.
const TracestateHeader = "tracestate"

var w3cCodec = codec{
	name:   "w3c",
	fields: []string{TraceparentHeader, TracestateHeader},
	inject: func(c Context, _ *Baggage, set Setter) {
		set.Set(TraceparentHeader, FormatTraceparent(c))
		if c.TraceState != "" {
			set.Set(TracestateHeader, c.TraceState)
		}
	},
	extract: extractW3C,
}

// extractW3C reads traceparent, and tracestate with it. An invalid
// tracestate is dropped whole and the traceparent still counts, as the
// specification's processing model says. Spaces and tabs around the
// traceparent value are optional whitespace of the header field, which the
// W3C test suite sends (test_traceparent_ows_handling) and HTTP servers strip.
func extractW3C(get Getter) (Context, Found) {
	c, ok := ParseTraceparent(trimOWS(get.Get(TraceparentHeader)))
	if !ok {
		return Context{}, NotFound
	}
	if ts, ok := ParseTraceState(get.Get(TracestateHeader)); ok {
		c.TraceState = ts.String()
	}
	return c, Valid
}
