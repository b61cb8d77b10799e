package explain

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// jaegerAnswer writes spans as Jaeger v2's /api/v3/traces/{id} answers
// them: one resource per span, which the reader must accept.
func jaegerAnswer(spans []Span) []byte {
	type kv = map[string]any
	var resources []kv
	for _, s := range spans {
		status := kv{}
		if s.Error {
			status = kv{"code": 2, "message": s.StatusMessage}
		}
		resources = append(resources, kv{
			"resource": kv{"attributes": []kv{{"key": "service.name", "value": kv{"stringValue": s.Service}}}},
			"scopeSpans": []kv{{"spans": []kv{{
				"traceId": s.TraceID, "spanId": s.SpanID, "parentSpanId": s.ParentID, "name": s.Name,
				"startTimeUnixNano": strconv.FormatInt(s.Start.UnixNano(), 10),
				"endTimeUnixNano":   strconv.FormatInt(s.End.UnixNano(), 10),
				"status":            status,
			}}}},
		})
	}
	b, _ := json.Marshal(kv{"result": kv{"resourceSpans": resources}})
	return b
}

// checkoutTrace is a request through gateway, orders and payments, with
// payments' charge taking slowMs, or its authorize failing.
func checkoutTrace(traceID, root string, slowMs int, fail bool) []Span {
	spans := []Span{
		span(root, "", "k6", "GET /checkout", 0, 50+slowMs),
		span(root[:14]+"01", root, "gateway", "GET /checkout", 2, 48+slowMs),
		span(root[:14]+"02", root[:14]+"01", "orders", "insert order", 5, 15),
		span(root[:14]+"03", root[:14]+"01", "payments", "authorize card", 16, 20),
		span(root[:14]+"04", root[:14]+"01", "payments", "charge card", 20, 45+slowMs),
	}
	if fail {
		spans[3].Error, spans[3].StatusMessage = true, "card declined"
		spans[1].Error, spans[1].StatusMessage = true, "502"
	}
	for i := range spans {
		spans[i].TraceID = traceID
	}
	return spans
}

// stubBackend answers /api/v3/traces/{id} from traces; a trace's spans
// arrive in two steps when late, as services export in batches.
type stubBackend struct {
	traces map[string][]Span
	late   map[string]time.Time // when the rest of a trace arrives
	status map[string]int       // an error answer for a trace
	reads  atomic.Int64
	mu     sync.Mutex
}

func (s *stubBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.reads.Add(1)
	id := strings.TrimPrefix(r.URL.Path, "/api/v3/traces/")
	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.status[id]; code != 0 {
		http.Error(w, "refused", code)
		return
	}
	spans, ok := s.traces[id]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if at, late := s.late[id]; late && time.Now().Before(at) {
		spans = spans[:1]
	}
	_, _ = w.Write(jaegerAnswer(spans))
}

