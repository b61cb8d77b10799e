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
	tests := []struct {
		name string
		c    Context
		want MapCarrier
	}{
		{"sampled", decided(c, true, false, false), with(B3SampledHeader, "1")},
		{"not sampled", c, with(B3SampledHeader, "0")},
		{"debug sends flags and no sampled header", decided(c, false, true, false), with(B3FlagsHeader, "1")},
		{"deferred sends neither", decided(c, false, false, true), ids},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := MapCarrier{}
			injectB3Multi(tc.c, nil, m)
			require.Equal(t, tc.want, m)
		})
	}
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
	valid := []struct {
		name    string
		headers MapCarrier
		want    Context
		found   Found
	}{
		{"sampled", ids(B3SampledHeader, "1"), decided(c, true, false, false), Valid},
		{"not sampled", ids(B3SampledHeader, "0"), c, Valid},
		{"no sampled header defers", ids(), decided(c, false, false, true), Valid},
		{"legacy true", ids(B3SampledHeader, "true"), decided(c, true, false, false), Valid},
		{"legacy false", ids(B3SampledHeader, "false"), c, Valid},
		{"legacy True in another case", ids(B3SampledHeader, "True"), decided(c, true, false, false), Valid},
		{"debug flag", ids(B3FlagsHeader, "1"), decided(c, false, true, false), Valid},
		{"debug flag wins over a deny", ids(B3FlagsHeader, "1", B3SampledHeader, "0"), decided(c, false, true, false), Valid},
		{"flags other than 1 are ignored", ids(B3FlagsHeader, "2", B3SampledHeader, "1"), decided(c, true, false, false), Valid},
		{"with parent span id", ids(B3ParentSpanIDHeader, pid, B3SampledHeader, "1"), decided(c, true, false, false), Valid},
		{"64-bit trace id is left-padded", MapCarrier{B3TraceIDHeader: tid[16:], B3SpanIDHeader: sid},
			decided(mustContext(t, "0000000000000000"+tid[16:], sid, false), false, false, true), Valid},
		{"repeated header: the first value wins", ids(B3SampledHeader, "1, 0"), decided(c, true, false, false), Valid},
		{"deny decision only", MapCarrier{B3SampledHeader: "0"}, Context{}, SamplingOnly},
		{"accept decision only", MapCarrier{B3SampledHeader: "1"}, decided(Context{}, true, false, false), SamplingOnly},
		{"debug decision only", MapCarrier{B3FlagsHeader: "1"}, decided(Context{}, false, true, false), SamplingOnly},
	}
	for _, tc := range valid {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, found := extractB3Multi(tc.headers)
			require.Equal(t, tc.found, found)
			require.Equal(t, tc.want, got)
		})
	}
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
		c, found := extractB3Multi(MapCarrier{
			B3TraceIDHeader: traceID, B3SpanIDHeader: spanID, B3ParentSpanIDHeader: parentID,
			B3SampledHeader: sampled, B3FlagsHeader: flags,
		})
		requireDecision(t, c)
		switch found {
		case NotFound:
			require.Equal(t, Context{}, c)
		case SamplingOnly:
			require.Equal(t, decided(Context{}, c.Sampled, c.Debug, false), c)
		case Valid:
			require.True(t, c.IsValid())
			m := MapCarrier{}
			injectB3Multi(c, nil, m)
			back, found := extractB3Multi(m)
			require.Equal(t, Valid, found)
			require.Equal(t, c, back)
		}
	})
}

func BenchmarkInjectB3Multi(b *testing.B)      { benchInject(b, B3Multi) }
func BenchmarkExtractB3Multi(b *testing.B)     { benchExtract(b, B3Multi) }
func BenchmarkInjectB3MultiOTel(b *testing.B)  { benchInjectOTel(b, B3Multi) }
func BenchmarkExtractB3MultiOTel(b *testing.B) { benchExtractOTel(b, B3Multi) }
