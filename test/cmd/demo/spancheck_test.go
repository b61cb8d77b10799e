package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

func TestVerifySpansAcceptsBothScopes(t *testing.T) {
	t.Parallel()
	require.Empty(t, verifySpans(buildTraces(requestScope()), true), "request scope: each k6 CLIENT span a root")
	require.Empty(t, verifySpans(buildTraces(iterationScope()), true), "iteration scope, with a custom span")

	// Without k6's spans the frontend SERVER spans are roots by necessity.
	var services []otlpsink.Span
	for _, s := range requestScope() {
		if s.Service != k6Service {
			services = append(services, s)
		}
	}
	require.Empty(t, verifySpans(buildTraces(services), false))
	require.Equal(t, []string{
		`trace ` + traceA + `: the parent of frontend SERVER span aaaaaaaaaaaaaaa1 "GET /checkout", aaaaaaaaaaaaaaa0, was not received`,
		`trace ` + traceB + `: the parent of frontend SERVER span bbbbbbbbbbbbbbb1 "POST /orders", bbbbbbbbbbbbbbb0, was not received`,
	}, verifySpans(buildTraces(services), true), "k6 exported spans but not these")
}

func TestVerifySpansFindsBrokenChains(t *testing.T) {
	t.Parallel()
	const checkout = "aaaaaaaaaaaaaaa" // the ids of the first request's spans, but for the last digit
	const orders = "bbbbbbbbbbbbbbb"   // the second's
	const it = "1000000000000000"      // the iteration span
	find := func(spans []otlpsink.Span, id string) *otlpsink.Span {
		i := slices.IndexFunc(spans, func(s otlpsink.Span) bool { return s.SpanID == id })
		return &spans[i]
	}
	tests := []struct {
		name      string
		iteration bool
		edit      func([]otlpsink.Span) []otlpsink.Span
		want      string
	}{
		{"backend span missing", false, func(s []otlpsink.Span) []otlpsink.Span {
			return slices.DeleteFunc(s, func(s otlpsink.Span) bool { return s.SpanID == checkout+"3" })
		}, `frontend CLIENT span aaaaaaaaaaaaaaa2 "GET /checkout" has 0 backend SERVER children, want 1`},
		{"frontend SERVER span missing", false, func(s []otlpsink.Span) []otlpsink.Span {
			return slices.DeleteFunc(s, func(s otlpsink.Span) bool { return s.SpanID == checkout+"1" })
		}, `the parent of frontend CLIENT span aaaaaaaaaaaaaaa2 "GET /checkout", aaaaaaaaaaaaaaa1, was not received`},
		{"two frontend SERVER children", false, func(s []otlpsink.Span) []otlpsink.Span {
			return append(s, mk(traceA, checkout+"9", checkout+"0", frontendService, "server", "GET /checkout", 3, 4))
		}, `k6 CLIENT span aaaaaaaaaaaaaaa0 "GET" has 2 frontend SERVER children, want 1`},
		{"backend under the wrong span", false, func(s []otlpsink.Span) []otlpsink.Span {
			find(s, checkout+"3").ParentID = checkout + "1"
			return s
		}, `backend SERVER span aaaaaaaaaaaaaaa3 "GET /checkout" has a parent that is not a frontend CLIENT span: frontend SERVER span aaaaaaaaaaaaaaa1`},
		{"frontend SERVER span of another kind", false, func(s []otlpsink.Span) []otlpsink.Span {
			find(s, checkout+"1").Kind = "internal"
			return s
		}, `has 0 frontend SERVER children, want 1`},
		{"hop in another trace", false, func(s []otlpsink.Span) []otlpsink.Span {
			find(s, checkout+"3").TraceID = traceB
			return s
		}, `trace ` + traceB + `: the parent of backend SERVER span aaaaaaaaaaaaaaa3 "GET /checkout", aaaaaaaaaaaaaaa2, is in trace ` + traceA},
		{"span id twice", false, func(s []otlpsink.Span) []otlpsink.Span {
			return append(s, *find(s, checkout+"3"))
		}, `span id aaaaaaaaaaaaaaa3 was received twice`},
		{"k6 CLIENT span outside the iteration", true, func(s []otlpsink.Span) []otlpsink.Span {
			find(s, orders+"0").ParentID = ""
			return s
		}, `k6 CLIENT span bbbbbbbbbbbbbbb0 "GET" does not descend from the trace's "iteration" span ` + it},
		{"k6 CLIENT span under a service span", true, func(s []otlpsink.Span) []otlpsink.Span {
			find(s, orders+"0").ParentID = checkout + "3"
			return s
		}, `k6 CLIENT span bbbbbbbbbbbbbbb0 "GET" has an ancestor that is not a k6 INTERNAL span: backend SERVER span aaaaaaaaaaaaaaa3`},
		{"iteration span missing", true, func(s []otlpsink.Span) []otlpsink.Span {
			return slices.DeleteFunc(s, func(s otlpsink.Span) bool { return s.SpanID == it })
		}, `the parent of k6 INTERNAL span 2000000000000000 "checkout", ` + it + `, was not received`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spans := requestScope()
			if tc.iteration {
				spans = iterationScope()
			}
			problems := verifySpans(buildTraces(tc.edit(spans)), true)
			require.NotEmpty(t, problems)
			require.True(t, slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tc.want) }),
				"want %q among:\n%s", tc.want, strings.Join(problems, "\n"))
		})
	}
}

func TestCrossCheck(t *testing.T) {
	t.Parallel()
	k, _, f, b := hops(t, "GET", "/checkout", traceA, "aaaaaaaaaaaaaaa0", "aaaaaaaaaaaaaaa2")
	xs := []exchange{{K6: k, Front: &f, Back: &b}}
	traces := buildTraces(requestScope())
	require.Empty(t, crossCheck(xs, traces, true))

	other, ok := propagation.ParseTraceparent("00-" + traceA + "-cccccccccccccccc-01")
	require.True(t, ok)
	f.In.Ctx.SpanID, f.Out.SpanID = other.SpanID, other.SpanID
	require.Equal(t, []string{
		"request 1 (GET /checkout): k6 sent span id cccccccccccccccc but exported no k6 CLIENT span cccccccccccccccc in trace " + traceA,
		"request 1 (GET /checkout): the frontend sent span id cccccccccccccccc but exported no frontend CLIENT span cccccccccccccccc in trace " + traceA,
	}, crossCheck(xs, traces, true))
	require.Len(t, crossCheck(xs, traces, false), 1, "without k6 spans only the frontend's is checked")

	f.In.Ctx.Sampled = false
	require.Empty(t, crossCheck(xs, traces, true), "an unsampled request has no spans")
}
