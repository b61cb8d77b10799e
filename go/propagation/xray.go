package propagation

import "strings"

// XRayHeader is the AWS X-Ray tracing header.
const XRayHeader = "x-amzn-trace-id"

// xrayLen is the length of the value we write:
// "Root=1-" 8 hex "-" 24 hex ";Parent=" 16 hex ";Sampled=" and one character.
const xrayLen = len("Root=1-") + 8 + 1 + 24 + len(";Parent=") + 16 + len(";Sampled=") + 1

// FormatXRay returns the X-Ray value of c with a single allocation:
// "Root=1-{8 hex}-{24 hex};Parent={16 hex};Sampled={1|0|?}". The X-Ray trace
// id is the W3C id with dashes: its first 8 digits are the Unix time in
// seconds, which X-Ray checks ([NewXRayTraceID] makes such ids). Debug is
// written as sampled; a deferred decision as "?", which asks the receiver to
// decide ("Requested" in the AWS SDKs).
func FormatXRay(c Context) string {
	var buf [xrayLen]byte
	n := copy(buf[:], "Root=1-")
	encodeHex(buf[n:n+8], c.TraceID[:4])
	buf[n+8] = '-'
	n += 9
	encodeHex(buf[n:n+24], c.TraceID[4:])
	n += 24
	n += copy(buf[n:], ";Parent=")
	encodeHex(buf[n:n+16], c.SpanID[:])
	n += 16
	n += copy(buf[n:], ";Sampled=")
	switch {
	case c.Sampled || c.Debug:
		buf[n] = '1'
	case c.Deferred:
		buf[n] = '?'
	default:
		buf[n] = '0'
	}
	return string(buf[:])
}

// ParseXRay parses an X-Ray value as the AWS X-Ray SDKs do: ";"-separated
// key=value fields in any order, blanks around them ignored, keys
// case-sensitive, later fields overriding earlier ones, fields without "="
// and unknown fields (Self, Lineage, ...) ignored. Root must be a version 1
// id ("1-{8 hex}-{24 hex}") and Parent 16 hex digits, both lower-case (as
// X-Ray writes them and OpenTelemetry's propagator requires) and not all
// zero. Sampled is "1" or "0"; "?", any other value or no Sampled
// field at all leaves the decision to us (Deferred), as the SDKs then make
// their own. A Root without Parent (as a load balancer sends) names no span
// to continue and counts as absent. Invalid input yields ok false, never an
// error.
func ParseXRay(s string) (c Context, ok bool) {
	var root, parent, sampled string
	for s != "" {
		var field string
		field, s, _ = strings.Cut(s, ";")
		key, value, found := strings.Cut(field, "=")
		if !found {
			continue
		}
		switch value = strings.Trim(value, " \t"); strings.Trim(key, " \t") {
		case "Root":
			root = value
		case "Parent":
			parent = value
		case "Sampled":
			sampled = value
		}
	}
	if len(root) != 35 || root[0] != '1' || root[1] != '-' || root[10] != '-' ||
		!decodeFixedHex(c.TraceID[:4], root[2:10]) || !decodeFixedHex(c.TraceID[4:], root[11:]) ||
		!decodeFixedHex(c.SpanID[:], parent) || !c.IsValid() {
		return Context{}, false
	}
	switch sampled {
	case "1":
		c.decision(true, false, false)
	case "0":
		c.decision(false, false, false)
	default:
		c.decision(false, false, true)
	}
	return c, true
}

var xrayCodec = singleHeaderCodec("xray", XRayHeader, FormatXRay, ParseXRay)
