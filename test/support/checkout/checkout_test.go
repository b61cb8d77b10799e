package checkout_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/checkout"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// slowDelay keeps the test fast; it is still far longer than everything
// else a checkout does.
const slowDelay = 50 * time.Millisecond

// callerSpanID is the span id of the traceparent the test sends: the
// gateway's SERVER span must be its child.
const callerSpanID = "00f067aa0ba902b7"

// client is the test's own, never through a proxy from the environment.
var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil}}

// TestCheckout sends one checkout of each kind, in a trace of its own, and
// checks the statuses, and then, once Stop has flushed the services'
// spans, each trace's tree: who is whose parent, that "charge card" takes
// the slow delay, and that "authorize card" is the deepest error.
func TestCheckout(t *testing.T) {
	sink, err := otlpsink.Start(otlpsink.Options{Keep: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sink.Close() })

	sys, err := checkout.Start(t.Context(), sink.Endpoint(), checkout.WithSlowDelay(slowDelay))
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Stop(context.Background()) })
	require.Equal(t, slowDelay, sys.SlowDelay())

	wantStatus := map[string]int{checkout.KindOK: 200, checkout.KindSlow: 200, checkout.KindFail: 502}
	traceIDs := map[string]string{}
	for i, kind := range []string{checkout.KindOK, checkout.KindSlow, checkout.KindFail} {
		traceIDs[kind] = fmt.Sprintf("4bf92f3577b34da6a3ce929d0e0e47%02x", i+1)
		status, body := get(t, sys.URL+"/checkout?kind="+kind, "00-"+traceIDs[kind]+"-"+callerSpanID+"-01")
		assert.Equal(t, wantStatus[kind], status, "kind=%s: %v", kind, body)
		assert.Equal(t, traceIDs[kind], body["trace_id"], "kind=%s: the answer's trace id", kind)
	}
	status, body := get(t, sys.URL+"/checkout?kind=bogus", "")
	assert.Equal(t, http.StatusBadRequest, status, "kind=bogus: %v", body)
	status, _ = get(t, sys.URL+"/elsewhere", "")
	assert.Equal(t, http.StatusNotFound, status)

	assert.Equal(t, map[string]int{checkout.KindOK: 1, checkout.KindSlow: 1, checkout.KindFail: 1}, sys.Counts())

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	require.NoError(t, sys.Stop(ctx))
	require.NoError(t, sys.Stop(ctx), "a second Stop")

	// Stop returned once the spans were exported, and the sink counts
	// spans before it answers: all are there. 8 spans for ok and slow, 7
	// for fail (nothing charged), 1 for the refused request.
	spans := sink.Spans()
	require.Len(t, spans, 8+8+7+1)
	gatewayURL, err := url.Parse(sys.URL)
	require.NoError(t, err)

	for kind, traceID := range traceIDs {
		t.Run(kind, func(t *testing.T) {
			tr := newTree(t, spans, traceID)
			gw := tr.one(checkout.ServiceGateway, "GET /checkout", "server", callerSpanID)
			assert.Equal(t, "GET", gw.Attrs["http.request.method"])
			assert.Equal(t, "/checkout", gw.Attrs["url.path"])
			assert.Equal(t, "/checkout", gw.Attrs["http.route"])
			assert.Equal(t, gatewayURL.Hostname(), gw.Attrs["server.address"])
			assert.Equal(t, gatewayURL.Port(), gw.Attrs["server.port"])
			assert.Equal(t, strconv.Itoa(wantStatus[kind]), gw.Attrs["http.response.status_code"])
			gwCall := tr.one(checkout.ServiceGateway, "POST /orders", "client", gw.SpanID)
			orders := tr.one(checkout.ServiceOrders, "POST /orders", "server", gwCall.SpanID)
			tr.one(checkout.ServiceOrders, "insert order", "internal", orders.SpanID)
			ordersCall := tr.one(checkout.ServiceOrders, "POST /payments", "client", orders.SpanID)
			payments := tr.one(checkout.ServicePayments, "POST /payments", "server", ordersCall.SpanID)
			authorize := tr.one(checkout.ServicePayments, checkout.SpanAuthorize, "internal", payments.SpanID)

			switch kind {
			case checkout.KindFail:
				assert.Empty(t, tr.named(checkout.ServicePayments, checkout.SpanCharge), "a declined card is not charged")
				assert.True(t, authorize.StatusError, "authorize card's status")
				assert.Equal(t, "card declined", authorize.StatusMessage)
				assert.Equal(t, "500", payments.Attrs["http.response.status_code"])
				assert.Equal(t, "500", ordersCall.Attrs["http.response.status_code"])
				assert.Equal(t, "502", orders.Attrs["http.response.status_code"])
				assert.Equal(t, "502", gwCall.Attrs["http.response.status_code"])
				for _, s := range []otlpsink.Span{gw, gwCall, orders, ordersCall, payments} {
					assert.True(t, s.StatusError, "%s %q: a 5xx on the way up", s.Service, s.Name)
				}
				deepest := tr.deepestError()
				assert.Equal(t, checkout.ServicePayments+"/"+checkout.SpanAuthorize, deepest.Service+"/"+deepest.Name)
			default:
				charge := tr.one(checkout.ServicePayments, checkout.SpanCharge, "internal", payments.SpanID)
				for _, s := range tr.spans {
					assert.False(t, s.StatusError, "%s %q: %s", s.Service, s.Name, s.StatusMessage)
				}
				if kind == checkout.KindSlow {
					took := charge.End.Sub(charge.Start)
					assert.GreaterOrEqual(t, took, slowDelay, "charge card")
					assert.Greater(t, took, gw.End.Sub(gw.Start)/2, "charge card dominates the checkout")
				}
			}
		})
	}
}

