//go:build integration

package integration

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestStackedLayers runs k6/x/tracing and k6/x/tracing/pyroscope stacked
// on k6/http, in both orders, with spans on either layer or both: each
// request names one span in its traceparent and carries pyroscope's
// baggage, its samples' trace_id metadata is that span's trace, and Jaeger
// has each request's client span exactly once (a batch's requests under
// its http.batch span, the redirect's hop under its request's).
func TestStackedLayers(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	for _, layers := range []string{"pyroscope,tracing", "tracing,pyroscope"} {
		for _, spansOn := range []string{"tracing", "pyroscope", "tracing,pyroscope"} {
			t.Run(fmt.Sprintf("layers %s, spans on %s", layers, spansOn), func(t *testing.T) {
				t.Parallel()
				srv := startServer(t)
				r := runK6(t, "scripts/stacked.js", map[string]string{
					"BASE_URL": srv.URL, "OTLP_ENDPOINT": j.OTLPHTTP, "LAYERS": layers, "SPANS": spansOn,
				})
				requireSuccess(t, r)
				require.NotContains(t, r.stderr, "not delivered")

				metadata := map[string][]string{} // by path: each http_reqs sample's trace_id
				for _, s := range r.samples {
					if s.Metric == "http_reqs" {
						path := strings.TrimPrefix(s.Data.Tags["url"], srv.URL)
						metadata[path] = append(metadata[path], s.Data.Metadata["trace_id"])
					}
				}
				sent := map[string][]propagation.Context{} // by path, in order
				for _, req := range srv.Requests() {
					c, ok := contextIn(propagation.W3C, req.Header)
					require.True(t, ok, "%s: a traceparent", req.Path)
					require.Contains(t, req.Header.Get("Baggage"), "k6.scenario=default", "%s: pyroscope's baggage", req.Path)
					path := req.Path
					if req.Query != "" {
						path += "?" + req.Query
					}
					sent[path] = append(sent[path], c)
				}
				for path, cs := range sent {
					require.Len(t, cs, 2, "%s: once per iteration", path)
					var ids []string
					for _, c := range cs {
						ids = append(ids, c.TraceID.String())
					}
					require.ElementsMatch(t, ids, metadata[path], "%s: trace_id is the trace its traceparent carried", path)
				}
				for i := range 2 {
					for _, path := range []string{"/get", "/post", "/async", "/redirect?to=/landed"} {
						c := sent[path][i]
						want := 1
						if path == "/redirect?to=/landed" {
							want = 2 // and the hop
						}
						spans, err := j.WaitTrace(c.TraceID.String(), want, 15*time.Second)
						require.NoError(t, err)
						require.Len(t, spans, want, "%s: %v", path, names(spans))
						tree := indexSpans(spans)
						request, ok := tree.byID[c.SpanID.String()]
						require.True(t, ok, "%s: the span the request named is in Jaeger", path)
						require.Equal(t, "client", tagOf(request, "span.kind"))
						if path == "/redirect?to=/landed" {
							hop, ok := tree.byID[sent["/landed"][i].SpanID.String()]
							require.True(t, ok, "the hop's span %s in %+v", sent["/landed"][i].SpanID, spans)
							require.Equal(t, request.SpanID, hop.ParentID())
						}
					}
					b1, b2 := sent["/batch1"][i], sent["/batch2"][i]
					require.Equal(t, b1.TraceID, b2.TraceID, "one trace per batch")
					spans, err := j.WaitTrace(b1.TraceID.String(), 3, 15*time.Second)
					require.NoError(t, err)
					require.Len(t, spans, 3, "http.batch and its requests: %v", names(spans))
					tree := indexSpans(spans)
					batch := tree.named(t, "http.batch")
					for _, c := range []propagation.Context{b1, b2} {
						s, ok := tree.byID[c.SpanID.String()]
						require.True(t, ok)
						require.Equal(t, batch.SpanID, s.ParentID())
					}
				}
			})
		}
	}
}
