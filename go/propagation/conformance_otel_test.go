package propagation

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// OpenTelemetry Go's traceparent tables (go.opentelemetry.io/otel v1.44.0,
// propagation/trace_context_test.go): every case of
// TestExtractInvalidTraceContextFromHTTPReq, and the cases of
// TestExtractValidTraceContext that exercise the grammar. valid is the W3C
// verdict, which we follow; otel is OpenTelemetry's, kept so that the
// differences are written down and a change in either shows up here.
var otelTraceparents = []struct {
	name        string
	value       string
	valid, otel bool
}{
	{"wrong version length", "0000-00000000000000000000000000000000-0000000000000000-01", false, false},
	{"wrong trace ID length", "00-ab00000000000000000000000000000000-cd00000000000000-01", false, false},
	{"wrong span ID length", "00-ab000000000000000000000000000000-cd0000000000000000-01", false, false},
	{"wrong trace flag length", "00-ab000000000000000000000000000000-cd00000000000000-0100", false, false},
	{"bogus version", "qw-00000000000000000000000000000000-0000000000000000-01", false, false},
	{"bogus trace ID", "00-qw000000000000000000000000000000-cd00000000000000-01", false, false},
	{"bogus span ID", "00-ab000000000000000000000000000000-qw00000000000000-01", false, false},
	{"bogus trace flag", "00-ab000000000000000000000000000000-cd00000000000000-qw", false, false},
	{"upper case version", "A0-00000000000000000000000000000000-0000000000000000-01", false, false},
	{"upper case trace ID", "00-AB000000000000000000000000000000-cd00000000000000-01", false, false},
	{"upper case span ID", "00-ab000000000000000000000000000000-CD00000000000000-01", false, false},
	{"upper case trace flag", "00-ab000000000000000000000000000000-cd00000000000000-A1", false, false},
	{"zero trace ID and span ID", "00-00000000000000000000000000000000-0000000000000000-01", false, false},
	{"missing options", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7", false, false},
	{"empty options", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-", false, false},
	{"version 0 with extra content", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", false, false},
	// Flag bits other than sampled and random are reserved: senders must
	// write them as zero, but trace-flags are "recommendations given by the
	// caller" (https://www.w3.org/TR/trace-context/#trace-flags) and nothing
	// lets a receiver drop the whole traceparent for them. OpenTelemetry
	// does for version 00, and accepts them for later versions.
	{"version 0 reserved trace flag bits set", "00-ab000000000000000000000000000000-cd00000000000000-09", true, false},
	{"future version sample bit set reserved bits zeroed", "02-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09", true, true},
	{"future version additional data", "02-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-XYZxsf09", true, true},
	{"future version B3 format ending in dash", "03-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-", true, true},
	// A version-00 value is exactly 55 characters (test.py,
	// test_traceparent_version_0x00); OpenTelemetry accepts a trailing dash.
	{"B3 format ending in dash", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-", false, true},
}

func TestOTelTraceparentTable(t *testing.T) {
	t.Parallel()
	for _, tc := range otelTraceparents {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, ok := ParseTraceparent(tc.value)
			require.Equal(t, tc.valid, ok, "ours")
			_, found, _ := NewPropagator(W3C).Extract(MapCarrier{TraceparentHeader: tc.value})
			require.Equal(t, tc.valid, found == Valid, "ours, through Extract")

			ctx := otelprop.TraceContext{}.Extract(context.Background(), otelprop.MapCarrier{TraceparentHeader: tc.value})
			require.Equal(t, tc.otel, trace.SpanContextFromContext(ctx).IsValid(), "OpenTelemetry")
		})
	}
}

// OpenTelemetry Go's tracestate table (go.opentelemetry.io/otel/trace
// v1.44.0, tracestate_test.go, itself taken from the W3C test data), with
// our verdicts: the same on every case. out is the normalised header.
var otelTraceStates = []struct {
	name, in string
	ok       bool
	out      string
}{
	{"duplicate with the same value", "foo=1,foo=1", false, ""},
	{"duplicate with different values", "foo=1,foo=2", false, ""},
	{"improperly formatted key/value pair", "foo =1", false, ""},
	{"upper case key", "FOO=1", false, ""},
	{"key with invalid character", "foo.bar=1", false, ""},
	{"multiple keys, one with empty tenant key", "foo@=1,bar=2", false, ""},
	{"multiple keys, one with only tenant", "@foo=1,bar=2", false, ""},
	{"multiple keys, one with double tenant separator", "foo@@bar=1,bar=2", false, ""},
	{"multiple keys, one with multiple tenants", "foo@bar@baz=1,bar=2", false, ""},
	{"key too long", "foo=1," + strings.Repeat("z", 257) + "=1", false, ""},
	{"key too long, with tenant", "foo=1," + strings.Repeat("t", 242) + "@v=1", false, ""},
	{"tenant too long", "foo=1,t@" + strings.Repeat("v", 15) + "=1", false, ""},
	{"multiple values for a single key", "foo=bar=baz", false, ""},
	{"no value", "foo=,bar=3", false, ""},
	{"too many members", bars32 + ",bar33=33", false, ""},
	{"valid key/value list", allKeyChars + "=" + allValueChars, true, allKeyChars + "=" + allValueChars},
	{"valid key/value list with tenant", allVendorKey + "=" + allValueChars, true, allVendorKey + "=" + allValueChars},
	{"empty input", "", true, ""},
	{"single key and value", "foo=1", true, "foo=1"},
	{"single key and value with empty separator", "foo=1,", true, "foo=1"},
	{"multiple keys and values", "foo=1,bar=2", true, "foo=1,bar=2"},
	{"with a key at maximum length", "foo=1," + strings.Repeat("z", 256) + "=1", true, "foo=1," + strings.Repeat("z", 256) + "=1"},
	{"with a key and tenant at maximum length", "foo=1," + strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1", true, "foo=1," + strings.Repeat("t", 241) + "@" + strings.Repeat("v", 14) + "=1"},
	{"with maximum members", bars32, true, bars32},
	{"with several members", "foo=1,bar=2,rojo=1,congo=2,baz=3", true, "foo=1,bar=2,rojo=1,congo=2,baz=3"},
	{"with tabs between members", "foo=1 \t , \t bar=2, \t baz=3", true, "foo=1,bar=2,baz=3"},
	{"with multiple tabs between members", "foo=1\t \t,\t \tbar=2,\t \tbaz=3", true, "foo=1,bar=2,baz=3"},
	{"with space at the end of the member", "foo=1 ", true, "foo=1"},
	{"with tab at the end of the member", "foo=1\t", true, "foo=1"},
	{"with tab and space at the end of the member", "foo=1 \t", true, "foo=1"},
}

func TestOTelTraceStateTable(t *testing.T) {
	t.Parallel()
	for _, tc := range otelTraceStates {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := ParseTraceState(tc.in)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.out, got.String())
			otel, err := trace.ParseTraceState(tc.in)
			require.Equal(t, tc.ok, err == nil, "OpenTelemetry disagrees: %v", err)
			require.Equal(t, tc.out, otel.String())
		})
	}
}
