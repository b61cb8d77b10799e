package propagation

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/contrib/propagators/aws/xray"
	"go.opentelemetry.io/otel/trace"
)

// The trace id of OpenTelemetry Go's X-Ray tests, in both spellings.
const (
	xrayRoot    = "1-abcdef12-1234567890abcdef12345678"
	xrayTraceID = "abcdef121234567890abcdef12345678"
	xrayParent  = "1234567890abcdef"
)

func TestFormatXRay(t *testing.T) {
	t.Parallel()
	c := mustContext(t, xrayTraceID, xrayParent, false)
	const prefix = "Root=" + xrayRoot + ";Parent=" + xrayParent + ";Sampled="
	require.Equal(t, prefix+"1", FormatXRay(decided(c, true, false, false)))
	require.Equal(t, prefix+"0", FormatXRay(c))
	require.Equal(t, prefix+"1", FormatXRay(decided(c, false, true, false)), "debug")
	require.Equal(t, prefix+"?", FormatXRay(decided(c, false, false, true)), "deferred")
}

func TestParseXRay(t *testing.T) {
	t.Parallel()
	const root, parent = "Root=" + xrayRoot, "Parent=" + xrayParent
	c := mustContext(t, xrayTraceID, xrayParent, false)
	sampled, deferred := decided(c, true, false, false), decided(c, false, false, true)
	requireFinds(t, parsed(ParseXRay), Valid, []parseCase{
		{"sampled", root + ";" + parent + ";Sampled=1", sampled},
		{"not sampled", root + ";" + parent + ";Sampled=0", c},
		{"decision requested", root + ";" + parent + ";Sampled=?", deferred},
		{"no Sampled field", root + ";" + parent, deferred},
		{"unknown Sampled value", root + ";" + parent + ";Sampled=2", deferred},
		{"empty Sampled value", root + ";" + parent + ";Sampled=", deferred},
		{"parent first", parent + ";" + root + ";Sampled=1", sampled},
		{"sampled first, as the AWS SDK's test", "Sampled=1;" + root + ";" + parent, sampled},
		{"Self and Lineage ignored", root + ";" + parent + ";Sampled=1;Self=1-5759e988-bd862e3fe1be46a994272793;Lineage=a87bd80c:1|68fd508a:5", sampled},
		{"unknown field first", "Foo=bar;" + root + ";" + parent + ";Sampled=1", sampled},
		{"blanks around fields", "Sampled=1; " + root + ";\t" + parent + " ", sampled},
		{"blanks around keys and values", "  Root =   " + xrayRoot + "  ;  Parent= " + xrayParent + ";  Sampled   =1", sampled},
		{"trailing semicolon", root + ";" + parent + ";Sampled=1;", sampled},
		{"field without equals sign ignored", root + ";Broken;" + parent + ";Sampled=1", sampled},
		{"a later field wins", "Sampled=0;" + root + ";" + parent + ";Sampled=1", sampled},
	})
	invalid := []valueCase{
		{"empty", ""},
		{"Root only, as a load balancer sends it", root},
		{"Root and Sampled only", root + ";Sampled=1"},
		{"Sampled only", "Sampled=1"},
		{"no Root", parent + ";Sampled=1"},
		{"empty Root", "Root=;" + parent},
		{"empty Parent", root + ";Parent=;Sampled=1"},
		{"version 2", "Root=2" + xrayRoot[1:] + ";" + parent},
		{"version 0", "Root=0" + xrayRoot[1:] + ";" + parent},
		{"short trace id", "Root=1-abc-123;" + parent},
		{"no dashes in trace id", "Root=1abcdef121234567890abcdef12345678;" + parent},
		{"epoch of 7 digits", "Root=1-abcdef1-21234567890abcdef12345678;" + parent},
		{"trace id too long", "Root=" + xrayRoot + "9;" + parent},
		{"non-hex epoch", "Root=1-vvcdef12-1234567890abcdef12345678;" + parent},
		{"non-hex unique part", "Root=1-abcdef12-vv34567890abcdef12345678;" + parent},
		{"upper-case trace id", "Root=" + strings.ToUpper(xrayRoot) + ";" + parent},
		{"upper-case parent", root + ";Parent=" + strings.ToUpper(xrayParent)},
		{"parent of 3 digits", root + ";Parent=123"},
		{"parent of 18 digits", root + ";Parent=" + xrayParent + "00"},
		{"non-hex parent", root + ";Parent=bad-spanid"},
		{"all-zero trace id", "Root=1-00000000-000000000000000000000000;" + parent},
		{"all-zero parent", root + ";Parent=0000000000000000"},
		{"lower-case keys", "root=" + xrayRoot + ";parent=" + xrayParent},
		{"a traceparent", "00-" + xrayTraceID + "-" + xrayParent + "-01"},
	}
	requireParseRejects(t, parsed(ParseXRay), invalid)
	for _, tc := range invalid {
		sc := trace.SpanContextFromContext(xray.Propagator{}.Extract(context.Background(), otelCarrier{XRayHeader: tc.value}))
		require.False(t, sc.IsValid(), "OpenTelemetry accepts %q (%s)", tc.value, tc.name)
	}
}

// TestXRayTraceIDCarriesTheTime checks that the Root of an X-Ray-layout id
// starts with the Unix time in seconds, which X-Ray requires.
func TestXRayTraceIDCarriesTheTime(t *testing.T) {
	t.Parallel()
	g := NewGenerator(NewSource(), LocalCode)
	before := time.Now().Unix()
	v := FormatXRay(g.NewTrace(LayoutXRay, NewSampler(1)))
	after := time.Now().Unix()
	epoch, err := strconv.ParseInt(v[len("Root=1-"):len("Root=1-")+8], 16, 64)
	require.NoError(t, err)
	require.True(t, before <= epoch && epoch <= after, "%d not within [%d, %d]", epoch, before, after)
}

func FuzzParseXRay(f *testing.F) {
	f.Add("Root=" + xrayRoot + ";Parent=" + xrayParent + ";Sampled=1")
	f.Add("Sampled=?; Parent=" + xrayParent + "; Root=" + xrayRoot + "; Self=2; Foo=bar")
	f.Fuzz(func(t *testing.T, s string) {
		c, _ := requireFuzzedValue(t, s, FormatXRay, parsed(ParseXRay))
		require.False(t, c.Debug, "X-Ray has no debug state")
	})
}

func BenchmarkInjectXRay(b *testing.B)      { benchInject(b, XRay) }
func BenchmarkExtractXRay(b *testing.B)     { benchExtract(b, XRay) }
func BenchmarkInjectXRayOTel(b *testing.B)  { benchInjectOTel(b, XRay) }
func BenchmarkExtractXRayOTel(b *testing.B) { benchExtractOTel(b, XRay) }
