package propagation

import (
	"slices"
	"strings"
)

// Format is one wire format of trace context or baggage.
type Format uint8

// The formats this package speaks, in no particular order.
const (
	W3C        Format = iota + 1 // traceparent and tracestate
	W3CBaggage                   // W3C baggage
	Jaeger                       // uber-trace-id and uberctx-* baggage
	B3                           // the single b3 header
	B3Multi                      // X-B3-* headers
	OT                           // ot-tracer-* and ot-baggage-* headers
	XRay                         // X-Amzn-Trace-Id
	Datadog                      // x-datadog-* headers
	GCP                          // X-Cloud-Trace-Context
	None                         // no headers at all
)

// Found says what a format read from a request's headers.
type Found uint8

const (
	// NotFound: no header of the format, or only invalid ones.
	NotFound Found = iota
	// SamplingOnly: a valid sampling decision without ids, such as "b3: 0".
	SamplingOnly
	// Valid: a full, valid trace context.
	Valid
)

// codec is how one format writes and reads its headers.
type codec struct {
	name string
	// fields are the lower-case header names the format writes, and those
	// it reads and replaces (a caller's X-B3-ParentSpanId).
	fields []string
	// prefix is the lower-case name prefix of per-member baggage fields,
	// "" when the format carries no baggage that way.
	prefix string
	// inject writes c, and b where the format carries baggage.
	inject func(c Context, b *Baggage, set Setter)
	// extract reads a trace context; nil for baggage-only formats.
	extract func(get Getter) (Context, Found)
	// extractBaggage adds the members the format carries to b; nil when
	// it carries none.
	extractBaggage func(get Getter, b *Baggage)
}

// codecs holds every format's codec, indexed by Format.
var codecs = [...]codec{
	W3C:        w3cCodec,
	W3CBaggage: baggageCodec,
	Jaeger:     jaegerCodec,
	B3:         b3Codec,
	B3Multi:    b3MultiCodec,
	OT:         otCodec,
	XRay:       xrayCodec,
	Datadog:    datadogCodec,
	GCP:        gcpCodec,
	None:       {name: "none", inject: func(Context, *Baggage, Setter) {}},
}

// formatNames maps each accepted name to its format: ours, and
// OpenTelemetry's OTEL_PROPAGATORS names as aliases.
var formatNames = map[string]Format{
	"w3c":          W3C,
	"tracecontext": W3C,
	"baggage":      W3CBaggage,
	"jaeger":       Jaeger,
	"b3":           B3,
	"b3multi":      B3Multi,
	"ot":           OT,
	"ottrace":      OT,
	"xray":         XRay,
	"xray-lambda":  XRay,
	"datadog":      Datadog,
	"gcp":          GCP,
	"none":         None,
}

// ParseFormat returns the format with the given name (case-insensitive,
// surrounding spaces ignored).
func ParseFormat(name string) (Format, bool) {
	f, ok := formatNames[strings.ToLower(strings.TrimSpace(name))]
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

// Formats returns every format but None, in declaration order.
func Formats() []Format {
	out := make([]Format, 0, len(codecs))
	for f := W3C; f < None; f++ {
		out = append(out, f)
	}
	return out
}

// String returns the canonical name of f.
func (f Format) String() string {
	if !f.valid() {
		return "unknown"
	}
	return codecs[f].name
}

// Fields returns the lower-case names of the header fields f writes or
// replaces.
func (f Format) Fields() []string {
	if !f.valid() {
		return nil
	}
	return codecs[f].fields
}

// BaggagePrefix returns the prefix of f's per-member baggage fields, ""
// when f has none.
func (f Format) BaggagePrefix() string {
	if !f.valid() {
		return ""
	}
	return codecs[f].prefix
}

// CarriesBaggage reports whether f writes baggage members.
func (f Format) CarriesBaggage() bool {
	return f.valid() && codecs[f].extractBaggage != nil
}

// CarriesContext reports whether f writes a trace context.
func (f Format) CarriesContext() bool {
	return f.valid() && codecs[f].extract != nil
}

func (f Format) valid() bool { return f >= W3C && f <= None }
