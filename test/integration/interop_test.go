//go:build integration

package integration

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/interop"
)

// TestInteropWithReferenceParsers has the real k6 send every format next to
// W3C, and reads each request with parsers we did not write: OpenTelemetry
// Go's propagators (TraceContext, Baggage, contrib b3, jaeger, ot, aws
// xray) and, for Datadog and GCP, which OpenTelemetry lacks, independent
// decoders written from the vendors' documents. Both formats of a request
// must give the same trace id, span id and sampled flag, the trace id must
// be the one k6 reported as metadata, and baggage must survive where the
// reference parser reads it.
func TestInteropWithReferenceParsers(t *testing.T) {
	t.Parallel()
	wantBaggage := map[string]string{"tenant": "acme corp", "query": "a=b;c,d"}
	formats := []string{"w3c", "jaeger", "b3", "b3multi", "ot", "xray", "datadog", "gcp"}
	for _, format := range formats {
		for _, sampling := range []string{"1", "0"} {
			t.Run(fmt.Sprintf("%s sampling %s", format, sampling), func(t *testing.T) {
				t.Parallel()
				srv := startServer(t)
				const n = 20
				r := runK6(t, "../scripts/interop.js", map[string]string{
					"BASE_URL": srv.URL, "PROPAGATOR": format + ",w3c", "SAMPLING": sampling, "ITERATIONS": fmt.Sprint(n),
				})
				requireSuccess(t, r)
				var reported []string
				for _, s := range r.samples {
					if s.Metric == "http_reqs" {
						reported = append(reported, s.Data.Metadata["trace_id"])
					}
				}
				reqs := srv.Requests()
				require.Len(t, reqs, n)
				spans := map[string]bool{}
				for _, req := range reqs {
					got, err := interop.Extract(format, req.Header)
					require.NoError(t, err, "%s: %v", format, req.Header)
					w3c, err := interop.Extract("w3c", req.Header)
					require.NoError(t, err)
					require.Equal(t, w3c.TraceID, got.TraceID, "trace id")
					require.Equal(t, w3c.SpanID, got.SpanID, "span id")
					require.Equal(t, sampling == "1", got.Sampled, "sampled flag")
					require.Equal(t, sampling == "1", w3c.Sampled, "sampled flag")
					require.Contains(t, reported, got.TraceID, "the trace id k6 reported")
					require.False(t, spans[got.SpanID], "span ids are unique")
					spans[got.SpanID] = true
					switch format {
					case "ot", "jaeger": // they carry baggage themselves, so no baggage header is added
						require.Equal(t, wantBaggage, got.Baggage, "%s baggage", format)
						require.Empty(t, req.Header.Values("Baggage"))
					default:
						require.Equal(t, wantBaggage, w3c.Baggage, "W3C baggage")
					}
				}
			})
		}
	}
}
