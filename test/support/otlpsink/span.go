package otlpsink

import (
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"

	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
)

// Span is one received span, flattened for assertions and display.
type Span struct {
	TraceID, SpanID, ParentID string // lowercase hex, ParentID "" for a root
	Service                   string // resource service.name
	Name                      string
	Kind                      string // "internal", "server", "client", "producer", "consumer", "unspecified"
	Start, End                time.Time
	Attrs                     map[string]string // attribute values rendered as strings
	StatusError               bool
	StatusMessage             string
}

// spanKinds maps the protocol's enum to the lower-case names of Span.Kind;
// a value outside it (a newer protocol) reads as "unspecified".
var spanKinds = map[tracepb.Span_SpanKind]string{
	tracepb.Span_SPAN_KIND_INTERNAL: "internal",
	tracepb.Span_SPAN_KIND_SERVER:   "server",
	tracepb.Span_SPAN_KIND_CLIENT:   "client",
	tracepb.Span_SPAN_KIND_PRODUCER: "producer",
	tracepb.Span_SPAN_KIND_CONSUMER: "consumer",
}

// flatten converts every span of a request, each with its resource's
// service.name.
func flatten(rss []*tracepb.ResourceSpans) []Span {
	var out []Span
	for _, rs := range rss {
		service := ""
		for _, kv := range rs.GetResource().GetAttributes() {
			if kv.GetKey() == "service.name" {
				service = renderValue(kv.GetValue())
			}
		}
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				out = append(out, convert(s, service))
			}
		}
	}
	return out
}

func convert(s *tracepb.Span, service string) Span {
	kind, ok := spanKinds[s.GetKind()]
	if !ok {
		kind = "unspecified"
	}
	attrs := make(map[string]string, len(s.GetAttributes()))
	for _, kv := range s.GetAttributes() {
		attrs[kv.GetKey()] = renderValue(kv.GetValue())
	}
	return Span{
		TraceID:       hex.EncodeToString(s.GetTraceId()),
		SpanID:        hex.EncodeToString(s.GetSpanId()),
		ParentID:      hex.EncodeToString(s.GetParentSpanId()),
		Service:       service,
		Name:          s.GetName(),
		Kind:          kind,
		Start:         unixNano(s.GetStartTimeUnixNano()),
		End:           unixNano(s.GetEndTimeUnixNano()),
		Attrs:         attrs,
		StatusError:   s.GetStatus().GetCode() == tracepb.Status_STATUS_CODE_ERROR,
		StatusMessage: s.GetStatus().GetMessage(),
	}
}

// unixNano keeps an unset timestamp (0) as the zero time rather than 1970.
func unixNano(ns uint64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(ns)) //nolint:gosec // nanoseconds since 1970 fit an int64 until 2262
}

// renderValue writes scalars as Go would print them, bytes as hex, and
// arrays and key-value lists as JSON, so that any attribute compares as a
// string.
func renderValue(v *commonpb.AnyValue) string {
	switch n := native(v).(type) {
	case string:
		return n
	default:
		b, err := json.Marshal(n)
		if err != nil {
			return err.Error() // unreachable: native makes strings, slices and maps only
		}
		return string(b)
	}
}

// native converts a value to what encoding/json renders: scalars as
// strings, so that a nested int64 keeps its digits.
func native(v *commonpb.AnyValue) any {
	switch x := v.GetValue().(type) {
	case *commonpb.AnyValue_StringValue:
		return x.StringValue
	case *commonpb.AnyValue_BoolValue:
		return strconv.FormatBool(x.BoolValue)
	case *commonpb.AnyValue_IntValue:
		return strconv.FormatInt(x.IntValue, 10)
	case *commonpb.AnyValue_DoubleValue:
		return strconv.FormatFloat(x.DoubleValue, 'g', -1, 64)
	case *commonpb.AnyValue_BytesValue:
		return hex.EncodeToString(x.BytesValue)
	case *commonpb.AnyValue_ArrayValue:
		out := make([]any, 0, len(x.ArrayValue.GetValues()))
		for _, e := range x.ArrayValue.GetValues() {
			out = append(out, native(e))
		}
		return out
	case *commonpb.AnyValue_KvlistValue:
		out := make(map[string]any, len(x.KvlistValue.GetValues()))
		for _, kv := range x.KvlistValue.GetValues() {
			out[kv.GetKey()] = native(kv.GetValue())
		}
		return out
	default:
		return "" // an empty AnyValue
	}
}
