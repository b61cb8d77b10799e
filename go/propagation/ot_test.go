package propagation

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/propagators/ot"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/trace"
)

// Ids of OpenTelemetry Go's OT propagator tests.
const (
	otTraceID = "a1ce929d0e0e4736a3ce929d0e0e4736"
	otSpanID  = "00f067aa0ba902b7"
)

func TestInjectOT(t *testing.T) {
	t.Parallel()
	c := mustContext(t, otTraceID, otSpanID, false)
	// The full 128-bit trace id, not OpenTelemetry's right-most 64 bits.
	sent := func(sampled string) MapCarrier {
		return MapCarrier{OTTraceIDHeader: otTraceID, OTSpanIDHeader: otSpanID, OTSampledHeader: sampled}
	}
	requireInjects(t, injectOT, []injectCase{
		{"sampled", decided(c, true, false, false), sent("true")},
		{"not sampled", c, sent("false")},
		{"debug is sampled", decided(c, false, true, false), sent("true")},
		{"deferred is not sampled", decided(c, false, false, true), sent("false")},
	})
}

func TestExtractOT(t *testing.T) {
	t.Parallel()
	c := mustContext(t, otTraceID, otSpanID, false)
	headers := func(traceID, spanID, sampled string) MapCarrier {
		m := MapCarrier{OTTraceIDHeader: traceID, OTSpanIDHeader: spanID}
		if sampled != "" {
			m[OTSampledHeader] = sampled
		}
		return m
	}
	valid := []extractCase{
		{"sampled true", headers(otTraceID, otSpanID, "true"), decided(c, true, false, false)},
		{"sampled false", headers(otTraceID, otSpanID, "false"), c},
		{"sampled 1", headers(otTraceID, otSpanID, "1"), decided(c, true, false, false)},
		{"sampled 0", headers(otTraceID, otSpanID, "0"), c},
		{"sampled TRUE", headers(otTraceID, otSpanID, "TRUE"), decided(c, true, false, false)},
		{"sampled t, as strconv.ParseBool reads", headers(otTraceID, otSpanID, "t"), decided(c, true, false, false)},
		{"no sampled header is not sampled", headers(otTraceID, otSpanID, ""), c},
		{"64-bit trace id is left-padded", headers(otTraceID[16:], otSpanID, "1"),
			decided(mustContext(t, "0000000000000000"+otTraceID[16:], otSpanID, false), true, false, false)},
		{"upper-case ids", headers(strings.ToUpper(otTraceID), strings.ToUpper(otSpanID), "1"), decided(c, true, false, false)},
		{"unpadded ids, as basictracer writes them", headers("ce929d0e0e4736", "f067aa0ba902b7", "true"),
			decided(mustContext(t, "000000000000000000ce929d0e0e4736", otSpanID, false), true, false, false)},
	}
	requireFinds(t, extractOT, Valid, valid)
	invalid := []headerCase{
		{"no headers", MapCarrier{}},
		{"sampled alone", MapCarrier{OTSampledHeader: "true"}},
		{"trace id without span id", MapCarrier{OTTraceIDHeader: otTraceID, OTSampledHeader: "1"}},
		{"span id without trace id", MapCarrier{OTSpanIDHeader: otSpanID, OTSampledHeader: "1"}},
		{"empty trace id", headers("", otSpanID, "1")},
		{"trace id of 36 digits", headers(otTraceID+"0000", otSpanID, "1")},
		{"span id of 20 digits", headers(otTraceID, otSpanID+"0000", "1")},
		{"non-hex trace id", headers("zcd00v0000000000a3ce929d0e0e4736", otSpanID, "1")},
		{"non-hex span id", headers(otTraceID, "00f0wiredba902b7", "1")},
		{"negative trace id", headers("-"+otTraceID[17:], otSpanID, "1")},
		{"bogus sampled", headers(otTraceID, otSpanID, "wired")},
		{"sampled yes", headers(otTraceID, otSpanID, "yes")},
		{"all-zero trace id", headers(strings.Repeat("0", 32), otSpanID, "1")},
		{"all-zero span id", headers(otTraceID, strings.Repeat("0", 16), "1")},
	}
	requireRejects(t, extractOT, invalid)
	for _, tc := range invalid {
		// We are more lenient than OpenTelemetry, never less.
		sc := trace.SpanContextFromContext(ot.OT{}.Extract(context.Background(), otelCarrier(tc.headers)))
		require.False(t, sc.IsValid(), "OpenTelemetry accepts %v (%s)", tc.headers, tc.name)
	}
}

