package propagation

import (
	"context"
	"net/http"
	"strings"
	"testing"

	gcppropagator "github.com/GoogleCloudPlatform/opentelemetry-operations-go/propagator"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"
)

// The ids of Google's propagator tests: span id 139592093 is 000000000852019d.
const (
	gcpTraceID = "d36a105d7002f0dee73c0dfb9553764a"
	gcpSpanID  = "000000000852019d"
	gcpSpanDec = "139592093"
	gcpMaxSpan = "18446744073709551615"
	gcpPrefix  = gcpTraceID + "/" + gcpSpanDec
)

// googleParse reads v with Google's own propagator
// (opentelemetry-operations-go/propagator).
func googleParse(v string) trace.SpanContext {
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "http://example.com", http.NoBody)
	req.Header.Set(CloudTraceContextHeader, v)
	sc, err := gcppropagator.SpanContextFromRequest(req)
	if err != nil {
		return trace.SpanContext{}
	}
	return sc
}

// requireGoogleAgrees checks that Google's propagator reads v as c (where a
// deferred decision is not sampled).
func requireGoogleAgrees(t *testing.T, v string, c Context) {
	t.Helper()
	sc := googleParse(v)
	require.True(t, sc.IsValid(), "Google's propagator rejects %q", v)
	require.Equal(t, c.TraceID, sc.TraceID())
	require.Equal(t, c.SpanID, sc.SpanID())
	require.Equal(t, c.Sampled, sc.IsSampled())
}

func TestFormatCloudTraceContext(t *testing.T) {
	t.Parallel()
	c := mustContext(t, gcpTraceID, gcpSpanID, false)
	require.Equal(t, gcpPrefix+";o=1", FormatCloudTraceContext(decided(c, true, false, false)))
	require.Equal(t, gcpPrefix+";o=0", FormatCloudTraceContext(c))
	require.Equal(t, gcpPrefix+";o=1", FormatCloudTraceContext(decided(c, false, true, false)), "debug")
	require.Equal(t, gcpPrefix, FormatCloudTraceContext(decided(c, false, false, true)), "deferred")
	require.Equal(t, gcpTraceID+"/"+gcpMaxSpan+";o=1",
		FormatCloudTraceContext(mustContext(t, gcpTraceID, "ffffffffffffffff", true)))
}

func TestParseCloudTraceContext(t *testing.T) {
	t.Parallel()
	c := mustContext(t, gcpTraceID, gcpSpanID, false)
	valid := []parseCase{
		{"traced", gcpPrefix + ";o=1", decided(c, true, false, false)},
		{"not traced", gcpPrefix + ";o=0", c},
		{"no option defers", gcpPrefix, decided(c, false, false, true)},
		{"non-zero option is traced", gcpPrefix + ";o=3", decided(c, true, false, false)},
		{"leading zeros in span id", gcpTraceID + "/000" + gcpSpanDec + ";o=1", decided(c, true, false, false)},
		{"largest span id", gcpTraceID + "/" + gcpMaxSpan + ";o=1",
			decided(mustContext(t, gcpTraceID, "ffffffffffffffff", false), true, false, false)},
		{"span id with the high bit set", gcpTraceID + "/" + ddSpanDecimal + ";o=1",
			decided(mustContext(t, gcpTraceID, ddSpanID, false), true, false, false)},
	}
	requireFinds(t, parsed(ParseCloudTraceContext), Valid, valid)
	for _, tc := range valid {
		requireGoogleAgrees(t, tc.in, tc.want)
	}
	invalid := []valueCase{
		{"empty", ""},
		{"trace id alone", gcpTraceID},
		{"no span id", gcpTraceID + "/;o=1"},
		{"no slash", gcpTraceID + gcpSpanDec + ";o=1"},
		{"trace id of 3 digits", "123/" + gcpSpanDec + ";o=0"},
		{"trace id of 34 digits", gcpTraceID + "ab/" + gcpSpanDec + ";o=0"},
		{"non-hex trace id", "vvv" + gcpTraceID[3:] + "/" + gcpSpanDec},
		{"upper-case trace id", strings.ToUpper(gcpTraceID) + "/" + gcpSpanDec},
		{"hex span id", gcpTraceID + "/" + ddSpanID + ";o=1"},
		{"span id over 64 bits", gcpTraceID + "/18446744073709551616;o=1"},
		{"span id of 21 digits", gcpTraceID + "/0" + gcpMaxSpan},
		{"negative span id", gcpTraceID + "/-1;o=1"},
		{"plus sign in span id", gcpTraceID + "/+" + gcpSpanDec},
		{"zero span id", gcpTraceID + "/0;o=1"},
		{"zero trace id", strings.Repeat("0", 32) + "/" + gcpSpanDec},
		{"two-digit option", gcpPrefix + ";o=01"},
		{"empty option", gcpPrefix + ";o="},
		{"non-digit option", gcpPrefix + ";o=v"},
		{"semicolon without option", gcpPrefix + ";"},
		{"other option name", gcpPrefix + ";x=1"},
		{"trailing field", gcpPrefix + ";o=1;x=1"},
		{"blank before option", gcpPrefix + " ;o=1"},
	}
	requireParseRejects(t, parsed(ParseCloudTraceContext), invalid)
	for _, tc := range invalid {
		require.False(t, googleParse(tc.value).IsValid(), "Google's propagator accepts %q (%s)", tc.value, tc.name)
	}
}

func FuzzParseGCP(f *testing.F) {
	f.Add(gcpPrefix + ";o=1")
	f.Add(gcpTraceID + "/" + gcpMaxSpan)
	f.Fuzz(func(t *testing.T, s string) {
		if c, found := requireFuzzedValue(t, s, FormatCloudTraceContext, parsed(ParseCloudTraceContext)); found == Valid {
			requireGoogleAgrees(t, s, c)
		}
	})
}

func BenchmarkInjectGCP(b *testing.B)      { benchInject(b, GCP) }
func BenchmarkExtractGCP(b *testing.B)     { benchExtract(b, GCP) }
func BenchmarkInjectGCPOTel(b *testing.B)  { benchInjectOTel(b, GCP) }
func BenchmarkExtractGCPOTel(b *testing.B) { benchExtractOTel(b, GCP) }
