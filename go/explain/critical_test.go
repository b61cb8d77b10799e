package explain

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// at is a time on a test trace's axis, in milliseconds.
func at(ms int) time.Time { return time.Unix(1796368000, 0).Add(time.Duration(ms) * time.Millisecond) }

// span builds a test span: id, parent id, service, name and its start and
// end in milliseconds.
func span(id, parent, service, name string, start, end int) Span {
	return Span{TraceID: "t1", SpanID: id, ParentID: parent, Service: service, Name: name, Start: at(start), End: at(end)}
}

// describe writes a path as "id start-end" sections, latest first.
func describe(path []Section) string {
	var parts []string
	for _, s := range path {
		id := s.Node.SpanID
		if id == "" {
			id = "(stand-in)"
		}
		parts = append(parts, fmt.Sprintf("%s %d-%d", id, s.Start.Sub(at(0)).Milliseconds(), s.End.Sub(at(0)).Milliseconds()))
	}
	return strings.Join(parts, ", ")
}

func pathOf(t *testing.T, spans []Span, request string) string {
	t.Helper()
	tree, err := NewTree(spans, request)
	require.NoError(t, err)
	return describe(tree.CriticalPath())
}

// TestCriticalPathKnownTrees: trees whose critical path is known by hand.
func TestCriticalPathKnownTrees(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		spans []Span
		want  string
	}{
		{
			// Jaeger's own example: the last-finishing child C, then back to
			// A, which takes B, which finished before C started.
			name: "two children in sequence",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "s", "b", 10, 40), span("c", "a", "s", "c", 50, 90),
			},
			want: "a 90-100, c 50-90, a 40-50, b 10-40, a 0-10",
		},
		{
			name:  "a leaf",
			spans: []Span{span("a", "", "k6", "GET", 0, 100)},
			want:  "a 0-100",
		},
		{
			// Back to back: B ends exactly where C starts, and counts.
			name: "back-to-back children",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "s", "b", 0, 50), span("c", "a", "s", "c", 50, 100),
			},
			want: "c 50-100, b 0-50",
		},
		{
			// Overlapping children: B ends after C starts, so only C is on the
			// path; A waited for nothing else before C.
			name: "overlapping children",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "s", "b", 0, 80), span("c", "a", "s", "c", 10, 90),
			},
			want: "a 90-100, c 10-90, a 0-10",
		},
		{
			name: "nested",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "front", "GET /x", 10, 90),
				span("d", "b", "back", "SELECT", 20, 60), span("e", "b", "back", "cache", 62, 70),
			},
			want: "a 90-100, b 70-90, e 62-70, b 60-62, d 20-60, b 10-20, a 0-10",
		},
		{
			// A child that starts before its parent and ends after it (clock
			// skew between hosts) is clipped to it; one wholly outside is
			// dropped.
			name: "skewed clocks",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "s", "b", -20, 120), span("c", "a", "s", "late", 150, 200),
			},
			want: "b 0-100",
		},
		{
			// Zero-length children: taken once each, no loop.
			name: "zero-length children",
			spans: []Span{
				span("a", "", "k6", "GET", 0, 100), span("b", "a", "s", "b", 50, 50), span("c", "a", "s", "c", 50, 50),
			},
			want: "a 50-100, a 0-50",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, pathOf(t, tt.spans, "a"))
		})
	}
}

// TestMissingRoot: without the request's span (k6 exported none), the
// spans that name it as their parent are the request, under a stand-in
// over their times; spans whose parent never arrived are orphans.
func TestMissingRoot(t *testing.T) {
	t.Parallel()
	spans := []Span{
		span("f", "req", "front", "GET /x", 10, 90), span("g", "f", "back", "SELECT", 20, 80),
		span("o", "lost", "back", "orphan", 30, 40),
	}
	tree, err := NewTree(spans, "req")
	require.NoError(t, err)
	require.Equal(t, missingRootName, tree.Root.Name)
	require.Equal(t, at(10), tree.Root.Start)
	require.Equal(t, at(90), tree.Root.End)
	require.Equal(t, 1, tree.Orphans, "the span whose parent never arrived")
	require.Equal(t, "f 80-90, g 20-80, f 10-20", describe(tree.CriticalPath()))

	_, err = NewTree(spans, "other")
	require.ErrorIs(t, err, ErrNoRoot)

	// Under an iteration's root, another request's spans are not orphans.
	iteration := []Span{
		span("it", "", "k6", "iteration", 0, 100),
		span("r1", "it", "k6", "GET", 0, 40), span("s1", "r1", "back", "GET /a", 5, 35),
		span("r2", "it", "k6", "POST", 50, 90), span("s2", "r2", "back", "POST /b", 55, 85),
	}
	tree, err = NewTree(iteration, "r2")
	require.NoError(t, err)
	require.Equal(t, 2, tree.Spans)
	require.Zero(t, tree.Orphans)
	_, err = NewTree(spans[:2], "")
	require.NoError(t, err, "without a request span id, the trace's one root")
}

// TestDeepTrace: a chain of 40,000 spans neither overflows the stack nor
// takes long, and a trace beyond MaxSpans is cut and says so.
func TestDeepTrace(t *testing.T) {
	t.Parallel()
	const n = 40_000
	spans := make([]Span, 0, n)
	for i := range n {
		parent := ""
		if i > 0 {
			parent = fmt.Sprint(i - 1)
		}
		spans = append(spans, span(fmt.Sprint(i), parent, "s", "op", i, 2*n-i))
	}
	tree, err := NewTree(spans, "0")
	require.NoError(t, err)
	require.Equal(t, n, tree.Spans)
	path := tree.CriticalPath()
	require.Len(t, path, 2*n-1, "each span before and after its child, the deepest once")

	tree, err = NewTree(append(spans, make([]Span, MaxSpans)...), "0")
	require.NoError(t, err)
	require.Equal(t, n, tree.Cut)
}

// TestExplain: self time on the critical path by service and operation,
// as shares of the request, and the deepest error as the failure's
// origin.
func TestExplain(t *testing.T) {
	t.Parallel()
	spans := []Span{
		span("a", "", "k6", "POST", 0, 100),
		span("b", "a", "gateway", "POST /orders", 5, 95),
		span("c", "b", "orders", "create", 10, 30),
		span("d", "b", "payments", "charge", 30, 90),
		span("e", "d", "payments", "fraud-check", 40, 85),
	}
	spans[3].Error, spans[4].Error = true, true
	tree, err := NewTree(spans, "a")
	require.NoError(t, err)
	e := Explain(tree)
	require.Equal(t, 100*time.Millisecond, e.Duration)
	require.Equal(t, []Share{
		{Service: "payments", Time: 60 * time.Millisecond, Fraction: 0.6},
		{Service: "orders", Time: 20 * time.Millisecond, Fraction: 0.2},
		{Service: "gateway", Time: 10 * time.Millisecond, Fraction: 0.1},
		{Service: "k6", Time: 10 * time.Millisecond, Fraction: 0.1},
	}, e.Services)
	require.Equal(t, Share{Service: "payments", Operation: "fraud-check", Time: 45 * time.Millisecond, Fraction: 0.45}, e.Operations[0])
	require.NotNil(t, e.ErrorOrigin)
	require.Equal(t, "e", e.ErrorOrigin.SpanID, "the deepest error")
	var total time.Duration
	for _, s := range e.Services {
		total += s.Time
	}
	require.Equal(t, e.Duration, total, "the path covers the request exactly")
}