func TestExplainReport(t *testing.T) {
	t.Parallel()
	const (
		slow1, slow2, failed, missing, refused = "aaaa0000000000000000000000000001", "aaaa0000000000000000000000000002",
			"aaaa0000000000000000000000000003", "aaaa0000000000000000000000000004", "aaaa0000000000000000000000000005"
	)
	stub := &stubBackend{
		traces: map[string][]Span{
			slow1:  checkoutTrace(slow1, "1000000000000000", 400, false),
			slow2:  checkoutTrace(slow2, "2000000000000000", 100, false),
			failed: checkoutTrace(failed, "3000000000000000", 0, true),
		},
		late:   map[string]time.Time{slow2: time.Now().Add(200 * time.Millisecond)},
		status: map[string]int{refused: http.StatusUnauthorized},
	}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)

	requests := []Request{
		{TraceID: slow1, SpanID: "1000000000000000", Name: "checkout"},
		{TraceID: slow2, SpanID: "2000000000000000", Name: "checkout"},
		{TraceID: failed, SpanID: "3000000000000000", Name: "checkout", Failed: true},
		{TraceID: missing, SpanID: "4000000000000000", Name: "checkout"},
		{TraceID: refused, SpanID: "5000000000000000", Name: "checkout"},
	}
	began := time.Now()
	rep := ExplainReport(context.Background(), Backend{Kind: "jaeger", URL: srv.URL}, requests, Options{
		Poll:    PollOptions{Interval: 50 * time.Millisecond, Settle: 300 * time.Millisecond},
		Timeout: 2 * time.Second,
	})
	took := time.Since(began)

	require.Equal(t, 3, rep.Read)
	require.Equal(t, 2, rep.Unread)
	require.Len(t, rep.Requests, 5)
	require.Equal(t, "checkout", rep.Requests[0].Name)
	require.Equal(t, Millis(450*time.Millisecond), rep.Requests[0].Duration)
	require.Equal(t, 5, rep.Requests[1].Spans, "the late spans were waited for")
	require.Equal(t, "payments", rep.Requests[0].Services[0].Service)
	require.Equal(t, "charge card", rep.Requests[0].Operations[0].Operation)
	require.Equal(t, &ErrorOriginJSON{Service: "payments", Operation: "authorize card", Message: "card declined",
		SpanID: "3000000000000003"}, rep.Requests[2].ErrorOrigin)
	require.Contains(t, rep.Requests[3].Error, "no such trace")
	require.Contains(t, rep.Requests[4].Error, "401")
	require.Contains(t, rep.Warning, "2 of 5 traces could not be read from jaeger "+srv.URL)

	all := rep.Summaries[0]
	require.Equal(t, "payments", all.Services[0].Service)
	require.Equal(t, []string{slow1, slow2}, all.Services[0].Traces)
	require.Equal(t, []OriginJSON{{Service: "payments", Operation: "authorize card", Message: "card declined",
		Count: 1, Traces: []string{failed}}}, all.Origins)

	require.NotNil(t, rep.Waterfall)
	require.Equal(t, slow1, rep.Waterfall.TraceID)
	var ops []string
	for _, s := range rep.Waterfall.Spans {
		ops = append(ops, strings.Repeat(" ", s.Depth)+s.Operation)
	}
	require.Equal(t, []string{"GET /checkout", " GET /checkout", "  insert order", "  authorize card", "  charge card"}, ops,
		"depth first, children by start")
	require.True(t, rep.Waterfall.Spans[4].Critical)
	require.Equal(t, Millis(20*time.Millisecond), rep.Waterfall.Spans[4].Start)

	// The missing trace is polled until the timeout, the others settle in
	// parallel: the whole costs the timeout, not a timeout per trace.
	require.Less(t, took, 3*time.Second)
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	require.Contains(t, string(b), `"duration":450,`)
}

func TestPollStopsAtPermanentErrors(t *testing.T) {
	t.Parallel()
	stub := &stubBackend{status: map[string]int{"bad": http.StatusBadRequest, "busy": http.StatusTooManyRequests}}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	results := Backend{Kind: "jaeger", URL: srv.URL}.Poll(ctx, []string{"bad", "busy"}, PollOptions{Interval: 50 * time.Millisecond})
	require.Equal(t, 1, results["bad"].Reads, "a 400 is not asked again")
	require.Greater(t, results["busy"].Reads, 5, "a 429 is")
}

func TestExplainReportBackendDown(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	began := time.Now()
	rep := ExplainReport(context.Background(), Backend{Kind: "tempo", URL: url},
		[]Request{{TraceID: "aaaa0000000000000000000000000001", SpanID: "1000000000000000"}},
		Options{Timeout: 500 * time.Millisecond})
	require.Less(t, time.Since(began), 2*time.Second)
	require.Equal(t, 1, rep.Unread)
	require.Contains(t, rep.Warning, "1 of 1 traces could not be read from tempo "+url+": ")
	require.Contains(t, rep.Warning, "connection refused")
	require.Nil(t, rep.Waterfall)
}

