//go:build integration

package integration

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// TestSpanTreeInJaeger: under traceScope "iteration" each iteration is
// one trace in Jaeger, rooted at its "iteration" span, with withSpan's
// spans between the root and the requests they enclose, the spans of
// asyncRequest, batch and a redirect hop, a group as a span (with an
// asyncRequest sent in it and settled after it, and the redirect), and a
// failing withSpan marked as an error. The requests of setup() and
// teardown(), outside any iteration, are roots of their own traces.
func TestSpanTreeInJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	srv := startServer(t)
	r := runK6(t, "scripts/spantree.js", map[string]string{"BASE_URL": srv.URL, "OTLP_ENDPOINT": j.OTLPHTTP})
	requireSuccess(t, r)
	require.NotContains(t, r.stderr, "not delivered")

	// The server tells which span sent each request, by path.
	sentBy := map[string][]propagation.Context{}
	for _, req := range srv.Requests() {
		c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, req.Path)
		sentBy[req.Path] = append(sentBy[req.Path], c)
	}
	for _, path := range []string{"/first", "/inside", "/async", "/in-group", "/async-in-group", "/batch1", "/batch2", "/redirect", "/landed"} {
		require.Len(t, sentBy[path], 2, "%s: once per iteration", path)
	}
	traces := map[string]bool{}
	for iteration := range 2 {
		traceID := sentBy["/first"][iteration].TraceID.String()
		traces[traceID] = true
		for path, cs := range sentBy {
			if path == "/setup" || path == "/teardown" {
				continue // checked below
			}
			require.Equal(t, traceID, cs[iteration].TraceID.String(), "%s is in its iteration's trace", path)
		}
		// iteration; 8 requests and the redirect hop; checkout, compute, async-work, browse, http.batch, fails
		const want = 16
		spans, err := j.WaitTrace(traceID, want, 15*time.Second)
		require.NoError(t, err)
		require.Len(t, spans, want, "iteration %d: %v", iteration, names(spans))
		tree := indexSpans(spans)

		root := tree.named(t, "iteration")
		require.Empty(t, root.ParentID(), "the iteration span is the root")
		require.Equal(t, "internal", tagOf(root, "span.kind"))
		require.EqualValues(t, iteration, tagOf(root, "k6.iteration"))

		bySpan := func(path string) jaeger.Span {
			t.Helper()
			s, ok := tree.byID[sentBy[path][iteration].SpanID.String()]
			require.True(t, ok, "%s: the span k6 sent is in Jaeger", path)
			require.Equal(t, "client", tagOf(s, "span.kind"), path)
			return s
		}
		require.Equal(t, root.SpanID, bySpan("/first").ParentID())

		checkout := tree.named(t, "checkout")
		require.Equal(t, root.SpanID, checkout.ParentID())
		require.EqualValues(t, 3, tagOf(checkout, "cart.items"))
		require.Equal(t, "demo", tagOf(checkout, "shop.name"))
		require.Equal(t, checkout.SpanID, bySpan("/inside").ParentID(), "a request inside withSpan is its child")
		compute := tree.named(t, "compute")
		require.Equal(t, checkout.SpanID, compute.ParentID(), "a span started inside withSpan is its child")
		require.Equal(t, "tax", tagOf(compute, "compute.kind"))
		require.Len(t, compute.Logs, 1)
		require.Contains(t, compute.Logs[0].Fields, jaeger.Tag{Key: "event", Type: "string", Value: "halfway"})

		async := tree.named(t, "async-work")
		asyncReq := bySpan("/async")
		require.Equal(t, async.SpanID, asyncReq.ParentID(), "asyncRequest inside an async withSpan")
		require.EqualValues(t, 200, tagOf(asyncReq, "http.response.status_code"))
		require.LessOrEqual(t, async.StartTime, asyncReq.StartTime)
		require.GreaterOrEqual(t, async.StartTime+async.Duration, asyncReq.StartTime+asyncReq.Duration,
			"async-work ends when its promise settles, after the request")

		browse := tree.named(t, "browse")
		require.Equal(t, root.SpanID, browse.ParentID())
		require.Equal(t, "::browse", tagOf(browse, "k6.group"))
		require.Equal(t, browse.SpanID, bySpan("/in-group").ParentID(), "a request in a group is the group span's child")
		require.Equal(t, "::browse", tagOf(bySpan("/in-group"), "k6.group"))
		settledLater := bySpan("/async-in-group")
		require.Equal(t, browse.SpanID, settledLater.ParentID(), "an asyncRequest sent in a group")
		require.Equal(t, "::browse", tagOf(settledLater, "k6.group"), "the group it was sent in, though it settled after")

		batch := tree.named(t, "http.batch")
		require.Equal(t, root.SpanID, batch.ParentID())
		require.EqualValues(t, 2, tagOf(batch, "k6.batch.size"))
		for _, path := range []string{"/batch1", "/batch2"} {
			s := bySpan(path)
			require.Equal(t, batch.SpanID, s.ParentID(), path)
			require.EqualValues(t, 200, tagOf(s, "http.response.status_code"), path)
		}
		require.Equal(t, "POST", bySpan("/batch2").OperationName)

		redirect := bySpan("/redirect")
		require.Equal(t, browse.SpanID, redirect.ParentID())
		hop := bySpan("/landed")
		require.Equal(t, redirect.SpanID, hop.ParentID(), "the redirect hop is a child of the request's span")
		require.Equal(t, "::browse", tagOf(hop, "k6.group"), "and in its group")
		require.Equal(t, srv.URL+"/landed", tagOf(hop, "url.full"))
		require.EqualValues(t, 200, tagOf(redirect, "http.response.status_code"), "the request's final status")

		fails := tree.named(t, "fails")
		require.Equal(t, "ERROR", tagOf(fails, "otel.status_code"))
		require.Equal(t, "boom", tagOf(fails, "otel.status_description"))
		require.Len(t, fails.Logs, 1)
		require.Contains(t, fails.Logs[0].Fields, jaeger.Tag{Key: "exception.message", Type: "string", Value: "boom"})
	}
	require.Len(t, traces, 2, "one trace per iteration")

	for _, path := range []string{"/setup", "/teardown"} {
		require.Len(t, sentBy[path], 1, path)
		c := sentBy[path][0]
		require.False(t, traces[c.TraceID.String()], "%s is in no iteration's trace", path)
		spans, err := j.WaitTrace(c.TraceID.String(), 1, 15*time.Second)
		require.NoError(t, err)
		require.Len(t, spans, 1, "%s: its trace is its own span: %v", path, names(spans))
		require.Equal(t, c.SpanID.String(), spans[0].SpanID, path)
		require.Empty(t, spans[0].ParentID(), "%s: a root, not the child of an iteration span never exported", path)
	}
}

// spanIndex finds the spans of one trace.
type spanIndex struct {
	byID   map[string]jaeger.Span
	byName map[string][]jaeger.Span
}

func indexSpans(spans []jaeger.Span) spanIndex {
	idx := spanIndex{byID: map[string]jaeger.Span{}, byName: map[string][]jaeger.Span{}}
	for _, s := range spans {
		idx.byID[s.SpanID] = s
		idx.byName[s.OperationName] = append(idx.byName[s.OperationName], s)
	}
	return idx
}

// named returns the one span called name.
func (idx spanIndex) named(t *testing.T, name string) jaeger.Span {
	t.Helper()
	require.Len(t, idx.byName[name], 1, "one span named %q", name)
	return idx.byName[name][0]
}

func names(spans []jaeger.Span) []string {
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.OperationName
	}
	return out
}
