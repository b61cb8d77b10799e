package tracing

import (
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

// newTestPageSpans returns the spans of a test page (see
// newTestPageTracer), without a provider: what they record, not export.
func newTestPageSpans(t *testing.T) (*pageSpans, *sobek.Runtime) {
	t.Helper()
	p, rt := newTestPageTracer(t, `{}`, "http://site.test")
	s := &pageSpans{p: p, span: requestTrace{ctx: p.root}, start: time.Now(), pending: map[string][]browserRequest{}}
	p.spans = s
	return s, rt
}

func stub(t *testing.T, rt *sobek.Runtime, expr string) *sobek.Object {
	t.Helper()
	v, err := rt.RunString(expr)
	require.NoError(t, err)
	return v.(*sobek.Object)
}

func TestPageSpansMatchRequestsInOrder(t *testing.T) {
	t.Parallel()
	s, rt := newTestPageSpans(t)
	req := stub(t, rt, `request("http://site.test/api", {}, false)`)
	first, second := s.child(), s.child()
	s.sent(req, "http://site.test/api", first, true)
	s.sent(req, "http://site.test/api", second, false)
	s.sent(req, "data:,x", s.child(), false)
	require.Len(t, s.pending, 1, "a data: URL has no span")

	s.responded("GET", "http://site.test/api", 204, time.Now())
	s.responded("POST", "http://site.test/api", 500, time.Now()) // no such request: nothing
	br, ok := s.take("GET", "http://site.test/api")
	require.True(t, ok)
	require.Equal(t, first.ctx.SpanID, br.sp.ctx.SpanID, "the oldest first")
	require.Equal(t, 204, br.status)
	require.True(t, br.propagated)
	require.Equal(t, "script", br.resourceType)
	br, ok = s.take("GET", "http://site.test/api")
	require.True(t, ok)
	require.Equal(t, second.ctx.SpanID, br.sp.ctx.SpanID)
	require.Zero(t, br.status, "not responded yet")
	_, ok = s.take("GET", "http://site.test/api")
	require.False(t, ok)
	require.Empty(t, s.pending)
}

func TestPageSpansEndOnceAndStopRecording(t *testing.T) {
	t.Parallel()
	s, rt := newTestPageSpans(t)
	req := stub(t, rt, `request("http://site.test/a", {}, false)`)
	s.sent(req, "http://site.test/a", s.child(), true)
	s.end(time.Now(), "test", nil)
	require.True(t, s.isEnded())
	require.Nil(t, s.pending, "pending requests end with the page")
	s.sent(req, "http://site.test/a", s.child(), true)
	require.Nil(t, s.pending, "an ended page records nothing more")
	s.end(time.Now(), "again", nil) // no panic, nothing twice
}

func TestPageSpansBoundPending(t *testing.T) {
	t.Parallel()
	s, rt := newTestPageSpans(t)
	req := stub(t, rt, `request("http://site.test/a", {}, false)`)
	for i := range maxPendingRequests + 5 {
		s.sent(req, "http://site.test/"+string(rune('a'+i%26))+"/"+time.Duration(i).String(), s.child(), true)
	}
	require.Len(t, s.pending, maxPendingRequests)
}

func TestRequestParentIsThePageSpan(t *testing.T) {
	t.Parallel()
	s, rt := newTestPageSpans(t)
	headers := traced(t, s.p, rt, `request("http://site.test/api", {})`)
	require.Contains(t, headers, "traceparent")
	br, ok := s.take("GET", "http://site.test/api")
	require.True(t, ok, "the routed request waits for its end")
	require.Equal(t, s.span.ctx.SpanID, br.sp.parent.SpanID, "a child of the page span")
	require.Contains(t, headers["traceparent"], br.sp.ctx.SpanID.String(), "the span its header carried")

	require.Nil(t, traced(t, s.p, rt, `request("http://third.test/x.js", {})`))
	br, ok = s.take("GET", "http://third.test/x.js")
	require.True(t, ok, "an untraced request has a span too")
	require.False(t, br.propagated)
}
