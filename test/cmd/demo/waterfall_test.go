package main

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

func render(t *testing.T, traces []*traceTree, color bool) string {
	t.Helper()
	var b strings.Builder
	renderWaterfall(&b, traces, color)
	return b.String()
}

func TestWaterfallPlain(t *testing.T) {
	t.Parallel()
	got := render(t, buildTraces(requestScope()), false)
	require.Equal(t, `trace dc0742dcc88cef82e68eea319f493ec5 · 40.0ms · 4 spans
k6  GET                            40.0ms  ▕████████████████████████████████████████▏
└─ frontend  GET /checkout         36.0ms  ▕  ████████████████████████████████████  ▏
   └─ frontend  GET /checkout      30.0ms  ▕     ██████████████████████████████     ▏
      └─ backend  GET /checkout    20.0ms  ▕          ████████████████████          ▏

trace dc0742eee280f582e68eea31707efbae · 40.0ms · 4 spans
k6  GET                            40.0ms  ▕████████████████████████████████████████▏
└─ frontend  POST /orders          36.0ms  ▕  ████████████████████████████████████  ▏
   └─ frontend  POST /orders       30.0ms  ▕     ██████████████████████████████     ▏
      └─ backend  POST /orders     20.0ms  ▕          ████████████████████          ▏
`, got)
	require.NotContains(t, got, "\x1b", "no color codes in plain output")
}

// TestWaterfallTree checks the tree lines of an iteration: siblings by
// start time, │ continuing while a parent has children to come.
func TestWaterfallTree(t *testing.T) {
	t.Parallel()
	spans := iterationScope()
	// Arrival order is not start order: reverse it.
	for i, j := 0, len(spans)-1; i < j; i, j = i+1, j-1 {
		spans[i], spans[j] = spans[j], spans[i]
	}
	var prefixes []string
	for _, line := range strings.Split(strings.TrimSuffix(render(t, buildTraces(spans), false), "\n"), "\n")[1:] {
		// The tree drawing and the service name, up to the two spaces after it.
		letter := strings.IndexFunc(line, unicode.IsLetter)
		prefixes = append(prefixes, line[:letter+strings.Index(line[letter:], "  ")])
	}
	require.Equal(t, []string{
		"k6",
		"├─ k6",
		"│  └─ k6",
		"│     └─ frontend",
		"│        └─ frontend",
		"│           └─ backend",
		"└─ k6",
		"   └─ frontend",
		"      └─ frontend",
		"         └─ backend",
	}, prefixes)
}

func TestWaterfallMissingParent(t *testing.T) {
	t.Parallel()
	spans := request(traceA, "aaaaaaaaaaaaaaa0", "", "GET /checkout", 0)[:3] // no k6 span
	traces := buildTraces(spans)
	require.Len(t, traces, 1)
	require.Len(t, traces[0].Roots, 1)
	require.True(t, traces[0].Roots[0].Orphan)
	require.Equal(t, `trace dc0742dcc88cef82e68eea319f493ec5 · 36.0ms · 3 spans
frontend  GET /checkout  (parent not received)    36.0ms  ▕████████████████████████████████████████▏
└─ frontend  GET /checkout                        30.0ms  ▕   ██████████████████████████████████   ▏
   └─ backend  GET /checkout                      20.0ms  ▕        ████████████████████████        ▏
`, render(t, traces, false))
}

func TestWaterfallColor(t *testing.T) {
	t.Parallel()
	spans := request(traceA, "aaaaaaaaaaaaaaa0", "", "GET /checkout", 0)[1:]
	db := mk(traceA, "cccccccccccccccc", "ffffffffffffffff", "db", "client", "SELECT", 20, 21)
	db.StatusError = true
	spans = append(spans, db)
	got := render(t, buildTraces(spans), true)
	require.Contains(t, got, "\x1b[35mk6\x1b[0m")
	require.Contains(t, got, "\x1b[36mfrontend\x1b[0m")
	require.Contains(t, got, "\x1b[32mdb\x1b[0m", "another service takes the next color")
	require.Contains(t, got, "\x1b[31m(parent not received)\x1b[0m")
	require.Contains(t, got, "SELECT  \x1b[31m(parent not received)\x1b[0m  \x1b[31m(error)\x1b[0m")
	require.Contains(t, got, "\x1b[2m└─ \x1b[0m")
	// The bars still line up: the same columns as without color.
	plain := strings.Split(render(t, buildTraces(spans), false), "\n")
	for i, line := range strings.Split(got, "\n") {
		require.Equal(t, plain[i], stripANSI(line))
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b {
			i += strings.IndexByte(s[i:], 'm')
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestBarSpan(t *testing.T) {
	t.Parallel()
	ms := func(v int) time.Time { return t0.Add(time.Duration(v) * time.Millisecond) }
	tests := []struct {
		name               string
		start, end         int // ms after t0, over a 100ms trace
		emptyTrace         bool
		wantOff, wantWidth int
	}{
		{name: "whole trace", start: 0, end: 100, wantOff: 0, wantWidth: 40},
		{name: "middle half", start: 25, end: 75, wantOff: 10, wantWidth: 20},
		{name: "starts inside a column", start: 26, end: 75, wantOff: 10, wantWidth: 20},
		{name: "ends inside a column", start: 25, end: 76, wantOff: 10, wantWidth: 21},
		{name: "an instant", start: 50, end: 50, wantOff: 20, wantWidth: 1},
		{name: "at the very end", start: 100, end: 100, wantOff: 39, wantWidth: 1},
		{name: "past the end", start: 90, end: 130, wantOff: 36, wantWidth: 4},
		{name: "before the start", start: -10, end: 5, wantOff: 0, wantWidth: 2},
		{name: "an empty trace", start: 0, end: 0, emptyTrace: true, wantOff: 0, wantWidth: 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			total := 100 * time.Millisecond
			if tc.emptyTrace {
				total = 0
			}
			off, width := barSpan(t0, total, ms(tc.start), ms(tc.end))
			require.Equal(t, []int{tc.wantOff, tc.wantWidth}, []int{off, width})
		})
	}
}

func TestFormatDuration(t *testing.T) {
	t.Parallel()
	for d, want := range map[time.Duration]string{
		0:                        "0µs",
		840 * time.Microsecond:   "840µs",
		2414 * time.Microsecond:  "2.41ms",
		12345 * time.Microsecond: "12.3ms",
		187 * time.Millisecond:   "187ms",
		1520 * time.Millisecond:  "1.52s",
	} {
		require.Equal(t, want, formatDuration(d))
	}
}

func TestBuildTracesCycle(t *testing.T) {
	t.Parallel()
	spans := []otlpsink.Span{
		mk(traceA, "1111111111111111", "2222222222222222", "a", "internal", "x", 0, 10),
		mk(traceA, "2222222222222222", "1111111111111111", "a", "internal", "y", 1, 9),
	}
	traces := buildTraces(spans)
	require.Len(t, traces[0].Roots, 1, "the cycle is cut once")
	root := traces[0].Roots[0]
	require.True(t, root.Cycle)
	require.Len(t, root.Children, 1)
	require.Contains(t, render(t, traces, false), "(parent cycle)")
	require.Equal(t, []string{"trace " + traceA + ": a INTERNAL span " + root.SpanID + ` "` + root.Name + `" is its own ancestor`},
		verifySpans(traces, true))
}
