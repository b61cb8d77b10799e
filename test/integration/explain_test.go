//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
	"github.com/xk6-tracing/xk6-tracing/test/support/checkout"
)

// TestExplainReadsJaeger: go/explain reads a trace back from a real
// Jaeger's v3 API (OTLP JSON), as the OpenTelemetry Go SDK exported it,
// and finds its critical path and its error's origin; an unknown trace is
// ErrNotFound, and a backend that is down costs at most the deadline.
func TestExplainReadsJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(j.OTLPHTTP))
	require.NoError(t, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "payments"))))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := tp.Tracer("test")
	base := time.Now().Add(-time.Minute)
	ctx, root := tracer.Start(context.Background(), "POST /pay", trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(base))
	_, fast := tracer.Start(ctx, "lookup", trace.WithTimestamp(base.Add(10*time.Millisecond)))
	fast.End(trace.WithTimestamp(base.Add(20 * time.Millisecond)))
	_, slow := tracer.Start(ctx, "charge", trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(base.Add(30*time.Millisecond)))
	slow.SetStatus(codes.Error, "card declined")
	slow.End(trace.WithTimestamp(base.Add(90 * time.Millisecond)))
	root.End(trace.WithTimestamp(base.Add(100 * time.Millisecond)))
	traceID := root.SpanContext().TraceID().String()

	jaegerAPI := explain.Backend{Kind: "jaeger", URL: j.Query}
	pollCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	results := jaegerAPI.Poll(pollCtx, []string{traceID}, explain.PollOptions{Interval: 200 * time.Millisecond, Settle: time.Second})
	r := results[traceID]
	require.NoError(t, r.Err)
	require.Len(t, r.Spans, 3, "read back")
	tree, err := explain.NewTree(r.Spans, root.SpanContext().SpanID().String())
	require.NoError(t, err)
	e := explain.Explain(tree)
	require.Equal(t, 100*time.Millisecond, e.Duration)
	require.Equal(t, "charge", e.Operations[0].Operation, "the slow call takes most of the critical path")
	require.InDelta(t, 0.6, e.Operations[0].Fraction, 0.001)
	require.NotNil(t, e.ErrorOrigin)
	require.Equal(t, "charge", e.ErrorOrigin.Name)
	require.Equal(t, "card declined", e.ErrorOrigin.StatusMessage)
	require.Equal(t, "client", e.ErrorOrigin.Kind)

	_, _, err = jaegerAPI.Fetch(context.Background(), "0123456789abcdef0123456789abcdef")
	require.ErrorIs(t, err, explain.ErrNotFound)

	down := explain.Backend{Kind: "jaeger", URL: "http://" + closedAddr(t), Header: http.Header{"Authorization": {"Basic eDp5"}}}
	start := time.Now()
	downCtx, cancelDown := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancelDown()
	got := down.Poll(downCtx, []string{traceID}, explain.PollOptions{})
	require.Error(t, got[traceID].Err)
	require.Less(t, time.Since(start), 3*time.Second, "a backend that is down costs at most the deadline")
}

// closedAddr is a loopback host:port nothing listens on.
func closedAddr(t *testing.T) string {
	u := closedURL(t)
	return u[len("http://") : len(u)-len("/closed")]
}