func TestWriteText(t *testing.T) {
	t.Parallel()
	const slow, failed = "aaaa0000000000000000000000000001", "aaaa0000000000000000000000000003"
	stub := &stubBackend{traces: map[string][]Span{
		slow:   checkoutTrace(slow, "1000000000000000", 400, false),
		failed: checkoutTrace(failed, "3000000000000000", 0, true),
	}}
	srv := httptest.NewServer(stub)
	t.Cleanup(srv.Close)
	rep := ExplainReport(context.Background(), Backend{Kind: "jaeger", URL: srv.URL}, []Request{
		{TraceID: slow, SpanID: "1000000000000000", Name: "checkout"},
		{TraceID: failed, SpanID: "3000000000000000", Name: "checkout", Failed: true},
	}, Options{Poll: PollOptions{Interval: 20 * time.Millisecond, Settle: 50 * time.Millisecond}})
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, "http://ui/trace/{traceId}"))
	out := b.String()
	// charge card: 25 of the 20..445 ms stretch under gateway, plus
	// 400 of slowness: 425 of 450 ms.
	require.Contains(t, out, `slow requests: 94% of their time on the critical path was in payments "charge card"`)
	require.Contains(t, out, `failed requests: 1 of 1 began in payments "authorize card": card declined`)
	require.Contains(t, out, "http://ui/trace/"+slow)
	require.Contains(t, out, "Slowest trace http://ui/trace/"+slow+" (checkout, 450ms)")
	lines := strings.Split(out, "\n")
	var charge string
	for _, l := range lines {
		if strings.Contains(l, "payments  charge card") {
			charge = l
		}
	}
	// 20 ms in and 425 ms long of 450: from column 2, 38 columns.
	require.Contains(t, charge, "  "+strings.Repeat("█", 38)+" ", out)
}

func TestBar(t *testing.T) {
	t.Parallel()
	ms := func(n int) Millis { return Millis(time.Duration(n) * time.Millisecond) }
	require.Equal(t, "  ░░░░░   ", Bar(WaterfallSpan{Start: ms(20), Duration: ms(50)}, ms(100), 10))
	require.Equal(t, "█         ", Bar(WaterfallSpan{Duration: 0, Critical: true}, ms(100), 10), "at least one column")
	require.Equal(t, "         █", Bar(WaterfallSpan{Start: ms(100), Duration: ms(10), Critical: true}, ms(100), 10),
		"a span at the end still shows")
}

func TestWriteTextCleansBackendText(t *testing.T) {
	t.Parallel()
	rep := Report{Read: 1, Requests: []ExplainedRequest{{Name: "x", Failed: true}}, Summaries: []ExplanationSummary{{
		Origins: []OriginJSON{{Service: "pay\x1b[31mments", Operation: "auth\tcard", Message: "declined\x1b[2J", Count: 1}},
	}}}
	var b strings.Builder
	require.NoError(t, rep.WriteText(&b, ""))
	require.NotContains(t, b.String(), "\x1b")
	require.Contains(t, b.String(), "pay?[31mments")
}

// TestExplainReportTempo reads a trace from Tempo's v2 API path, in its
// documented shape (under "trace", enums as names, with its status), with
// the tenant header a multi-tenant Tempo needs.
func TestExplainReportTempo(t *testing.T) {
	t.Parallel()
	var gotPath, gotTenant string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotTenant = r.URL.Path, r.Header.Get("X-Scope-OrgID")
		_, _ = w.Write([]byte(tempoV2))
	}))
	t.Cleanup(srv.Close)
	rep := ExplainReport(context.Background(),
		Backend{Kind: "tempo", URL: srv.URL, Header: http.Header{"X-Scope-Orgid": {"team-a"}}},
		[]Request{{TraceID: traceHex, SpanID: rootHex, Name: "pay", Failed: true}},
		Options{Poll: PollOptions{Interval: 10 * time.Millisecond, Settle: 30 * time.Millisecond}})
	require.Equal(t, "/api/v2/traces/"+traceHex, gotPath)
	require.Equal(t, "team-a", gotTenant)
	require.Equal(t, 1, rep.Read)
	require.Equal(t, "partial", rep.Requests[0].Complete)
	require.Equal(t, &ErrorOriginJSON{Service: "gateway", Operation: "charge", Message: "card declined", SpanID: childHex},
		rep.Requests[0].ErrorOrigin)
}