// TestOTBaggageValues checks the value coding of ot-baggage-* headers
// against OpenTelemetry's OT extractor: what we write, it reads back.
func TestOTBaggageValues(t *testing.T) {
	t.Parallel()
	for _, value := range []string{"value123", "a b", "a+b", "100%", "ünïcode", `a,b;c=d"e\f`, "%20", "k6/x=1&y=2"} {
		m := MapCarrier{OTTraceIDHeader: otTraceID, OTSpanIDHeader: otSpanID, OTBaggagePrefix + "key": otCoding.escape(value)}
		ctx := ot.OT{}.Extract(context.Background(), otelCarrier(m))
		require.Equal(t, value, baggage.FromContext(ctx).Member("key").Value(), "value %q sent as %q", value, m[OTBaggagePrefix+"key"])
		back, err := otCoding.unescape(m[OTBaggagePrefix+"key"])
		require.NoError(t, err)
		require.Equal(t, value, back)
	}
	// What baggage-octets allow is written raw, as OpenTelemetry JS, which
	// decodes nothing, must read it.
	for _, value := range []string{"a:b/c?d=e", "http://127.0.0.1:8080/vehicles/car?x=1&y=2", "k6.name!#$&'()*+-.<>@[]^_`{|}~"} {
		require.Equal(t, value, otCoding.escape(value))
	}
	require.Equal(t, "a%20b%2Cc%3Bd%25%22%5C%C3%A9", otCoding.escape(`a b,c;d%"\é`))
	// Why not Jaeger's query escaping: OpenTelemetry reads its "+" as a plus.
	m := MapCarrier{OTTraceIDHeader: otTraceID, OTSpanIDHeader: otSpanID, OTBaggagePrefix + "key": url.QueryEscape("a b")}
	require.Equal(t, "a+b", baggage.FromContext(ot.OT{}.Extract(context.Background(), otelCarrier(m))).Member("key").Value())
}

// TestOTBaggageRoundTrip writes baggage members as ot-baggage-* headers and
// reads them back.
func TestOTBaggageRoundTrip(t *testing.T) {
	t.Parallel()
	b := &Baggage{}
	b.SetDefault("user", "a b+c")
	m := MapCarrier{}
	injectOT(benchContext, b, m)
	require.Equal(t, "a%20b+c", m[OTBaggagePrefix+"user"])
	got := &Baggage{}
	otCodec.extractBaggage(m, got)
	require.Equal(t, b.WithinLimits(), got.WithinLimits())
}

func FuzzParseOT(f *testing.F) {
	f.Add(otTraceID, otSpanID, "true")
	f.Add("ce929d0e0e4736", "F067AA0BA902B7", "")
	f.Fuzz(func(t *testing.T, traceID, spanID, sampled string) {
		c, found := requireFuzzedHeaders(t, MapCarrier{OTTraceIDHeader: traceID, OTSpanIDHeader: spanID, OTSampledHeader: sampled},
			injectOT, extractOT)
		require.NotEqual(t, SamplingOnly, found, "OT has no decision without ids")
		require.False(t, c.Debug || c.Deferred, "OT has no debug or deferred state")
	})
}

func BenchmarkInjectOT(b *testing.B)      { benchInject(b, OT) }
func BenchmarkExtractOT(b *testing.B)     { benchExtract(b, OT) }
func BenchmarkInjectOTOTel(b *testing.B)  { benchInjectOTel(b, OT) }
func BenchmarkExtractOTOTel(b *testing.B) { benchExtractOTel(b, OT) }
