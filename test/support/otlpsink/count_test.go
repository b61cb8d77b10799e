package otlpsink

import (
	"testing"

	"github.com/stretchr/testify/require"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	resourcepb "go.opentelemetry.io/proto/otlp/resource/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// exportRequest has spans under several resources and scopes, next to
// the other fields of every level, so that only spans are counted.
func exportRequest(t *testing.T) ([]byte, int) {
	t.Helper()
	attr := []*commonpb.KeyValue{{Key: "k", Value: &commonpb.AnyValue{Value: &commonpb.AnyValue_StringValue{StringValue: "v"}}}}
	spans := func(n int) []*tracepb.Span {
		out := make([]*tracepb.Span, n)
		for i := range out {
			out[i] = &tracepb.Span{TraceId: make([]byte, 16), SpanId: make([]byte, 8), Name: "op", Attributes: attr,
				Events: []*tracepb.Span_Event{{Name: "e"}}, Links: []*tracepb.Span_Link{{TraceId: make([]byte, 16)}}}
		}
		return out
	}
	req := &collectorpb.ExportTraceServiceRequest{ResourceSpans: []*tracepb.ResourceSpans{
		{
			Resource:  &resourcepb.Resource{Attributes: attr},
			SchemaUrl: "https://opentelemetry.io/schemas/1.26.0",
			ScopeSpans: []*tracepb.ScopeSpans{
				{Scope: &commonpb.InstrumentationScope{Name: "a", Attributes: attr}, Spans: spans(3), SchemaUrl: "s"},
				{Scope: &commonpb.InstrumentationScope{Name: "b"}},
				{Spans: spans(1)},
			},
		},
		{Resource: &resourcepb.Resource{}},
		{ScopeSpans: []*tracepb.ScopeSpans{{Spans: spans(5)}}},
	}}
	b, err := proto.Marshal(req)
	require.NoError(t, err)
	return b, 9
}

func TestCountProtobufSpans(t *testing.T) {
	t.Parallel()
	body, want := exportRequest(t)
	n, err := countProtobufSpans(body)
	require.NoError(t, err)
	require.Equal(t, want, n)

	// A field this version does not know is skipped, as receivers must.
	unknown := protowire.AppendTag(append([]byte(nil), body...), 99, protowire.VarintType)
	unknown = protowire.AppendVarint(unknown, 7)
	n, err = countProtobufSpans(unknown)
	require.NoError(t, err)
	require.Equal(t, want, n)

	n, err = countProtobufSpans(nil)
	require.NoError(t, err, "an empty request is valid")
	require.Zero(t, n)
}

func TestCountProtobufSpansRefusesBrokenFraming(t *testing.T) {
	t.Parallel()
	body, _ := exportRequest(t)
	nested := protowire.AppendTag(nil, fieldResourceSpans, protowire.BytesType)
	nested = protowire.AppendBytes(nested, []byte{0x12, 0x05, 0x12}) // scope_spans longer than its parent
	for name, b := range map[string][]byte{
		"cut short":                  body[:len(body)-3],
		"bad tag":                    {0xff, 0xff},
		"field number zero":          {0x00, 0x01},
		"nested length past its end": nested,
	} {
		_, err := countProtobufSpans(b)
		require.ErrorContains(t, err, "protobuf body", name)
	}
}
