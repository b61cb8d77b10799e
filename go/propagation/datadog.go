package propagation

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// Datadog header names, as Datadog's tracers (dd-trace-go and the others)
// write them.
const (
	DatadogTraceIDHeader          = "x-datadog-trace-id"
	DatadogParentIDHeader         = "x-datadog-parent-id"
	DatadogSamplingPriorityHeader = "x-datadog-sampling-priority"
	DatadogTagsHeader             = "x-datadog-tags"
)

// datadogTIDKey is the propagated tag that carries the high 64 bits of a
// 128-bit trace id, as 16 lower-case hex digits; x-datadog-trace-id holds
// only the low 64 bits, in decimal.
const datadogTIDKey = "_dd.p.tid"

// Datadog sampling priorities.
const (
	datadogAutoReject = 0 // the tracer's sampler dropped the trace
	datadogAutoKeep   = 1 // the tracer's sampler kept it
	datadogUserKeep   = 2 // the user forced it to be kept
)

var datadogCodec = codec{
	name:    "datadog",
	fields:  []string{DatadogTraceIDHeader, DatadogParentIDHeader, DatadogSamplingPriorityHeader, DatadogTagsHeader},
	inject:  injectDatadog,
	extract: extractDatadog,
}

// injectDatadog writes the x-datadog-* headers of c: the low 64 bits of the
// trace id and the span id in decimal, the sampling priority, and the high
// 64 bits as the _dd.p.tid tag when they are not zero. Debug is written as
// priority 2 (user keep), Datadog's way of forcing a trace, so that it
// survives a round trip; a deferred decision writes no priority, which
// lets the receiving tracer decide. Datadog cannot express a trace id whose
// low 64 bits are zero (its tracers read trace id 0 as "no trace"), so for
// such an id, or an invalid context, nothing is written rather than a
// header that names another trace or none.
func injectDatadog(c Context, _ *Baggage, set Setter) {
	low := binary.BigEndian.Uint64(c.TraceID[8:])
	span := binary.BigEndian.Uint64(c.SpanID[:])
	if low == 0 || span == 0 {
		return
	}
	var buf [20]byte // the decimal digits of a uint64
	set.Set(DatadogTraceIDHeader, string(strconv.AppendUint(buf[:0], low, 10)))
	set.Set(DatadogParentIDHeader, string(strconv.AppendUint(buf[:0], span, 10)))
	switch {
	case c.Debug:
		set.Set(DatadogSamplingPriorityHeader, "2")
	case c.Sampled:
		set.Set(DatadogSamplingPriorityHeader, "1")
	case !c.Deferred:
		set.Set(DatadogSamplingPriorityHeader, "0")
	}
	if high := c.TraceID[:8]; binary.BigEndian.Uint64(high) != 0 {
		var tags [len(datadogTIDKey) + 1 + 16]byte
		n := copy(tags[:], datadogTIDKey+"=")
		encodeHex(tags[n:], high)
		set.Set(DatadogTagsHeader, string(tags[:]))
	}
}

// extractDatadog reads the x-datadog-* headers as dd-trace-go does: trace
// and parent id are decimal 64-bit numbers (a signed form is accepted, as
// older tracers wrote it), neither may be zero or absent; a sampling
// priority that is not an integer voids the headers, an absent one defers
// the decision; priority 1 or more is sampled, 0 or less (-1 is "user
// reject") is not, and 2, "user keep", is also debug. The high 64 bits come
// from a well-formed x-datadog-tags list whose _dd.p.tid is 16 lower-case
// hex digits; other tags are ignored, and a malformed list or tid only
// loses the high bits, as in dd-trace-go.
func extractDatadog(get Getter) (Context, Found) {
	low, ok1 := parseDatadogID(get.Get(DatadogTraceIDHeader))
	span, ok2 := parseDatadogID(get.Get(DatadogParentIDHeader))
	if !ok1 || !ok2 || low == 0 || span == 0 {
		return Context{}, NotFound
	}
	var c Context
	binary.BigEndian.PutUint64(c.TraceID[8:], low)
	binary.BigEndian.PutUint64(c.SpanID[:], span)
	datadogTID(c.TraceID[:8], get.Get(DatadogTagsHeader))
	priority := get.Get(DatadogSamplingPriorityHeader)
	if priority == "" {
		c.decision(false, false, true)
		return c, Valid
	}
	p, err := strconv.Atoi(priority)
	if err != nil {
		return Context{}, NotFound
	}
	c.decision(p >= datadogAutoKeep, p == datadogUserKeep, false)
	return c, Valid
}

// parseDatadogID parses a decimal uint64, or a negative int64 taken as its
// two's complement bits.
func parseDatadogID(s string) (uint64, bool) {
	if strings.HasPrefix(s, "-") {
		v, err := strconv.ParseInt(s, 10, 64)
		return uint64(v), err == nil
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// datadogTID decodes the _dd.p.tid tag of a tags list into high. The list
// is "key=value" pairs separated by commas, each key and value non-empty;
// if the list is malformed, high is left alone.
func datadogTID(high []byte, tags string) {
	var tid string
	for {
		pair, rest, more := strings.Cut(tags, ",")
		key, value, ok := strings.Cut(pair, "=")
		if !ok || key == "" || value == "" {
			return
		}
		if key == datadogTIDKey {
			tid = value
		}
		if !more {
			break
		}
		tags = rest
	}
	var id [8]byte
	if decodeFixedHex(id[:], tid) {
		copy(high, id[:])
	}
}
