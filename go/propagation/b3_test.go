package propagation

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/otel/trace"
)

// Ids of the B3 specification's examples.
const (
	b3TraceID  = "80f198ee56343ba864fe8b2a57d3eff7"
	b3SpanID   = "e457b5a2e4d86bd1"
	b3ParentID = "05e3ac9a4f6e3b90"
)

// decided returns c with the given sampling state, as a parser sets it.
func decided(c Context, sampled, debug, deferred bool) Context {
	c.decision(sampled, debug, deferred)
	return c
}

func TestFormatB3(t *testing.T) {
	t.Parallel()
	c := mustContext(t, b3TraceID, b3SpanID, false)
	tests := []struct {
		name string
		c    Context
		want string
	}{
		{"sampled", decided(c, true, false, false), b3TraceID + "-" + b3SpanID + "-1"},
		{"not sampled", c, b3TraceID + "-" + b3SpanID + "-0"},
		{"debug", decided(c, false, true, false), b3TraceID + "-" + b3SpanID + "-d"},
		{"deferred omits the state", decided(c, false, false, true), b3TraceID + "-" + b3SpanID},
		{"64-bit trace id is written with 32 digits", mustContext(t, "0000000000000000"+b3SpanID, b3SpanID, true),
			"0000000000000000" + b3SpanID + "-" + b3SpanID + "-1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, FormatB3(tc.c))
		})
	}
}

func TestParseB3(t *testing.T) {
	t.Parallel()
	const tid, sid, pid = b3TraceID, b3SpanID, b3ParentID
	c := mustContext(t, tid, sid, false)
	padded := mustContext(t, "0000000000000000"+tid[16:], sid, false)
	requireFinds(t, ParseB3, Valid, []parseCase{
		{"sampled", tid + "-" + sid + "-1", decided(c, true, false, false)},
		{"not sampled", tid + "-" + sid + "-0", c},
		{"debug implies sampled", tid + "-" + sid + "-d", decided(c, false, true, false)},
		{"no sampling state defers", tid + "-" + sid, decided(c, false, false, true)},
		{"with parent span id", tid + "-" + sid + "-1-" + pid, decided(c, true, false, false)},
		{"debug with parent span id", tid + "-" + sid + "-d-" + pid, decided(c, false, true, false)},
		{"64-bit trace id is left-padded", tid[16:] + "-" + sid + "-1", decided(padded, true, false, false)},
		{"64-bit trace id without state", tid[16:] + "-" + sid, decided(padded, false, false, true)},
	})
	requireFinds(t, ParseB3, SamplingOnly, []parseCase{
		{"deny decision only", "0", Context{}},
		{"accept decision only", "1", decided(Context{}, true, false, false)},
		{"debug decision only", "d", decided(Context{}, false, true, false)},
	})
	invalid := []valueCase{
		{"empty", ""},
		{"128-bit trace id alone", tid},
		{"64-bit trace id alone", tid[16:]},
		{"dash after span id without state", tid + "-" + sid + "-"},
		{"parent span id without state", tid + "-" + sid + "-" + pid},
		{"state true", tid + "-" + sid + "-true"},
		{"bogus state", tid + "-" + sid + "-q"},
		{"two-digit state", tid + "-" + sid + "-01"},
		{"upper-case debug state", tid + "-" + sid + "-D"},
		{"bogus state alone", "x"},
		{"state true alone", "true"},
		{"upper-case trace id", strings.ToUpper(tid) + "-" + sid + "-1"},
		{"upper-case span id", tid + "-" + strings.ToUpper(sid) + "-1"},
		{"upper-case parent span id", tid + "-" + sid + "-1-" + strings.ToUpper(pid)},
		{"trace id of 34 digits", "ab" + tid + "-" + sid + "-1"},
		{"trace id of 30 digits", tid[2:] + "-" + sid + "-1"},
		{"trace id of 3 digits", "123-" + sid + "-1"},
		{"span id of 18 digits", tid + "-" + sid + "cd-1"},
		{"span id of 3 digits", tid + "-123-1"},
		{"non-hex trace id", "qw" + tid[2:] + "-" + sid + "-1"},
		{"non-hex span id", tid + "-qw" + sid[2:] + "-1"},
		{"non-hex parent span id", tid + "-" + sid + "-1-qw" + pid[2:]},
		{"parent span id of 18 digits", tid + "-" + sid + "-1-" + pid + "cd"},
		{"parent span id of 3 digits", tid + "-" + sid + "-d-123"},
		{"all-zero parent span id", tid + "-" + sid + "-1-0000000000000000"},
		{"all-zero trace and span ids", "00000000000000000000000000000000-0000000000000000-1"},
		{"all-zero 64-bit trace id", "0000000000000000-" + sid + "-1"},
		{"all-zero span id", tid + "-0000000000000000-1"},
		{"a traceparent", "00-" + tid + "-" + sid + "-01"},
		{"a fifth field", tid + "-" + sid + "-1-" + pid + "-1"},
		{"leading blank", " " + tid + "-" + sid + "-1"},
		{"underscores", tid + "_" + sid + "_1"},
	}
	requireParseRejects(t, ParseB3, invalid)
	for _, tc := range invalid {
		// Our verdict agrees with OpenTelemetry's B3 extractor.
		sc := trace.SpanContextFromContext(b3.New().Extract(context.Background(), otelCarrier{B3Header: tc.value}))
		require.False(t, sc.IsValid(), "OpenTelemetry accepts %q (%s)", tc.value, tc.name)
	}
}

func FuzzParseB3(f *testing.F) {
	f.Add(b3TraceID + "-" + b3SpanID + "-1-" + b3ParentID)
	f.Add(b3TraceID[16:] + "-" + b3SpanID)
	f.Add("d")
	f.Fuzz(func(t *testing.T, s string) {
		requireFuzzedValue(t, s, FormatB3, ParseB3)
	})
}

func BenchmarkInjectB3(b *testing.B)      { benchInject(b, B3) }
func BenchmarkExtractB3(b *testing.B)     { benchExtract(b, B3) }
func BenchmarkInjectB3OTel(b *testing.B)  { benchInjectOTel(b, B3) }
func BenchmarkExtractB3OTel(b *testing.B) { benchExtractOTel(b, B3) }
