package interop

import (
	"encoding/hex"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// jsBaggage are members of which some need escaping in a header value.
var jsBaggage = map[string]string{"tenant": "acme corp", "query": "a=b;c,d", "route": "a:b/c?d=e", "city": "zürich"}

// TestExtractJSReadsGoPropagation: what go/propagation writes in every
// format, OpenTelemetry JS's propagators, Google's and dd-trace read back:
// the same trace id, span id and sampled flag, and the same baggage where
// the format carries it, but for OpenTracing, which defines no escaping:
// OpenTelemetry JS reads its values raw, so only a value that needs no
// escape reads back the same there.
func TestExtractJSReadsGoPropagation(t *testing.T) {
	t.Parallel()
	for _, f := range propagation.Formats() {
		if !f.CarriesContext() {
			continue
		}
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			p := propagation.NewPropagator(f)
			if f == propagation.W3C {
				p = propagation.NewPropagator(f, propagation.W3CBaggage)
			}
			var b propagation.Baggage
			for k, v := range jsBaggage {
				require.NoError(t, b.Set(k, v))
			}
			g := propagation.NewGenerator(propagation.NewSource(), propagation.LocalCode)
			var contexts []propagation.Context
			var headers []http.Header
			for i := range 40 {
				c := g.NewTrace([]propagation.Layout{propagation.LayoutK6, propagation.LayoutRandom, propagation.LayoutXRay}[i%3], propagation.NewSampler(0.5))
				m := propagation.MapCarrier{}
				p.Inject(c, &b, m)
				h := http.Header{}
				for k, v := range m {
					h.Set(k, v)
				}
				contexts, headers = append(contexts, c), append(headers, h)
			}
			results, errs, err := ExtractJS(f.String(), headers)
			require.NoError(t, err)
			for i, c := range contexts {
				require.NoError(t, errs[i], "%v", headers[i])
				got := results[i]
				require.Equal(t, hex.EncodeToString(c.TraceID[:]), got.TraceID, "%v", headers[i])
				require.Equal(t, hex.EncodeToString(c.SpanID[:]), got.SpanID, "%v", headers[i])
				require.Equal(t, c.Sampled, got.Sampled, "%v", headers[i])
				switch f {
				case propagation.W3C, propagation.Jaeger:
					require.Equal(t, jsBaggage, got.Baggage, "%v", headers[i])
				case propagation.OT:
					require.Equal(t, map[string]string{
						"tenant": "acme%20corp", "query": "a=b%3Bc%2Cd", "route": "a:b/c?d=e", "city": "z%C3%BCrich",
					}, got.Baggage, "%v", headers[i])
				default:
					require.Nil(t, got.Baggage)
				}
			}
		})
	}
}

func TestExtractJSErrors(t *testing.T) {
	t.Parallel()
	results, errs, err := ExtractJS("w3c", []http.Header{
		header("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
		header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
	})
	require.NoError(t, err)
	require.ErrorIs(t, errs[0], ErrNoContext)
	require.NoError(t, errs[1])
	require.Equal(t, Result{TraceID: "4bf92f3577b34da6a3ce929d0e0e4736", SpanID: "00f067aa0ba902b7", Sampled: true}, results[1])
	_, errs, err = ExtractJS("datadog", []http.Header{header("x-datadog-trace-id", "0", "x-datadog-parent-id", "1")})
	require.NoError(t, err)
	require.ErrorIs(t, errs[0], ErrNoContext)
	_, errs, err = ExtractJS("baggage", []http.Header{header()})
	require.NoError(t, err)
	require.ErrorIs(t, errs[0], ErrNoBaggage)
	_, errs, err = ExtractJS("zipkin", []http.Header{header()})
	require.NoError(t, err)
	require.ErrorIs(t, errs[0], ErrUnknownFormat)
}
