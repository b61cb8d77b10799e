//go:build integration

package integration

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/interop"
)

// TestInteropWithReferenceParsers has the real k6 send every format next to
// W3C, and reads each request with parsers we did not write: OpenTelemetry
// Go's propagators (TraceContext, Baggage, contrib b3, jaeger, ot, aws
// xray) and, for Datadog and GCP, which OpenTelemetry Go lacks, independent
// decoders written from the vendors' documents; then with JavaScript ones:
// OpenTelemetry JS's propagators, Google's for OpenTelemetry JS and
// Datadog's dd-trace. Every reader must give the same trace id, span id and
// sampled flag, the trace id must be the one k6 reported as metadata, and
// baggage must survive where the reader reads it: OpenTelemetry JS reads
// OpenTracing baggage raw, so there only the member that needs no escaping
// reads back as it was.
func TestInteropWithReferenceParsers(t *testing.T) {
	t.Parallel()
	wantBaggage := map[string]string{"tenant": "acme corp", "query": "a=b;c,d", "route": "a:b/c?d=e"}
	rawOTBaggage := map[string]string{"tenant": "acme%20corp", "query": "a=b%3Bc%2Cd", "route": "a:b/c?d=e"}
	formats := []string{"w3c", "jaeger", "b3", "b3multi", "ot", "xray", "datadog", "gcp"}
	for _, format := range formats {
		for _, sampling := range []string{"1", "0"} {
			t.Run(fmt.Sprintf("%s sampling %s", format, sampling), func(t *testing.T) {
				t.Parallel()
				srv := startServer(t)
				const n = 20
				r := runK6(t, "scripts/interop.js", map[string]string{
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
				headers := make([]http.Header, n)
				for i, req := range reqs {
					headers[i] = req.Header
				}
				js, jsErrs, err := interop.ExtractJS(format, headers)
				require.NoError(t, err)
				jsW3C, jsW3CErrs, err := interop.ExtractJS("w3c", headers)
				require.NoError(t, err)
				spans := map[string]bool{}
				for i, req := range reqs {
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

					require.NoError(t, jsErrs[i], "JavaScript's %s: %v", format, req.Header)
					require.NoError(t, jsW3CErrs[i], "JavaScript's w3c: %v", req.Header)
					for _, j := range []interop.Result{js[i], jsW3C[i]} {
						require.Equal(t, got.TraceID, j.TraceID, "JavaScript's trace id")
						require.Equal(t, got.SpanID, j.SpanID, "JavaScript's span id")
						require.Equal(t, got.Sampled, j.Sampled, "JavaScript's sampled flag")
					}
					switch format {
					case "ot", "jaeger": // they carry baggage themselves, so no baggage header is added
						require.Equal(t, wantBaggage, got.Baggage, "%s baggage", format)
						require.Empty(t, req.Header.Values("Baggage"))
						if format == "jaeger" {
							require.Equal(t, wantBaggage, js[i].Baggage, "JavaScript's jaeger baggage")
						} else {
							require.Equal(t, rawOTBaggage, js[i].Baggage, "JavaScript's ot baggage, read raw")
						}
					default:
						require.Equal(t, wantBaggage, w3c.Baggage, "W3C baggage")
						require.Equal(t, wantBaggage, jsW3C[i].Baggage, "JavaScript's W3C baggage")
					}
				}
			})
		}
	}
}