// TestBatchDelay checks that WithBatchDelay shortens the batch processor's
// schedule delay: the spans arrive without Stop, well before the SDK's
// default 5 seconds.
func TestBatchDelay(t *testing.T) {
	sink, err := otlpsink.Start(otlpsink.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sink.Close() })
	sys, err := checkout.Start(t.Context(), sink.Endpoint(),
		checkout.WithSlowDelay(slowDelay), checkout.WithBatchDelay(20*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Stop(context.Background()) })

	status, body := get(t, sys.URL+"/checkout?kind=ok", "")
	require.Equal(t, http.StatusOK, status, "%v", body)
	require.NoError(t, sink.WaitCount(8, 3*time.Second))
}

// get sends GET url, with traceparent unless it is "", and returns the
// status and the decoded JSON body.
func get(t *testing.T, u, traceparent string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	if traceparent != "" {
		req.Header.Set("traceparent", traceparent)
		req.Header.Set("baggage", "tenant=acme")
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body) // a 404 is plain text
	return resp.StatusCode, body
}

// tree is one trace's spans.
type tree struct {
	t     *testing.T
	spans []otlpsink.Span
	byID  map[string]otlpsink.Span
}

func newTree(t *testing.T, all []otlpsink.Span, traceID string) tree {
	tr := tree{t: t, byID: map[string]otlpsink.Span{}}
	for _, s := range all {
		if s.TraceID == traceID {
			tr.spans = append(tr.spans, s)
			tr.byID[s.SpanID] = s
		}
	}
	return tr
}

func (tr tree) named(service, name string) []otlpsink.Span {
	var out []otlpsink.Span
	for _, s := range tr.spans {
		if s.Service == service && s.Name == name {
			out = append(out, s)
		}
	}
	return out
}

// one is the trace's only span of service named name, which must be of
// kind and the child of parentID.
func (tr tree) one(service, name, kind, parentID string) otlpsink.Span {
	tr.t.Helper()
	found := tr.named(service, name)
	require.Len(tr.t, found, 1, "%s %q in %v", service, name, tr.spans)
	s := found[0]
	assert.Equal(tr.t, kind, s.Kind, "%s %q: kind", service, name)
	assert.Equal(tr.t, parentID, s.ParentID, "%s %q: parent", service, name)
	return s
}

// deepestError is the error span furthest from the root.
func (tr tree) deepestError() otlpsink.Span {
	tr.t.Helper()
	var (
		deepest  otlpsink.Span
		maxDepth = -1
	)
	for _, s := range tr.spans {
		if !s.StatusError {
			continue
		}
		depth := 0
		for p, ok := tr.byID[s.ParentID]; ok; p, ok = tr.byID[p.ParentID] {
			depth++
		}
		if depth > maxDepth {
			deepest, maxDepth = s, depth
		}
	}
	require.GreaterOrEqual(tr.t, maxDepth, 0, "no error span")
	return deepest
}
