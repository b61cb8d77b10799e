package propagation

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestFormatUberTraceID(t *testing.T) {
	t.Parallel()
	c := mustContext(t, w3cTraceID, w3cSpanID, true)
	require.Equal(t, w3cTraceID+":"+w3cSpanID+":0:1", FormatUberTraceID(c))
	c.Sampled = false
	require.Equal(t, w3cTraceID+":"+w3cSpanID+":0:0", FormatUberTraceID(c))
}

func TestParseUberTraceID(t *testing.T) {
	t.Parallel()
	const tid, sid = w3cTraceID, w3cSpanID
	c := mustContext(t, tid, sid, false)
	sampled, debug := decided(c, true, false, false), decided(c, false, true, false)
	requireFinds(t, parsed(ParseUberTraceID), Valid, []parseCase{
		{"sampled", tid + ":" + sid + ":0:1", sampled},
		{"not sampled", tid + ":" + sid + ":0:0", c},
		{"debug implies sampled", tid + ":" + sid + ":0:2", debug},
		{"debug and sampled", tid + ":" + sid + ":0:3", debug},
		{"64-bit trace id", "a3ce929d0e0e4736:" + sid + ":0:1", mustContext(t, "0000000000000000a3ce929d0e0e4736", sid, true)},
		{"short span id", tid + ":f067aa0ba902b7:0:1", sampled},
		{"upper-case hex", "4BF92F3577B34DA6A3CE929D0E0E4736:" + sid + ":0:1", sampled},
		{"url-encoded colons", tid + "%3A" + sid + "%3A0%3A1", sampled},
		{"parent span id set", tid + ":" + sid + ":53995c3f42cd8ad8:1", sampled},
	})
	requireParseRejects(t, parsed(ParseUberTraceID), []valueCase{
		{"empty", ""},
		{"three fields", tid + ":" + sid + ":1"},
		{"five fields", tid + ":" + sid + ":0:1:1"},
		{"zero trace id", "0:" + sid + ":0:1"},
		{"zero span id", tid + ":0:0:1"},
		{"trace id too long", "1" + tid + ":" + sid + ":0:1"},
		{"non-hex span id", tid + ":zz:0:1"},
		{"empty flags", tid + ":" + sid + ":0:"},
	})
}

func FuzzParseUberTraceID(f *testing.F) {
	f.Add("4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7:0:1")
	f.Add("a%3Ab%3A0%3A1")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseUberTraceID(s)
		if ok {
			require.True(t, c.IsValid())
			back, ok := ParseUberTraceID(FormatUberTraceID(c))
			require.True(t, ok)
			require.Equal(t, c, back)
		}
	})
}

// TestJaegerBaggageValues: uberctx-* values read back the same through
// query unescaping (jaeger-client-go, Java's URLDecoder) and through
// decodeURIComponent (OpenTelemetry JS, jaeger-client-node), for which
// url.PathUnescape stands in here: it too leaves "+" alone.
func TestJaegerBaggageValues(t *testing.T) {
	t.Parallel()
	require.Equal(t, "perf%20test%2F%C3%A9", jaegerCoding.escape("perf test/é"))
	for _, value := range []string{"value123", "a b", "a+b", "a + b", "100%", "ünïcode", `a,b;c=d"e\f`, "%20", "k6/x=1&y=2"} {
		sent := jaegerCoding.escape(value)
		require.NotContains(t, sent, "+", "value %q", value)
		for name, unescape := range map[string]func(string) (string, error){
			"query unescaping": url.QueryUnescape, "decodeURIComponent": url.PathUnescape, "our extractor": jaegerCoding.unescape,
		} {
			got, err := unescape(sent)
			require.NoError(t, err)
			require.Equal(t, value, got, "%q sent as %q, read by %s", value, sent, name)
		}
	}
	// What jaeger-client-go writes for a space, "+", still reads as one.
	got, err := jaegerCoding.unescape("a+b")
	require.NoError(t, err)
	require.Equal(t, "a b", got)
}