// TestExplainCheckoutSystem loads a system of three services instrumented
// with the OpenTelemetry Go SDK (gateway, orders, payments: payments'
// "charge card" slow on some requests, its "authorize card" failing on
// others), exporting to a real Jaeger in the SDK's default batches of 5 s,
// with k6's spans on; traceReport({ backend }) must name payments' "charge
// card" as what the slow requests waited for, with its share, and
// "authorize card" as where every failure began, overall and per request
// name. Then `k6 x explain` on the saved report must say the same.
func TestExplainCheckoutSystem(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sys, err := checkout.Start(context.Background(), strings.TrimSuffix(j.OTLPHTTP, "/v1/traces"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = sys.Stop(context.Background()) })
	out := t.TempDir()
	r := runK6(t, "scripts/explain.js", map[string]string{"BASE_URL": sys.URL, "JAEGER_URL": j.Query, "OUT": out},
		"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="+j.OTLPHTTP)
	requireSuccess(t, r)
	require.NotContains(t, r.stderr, "could not be read")
	require.Equal(t, map[string]int{checkout.KindOK: 18, checkout.KindSlow: 6, checkout.KindFail: 6}, sys.Counts())

	var explained struct {
		Slowest, Failed []struct{ TraceID string }
		Explanation     explain.Report
	}
	readJSON(t, filepath.Join(out, "explained.json"), &explained)
	e := explained.Explanation
	require.Len(t, explained.Failed, 6)
	// 20 slowest: the 6 slow ones, then the fastest failures among ok
	// ones; the failed ones that are among them are explained once.
	require.Equal(t, 0, e.Unread, "%+v", e.Requests)
	require.Equal(t, len(e.Requests), e.Read)
	require.GreaterOrEqual(t, e.Read, 20)
	for _, req := range e.Requests {
		require.False(t, req.RootMissing, "k6's span of %s is in Jaeger", req.TraceID)
		require.GreaterOrEqual(t, req.Spans, 8, "k6, gateway (2), orders (3), payments (2 or 3): %s", req.TraceID)
	}
	requireAnswer := func(s explain.ExplanationSummary, slow, failed bool) {
		t.Helper()
		if slow {
			top := s.Operations[0]
			require.Equal(t, [2]string{checkout.ServicePayments, checkout.SpanCharge}, [2]string{top.Service, top.Operation}, "%+v", s.Operations)
			// 6 requests of >= 300 ms among 14 of a few ms: most of the time.
			require.Greater(t, top.Share, 0.6)
			require.Equal(t, checkout.ServicePayments, s.Services[0].Service)
		}
		if failed {
			require.Len(t, s.Origins, 1, "%+v", s.Origins)
			require.Equal(t, explain.OriginJSON{Service: checkout.ServicePayments, Operation: checkout.SpanAuthorize,
				Message: "card declined", Count: 6, Traces: s.Origins[0].Traces}, s.Origins[0])
			require.Len(t, s.Origins[0].Traces, 6)
		}
	}
	require.Len(t, e.Summaries, 3, "all, then checkout and declined")
	requireAnswer(e.Summaries[0], true, true)
	require.Equal(t, "checkout", e.Summaries[1].Name)
	requireAnswer(e.Summaries[1], true, false)
	require.Equal(t, "declined", e.Summaries[2].Name)
	requireAnswer(e.Summaries[2], false, true)
	require.NotNil(t, e.Waterfall)
	require.Equal(t, explained.Slowest[0].TraceID, e.Waterfall.TraceID)

	// The subcommand, on the report saved without explanation.
	cmd := exec.Command(*k6Path, "x", "explain", "--url", j.Query, "--json", filepath.Join(out, "report.json"))
	cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true")
	stdout, err := cmd.Output()
	require.NoError(t, err, "%s", stdout)
	var again explain.Report
	require.NoError(t, json.Unmarshal(stdout, &again))
	require.Equal(t, e.Read, again.Read)
	requireAnswer(again.Summaries[0], true, true)
	text, err := exec.Command(*k6Path, "x", "explain", "--url", j.Query, "--settle", "1s",
		"--trace-url", j.Query+"/trace/{traceId}", filepath.Join(out, "report.json")).CombinedOutput()
	require.NoError(t, err, "%s", text)
	t.Logf("k6 x explain:\n%s", text)
	require.Contains(t, string(text), `was in payments "charge card"`)
	require.Contains(t, string(text), `failed requests: 6 of 6 began in payments "authorize card": card declined`)
	require.Contains(t, string(text), "Slowest trace "+j.Query+"/trace/"+e.Waterfall.TraceID)
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, v), "%s", b)
}

// TestExplainBackendDown: a backend that refuses connections costs the
// test its timeout and one warning line, never its result; the report
// still says which traces could not be read, and why.
func TestExplainBackendDown(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	script := filepath.Join(t.TempDir(), "down.js")
	require.NoError(t, os.WriteFile(script, []byte(`import http from "k6/http";
import { instrumentHTTP, traceReport } from "k6/x/tracing";
instrumentHTTP();
export const options = { iterations: 3 };
export default function () { http.get(__ENV.BASE_URL + "/x"); }
export function handleSummary() {
  const r = traceReport({ backend: { url: __ENV.DOWN, timeout: "1s" } });
  return { stdout: JSON.stringify(r.explanation) };
}
`), 0o600))
	began := time.Now()
	r := runK6(t, script, map[string]string{"BASE_URL": srv.URL, "DOWN": "http://" + closedAddr(t)})
	requireSuccess(t, r)
	require.Less(t, time.Since(began), 30*time.Second)
	require.Equal(t, 1, strings.Count(r.stderr, "could not be read"), r.stderr)
	require.Contains(t, r.stderr, "traceReport: 3 of 3 traces could not be read from jaeger http://")
	var e explain.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &e), r.stdout)
	require.Equal(t, 3, e.Unread)
	require.Contains(t, e.Requests[0].Error, "connection refused")
	require.Nil(t, e.Waterfall)
}
