package propagation

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Ids of the W3C Trace Context specification's examples.
const (
	w3cTraceID = "4bf92f3577b34da6a3ce929d0e0e4736"
	w3cSpanID  = "00f067aa0ba902b7"
)

func mustContext(t *testing.T, traceID, spanID string, sampled bool) Context {
	t.Helper()
	tid, err := trace.TraceIDFromHex(traceID)
	require.NoError(t, err)
	sid, err := trace.SpanIDFromHex(spanID)
	require.NoError(t, err)
	return Context{TraceID: tid, SpanID: sid, Sampled: sampled}
}

func TestFormatTraceparent(t *testing.T) {
	t.Parallel()
	c := mustContext(t, w3cTraceID, w3cSpanID, true)
	require.Equal(t, "00-"+w3cTraceID+"-"+w3cSpanID+"-01", FormatTraceparent(c))
	c.Sampled = false
	require.Equal(t, "00-"+w3cTraceID+"-"+w3cSpanID+"-00", FormatTraceparent(c))
}

// TestTraceparentInterop parses what we write with OpenTelemetry's own
// TraceContext propagator.
func TestTraceparentInterop(t *testing.T) {
	t.Parallel()
	g, s := NewGenerator(NewSource(), LocalCode), NewSampler(0.5)
	for range 100 {
		c := g.NewTrace(LayoutK6, s)
		h := http.Header{}
		h.Set(TraceparentHeader, FormatTraceparent(c))
		sc := trace.SpanContextFromContext(otelprop.TraceContext{}.Extract(context.Background(), otelprop.HeaderCarrier(h)))
		require.True(t, sc.IsValid())
		require.Equal(t, c.TraceID, sc.TraceID())
		require.Equal(t, c.SpanID, sc.SpanID())
		require.Equal(t, c.Sampled, sc.IsSampled())
	}
}

func TestParseTraceparent(t *testing.T) {
	t.Parallel()
	const tid, sid = w3cTraceID, w3cSpanID
	sampled, notSampled := mustContext(t, tid, sid, true), mustContext(t, tid, sid, false)
	requireFinds(t, parsed(ParseTraceparent), Valid, []parseCase{
		{"sampled", "00-" + tid + "-" + sid + "-01", sampled},
		{"not sampled", "00-" + tid + "-" + sid + "-00", notSampled},
		{"other flag bits", "00-" + tid + "-" + sid + "-09", sampled},
		{"future version with more fields", "cc-" + tid + "-" + sid + "-01-what-the-future-will-be-like", sampled},
		{"future version of the same length", "01-" + tid + "-" + sid + "-00", notSampled},
	})
	invalid := []valueCase{
		{"empty", ""},
		{"version ff", "ff-" + tid + "-" + sid + "-01"},
		{"version 00 with trailing data", "00-" + tid + "-" + sid + "-01-extra"},
		{"future version without dash after flags", "cc-" + tid + "-" + sid + "-01x"},
		{"upper-case trace id", "00-" + strings.ToUpper(tid) + "-" + sid + "-01"},
		{"upper-case version", "0A-" + tid + "-" + sid + "-01"},
		{"all-zero trace id", "00-00000000000000000000000000000000-" + sid + "-01"},
		{"all-zero span id", "00-" + tid + "-0000000000000000-01"},
		{"short trace id", "00-" + tid[1:] + "-" + sid + "-01"},
		{"non-hex flags", "00-" + tid + "-" + sid + "-0g"},
		{"wrong separators", "00_" + tid + "_" + sid + "_01"},
		{"bad version digits", "0g-" + tid + "-" + sid + "-01"},
		{"too short", "00-" + tid + "-" + sid + "-1"},
	}
	requireParseRejects(t, parsed(ParseTraceparent), invalid)
	for _, tc := range invalid {
		// Our verdict agrees with OpenTelemetry's reference extractor.
		h := http.Header{}
		h.Set(TraceparentHeader, tc.value)
		sc := trace.SpanContextFromContext(otelprop.TraceContext{}.Extract(context.Background(), otelprop.HeaderCarrier(h)))
		require.False(t, sc.IsValid(), "OpenTelemetry accepts %q (%s)", tc.value, tc.name)
	}
}

func FuzzParseTraceparent(f *testing.F) {
	f.Add("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseTraceparent(s)
		if !ok {
			return
		}
		require.True(t, c.IsValid())
		// A valid value re-formats to itself up to version and extra fields.
		require.Equal(t, s[3:52], FormatTraceparent(c)[3:52])
	})
}
