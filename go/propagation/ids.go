package propagation

import (
	"encoding/binary"
	"time"

	"go.opentelemetry.io/otel/trace"
)

// k6 trace-id layout: zig-zag varints of a fixed prefix, an origin code and
// the Unix time in nanoseconds, then random bytes up to 16 bytes. Grafana
// Cloud k6 recognises ids of this shape and ingests the related spans when
// the code says the run is a cloud run.
const (
	// K6Prefix opens every k6-layout trace id (0o756, "k6" in the old module's words).
	K6Prefix = 0o756
	// CloudCode marks a trace id made by a Grafana Cloud k6 run.
	CloudCode = 12
	// LocalCode marks a trace id made by any other run.
	LocalCode = 33
)

// NewK6TraceID returns a trace id in the k6 layout for the given origin code
// and Unix time in nanoseconds, filling the bytes after the varints from src.
//
// With the current clock the varints take 12 bytes (2 prefix, 1 code,
// 9 time), which leaves 4 random bytes; together with the nanosecond clock
// this keeps ids unique across VUs and instances.
func NewK6TraceID(code, unixNano int64, src Source) trace.TraceID {
	var id trace.TraceID
	n := binary.PutVarint(id[:], K6Prefix)
	n += binary.PutVarint(id[n:], code)
	// A time varint is at most 10 bytes, so it always fits after the 3 above.
	n += binary.PutVarint(id[n:], unixNano)
	fillRandom(id[n:], src)
	return id
}

// DecodeK6TraceID reads the prefix, code and time back from a k6-layout
// trace id. ok is false when the id does not start with [K6Prefix].
func DecodeK6TraceID(id trace.TraceID) (code int64, t time.Time, ok bool) {
	prefix, n := binary.Varint(id[:])
	if n <= 0 || prefix != K6Prefix {
		return 0, time.Time{}, false
	}
	code, m := binary.Varint(id[n:])
	if m <= 0 {
		return 0, time.Time{}, false
	}
	nanos, k := binary.Varint(id[n+m:])
	if k <= 0 {
		return 0, time.Time{}, false
	}
	return code, time.Unix(0, nanos), true
}

// Layout is how new trace ids are made.
type Layout uint8

// The trace-id layouts.
const (
	// LayoutK6 is the k6 layout ([NewK6TraceID]), the default.
	LayoutK6 Layout = iota
	// LayoutRandom is 16 random bytes ([NewRandomTraceID]).
	LayoutRandom
	// LayoutXRay is the layout AWS X-Ray requires ([NewXRayTraceID]).
	LayoutXRay
)

// String returns the layout's option name.
func (l Layout) String() string {
	switch l {
	case LayoutRandom:
		return "random"
	case LayoutXRay:
		return "xray"
	}
	return "k6"
}

// NewXRayTraceID returns an id X-Ray accepts: the Unix time in seconds in
// the first 4 bytes (big-endian; X-Ray rejects traces whose time is far
// from now) and 12 random bytes. The k6 layout cannot satisfy this, since
// its first bytes are a fixed prefix; 96 random bits keep ids unique.
func NewXRayTraceID(unixSeconds int64, src Source) trace.TraceID {
	var id trace.TraceID
	binary.BigEndian.PutUint32(id[:4], uint32(unixSeconds))
	fillRandom(id[4:], src)
	return id
}

// NewRandomTraceID returns 16 random bytes, never all zero.
func NewRandomTraceID(src Source) trace.TraceID {
	var id trace.TraceID
	for !id.IsValid() {
		binary.BigEndian.PutUint64(id[:8], src.Uint64())
		binary.BigEndian.PutUint64(id[8:], src.Uint64())
	}
	return id
}

// NewSpanID returns 8 random bytes, never all zero (an invalid span id).
func NewSpanID(src Source) trace.SpanID {
	for {
		if v := src.Uint64(); v != 0 {
			var id trace.SpanID
			binary.BigEndian.PutUint64(id[:], v)
			return id
		}
	}
}

// fillRandom fills b with bytes from src, 8 at a time.
func fillRandom(b []byte, src Source) {
	for len(b) > 0 {
		var word [8]byte
		binary.BigEndian.PutUint64(word[:], src.Uint64())
		b = b[copy(b, word[:]):]
	}
}
