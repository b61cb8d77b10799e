package propagation

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel/trace"
)

func TestInjectB3Multi(t *testing.T) {
	t.Parallel()
	c := mustContext(t, b3TraceID, b3SpanID, false)
	ids := MapCarrier{B3TraceIDHeader: b3TraceID, B3SpanIDHeader: b3SpanID}
	with := func(name, value string) MapCarrier {
		m := MapCarrier{name: value}
		for k, v := range ids {
			m[k] = v
		}
		return m
	}
	requireInjects(t, injectB3Multi, []injectCase{
		{"sampled", decided(c, true, false, false), with(B3SampledHeader, "1")},
		{"not sampled", c, with(B3SampledHeader, "0")},
		{"debug sends flags and no sampled header", decided(c, false, true, false), with(B3FlagsHeader, "1")},
		{"deferred sends neither", decided(c, false, false, true), ids},
	})
}

func TestExtractB3Multi(t *testing.T) {
	t.Parallel()
	const tid, sid, pid = b3TraceID, b3SpanID, b3ParentID
	c := mustContext(t, tid, sid, false)
	ids := func(kv ...string) MapCarrier {
		m := MapCarrier{B3TraceIDHeader: tid, B3SpanIDHeader: sid}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	requireFinds(t, extractB3Multi, Valid, []extractCase{
		{"sampled", ids(B3SampledHeader, "1"), decided(c, true, false, false)},
		{"not sampled", ids(B3SampledHeader, "0"), c},
		{"no sampled header defers", ids(), decided(c, false, false, true)},
		{"legacy true", ids(B3SampledHeader, "true"), decided(c, true, false, false)},
		{"legacy false", ids(B3SampledHeader, "false"), c},
		{"legacy True in another case", ids(B3SampledHeader, "True"), decided(c, true, false, false)},
		{"debug flag", ids(B3FlagsHeader, "1"), decided(c, false, true, false)},
		{"debug flag wins over a deny", ids(B3FlagsHeader, "1", B3SampledHeader, "0"), decided(c, false, true, false)},
		{"flags other than 1 are ignored", ids(B3FlagsHeader, "2", B3SampledHeader, "1"), decided(c, true, false, false)},
		{"with parent span id", ids(B3ParentSpanIDHeader, pid, B3SampledHeader, "1"), decided(c, true, false, false)},
		{"64-bit trace id is left-padded", MapCarrier{B3TraceIDHeader: tid[16:], B3SpanIDHeader: sid},
			decided(mustContext(t, "0000000000000000"+tid[16:], sid, false), false, false, true)},
		{"repeated header: the first value wins", ids(B3SampledHeader, "1, 0"), decided(c, true, false, false)},
	})
	requireFinds(t, extractB3Multi, SamplingOnly, []extractCase{
		{"deny decision only", MapCarrier{B3SampledHeader: "0"}, Context{}},
		{"accept decision only", MapCarrier{B3SampledHeader: "1"}, decided(Context{}, true, false, false)},
		{"debug decision only", MapCarrier{B3FlagsHeader: "1"}, decided(Context{}, false, true, false)},
	})
	invalid := []headerCase{
		{"no headers", MapCarrier{}},
		{"flags other than 1 alone", MapCarrier{B3FlagsHeader: "0"}},
		{"parent span id without ids", MapCarrier{B3ParentSpanIDHeader: pid, B3SampledHeader: "1"}},
		{"trace id without span id", MapCarrier{B3TraceIDHeader: tid, B3SampledHeader: "1"}},
		{"span id without trace id", MapCarrier{B3SpanIDHeader: sid, B3SampledHeader: "1"}},
		{"sampled d", ids(B3SampledHeader, "d")},
		{"sampled 10", ids(B3SampledHeader, "10")},
		{"bogus sampled voids the flags too", ids(B3SampledHeader, "yes", B3FlagsHeader, "1")},
		{"trace id of 34 digits", MapCarrier{B3TraceIDHeader: "ab" + tid, B3SpanIDHeader: sid}},
		{"trace id of 30 digits", MapCarrier{B3TraceIDHeader: tid[2:], B3SpanIDHeader: sid}},
		{"trace id of 12 digits", MapCarrier{B3TraceIDHeader: tid[:12], B3SpanIDHeader: sid}},
		{"span id of 18 digits", MapCarrier{B3TraceIDHeader: tid, B3SpanIDHeader: sid + "00"}},
		{"non-hex trace id", MapCarrier{B3TraceIDHeader: "qw" + tid[2:], B3SpanIDHeader: sid}},
		{"non-hex span id", MapCarrier{B3TraceIDHeader: tid, B3SpanIDHeader: "qw" + sid[2:]}},
		{"upper-case trace id", MapCarrier{B3TraceIDHeader: strings.ToUpper(tid), B3SpanIDHeader: sid}},
		{"upper-case span id", MapCarrier{B3TraceIDHeader: tid, B3SpanIDHeader: strings.ToUpper(sid)}},
		{"upper-case parent span id", ids(B3ParentSpanIDHeader, strings.ToUpper(pid))},
		{"all-zero parent span id", ids(B3ParentSpanIDHeader, "0000000000000000")},
		{"all-zero trace id", MapCarrier{B3TraceIDHeader: strings.Repeat("0", 32), B3SpanIDHeader: sid}},
		{"all-zero span id", MapCarrier{B3TraceIDHeader: tid, B3SpanIDHeader: strings.Repeat("0", 16)}},
	}
	requireRejects(t, extractB3Multi, invalid)
	for _, tc := range invalid {
		if tc.headers[B3TraceIDHeader] != "" || tc.headers[B3SpanIDHeader] != "" {
			// Our verdict agrees with OpenTelemetry's B3 extractor.
			sc := trace.SpanContextFromContext(b3.New().Extract(context.Background(), otelCarrier(tc.headers)))
			require.False(t, sc.IsValid(), "OpenTelemetry accepts %v (%s)", tc.headers, tc.name)
		}
	}
}

func FuzzParseB3Multi(f *testing.F) {
	f.Add(b3TraceID, b3SpanID, b3ParentID, "1", "")
	f.Add(b3TraceID[16:], b3SpanID, "", "", "1")
	f.Add("", "", "", "true", "")
	f.Fuzz(func(t *testing.T, traceID, spanID, parentID, sampled, flags string) {
		requireFuzzedHeaders(t, MapCarrier{
			B3TraceIDHeader: traceID, B3SpanIDHeader: spanID, B3ParentSpanIDHeader: parentID,
			B3SampledHeader: sampled, B3FlagsHeader: flags,
		}, injectB3Multi, extractB3Multi)
	})
}

func BenchmarkInjectB3Multi(b *testing.B)      { benchInject(b, B3Multi) }
func BenchmarkExtractB3Multi(b *testing.B)     { benchExtract(b, B3Multi) }
func BenchmarkInjectB3MultiOTel(b *testing.B)  { benchInjectOTel(b, B3Multi) }
func BenchmarkExtractB3MultiOTel(b *testing.B) { benchExtractOTel(b, B3Multi) }
