package tracing

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"
)

func TestParseTimings(t *testing.T) {
	t.Parallel()
	rt := modulestest.NewRuntime(t).VU.Runtime()
	v, err := rt.RunString(`({ origin: 1796368000000.5, entries: [
		["http://a.test/x", 10.25, 30.5],
		["http://a.test/x", 5, 6],
		["http://a.test/y", 1, 0],          // not over: responseEnd 0
		["http://a.test/z", -1, 3],         // no start
		["http://a.test/w"],                // not an entry
	] })`)
	require.NoError(t, err)
	timings := parseTimings(v)
	require.Len(t, timings, 1)
	x := timings["http://a.test/x"]
	require.Len(t, x, 2)
	require.Equal(t, time.UnixMicro(1796368000005500), x[0].start, "oldest first, on the wall clock")
	require.Equal(t, time.UnixMicro(1796368000010750), x[1].start)
	require.Equal(t, time.UnixMicro(1796368000031000), x[1].end)

	for _, bad := range []string{`null`, `({})`, `({ origin: 0, entries: [] })`, `({ origin: 1, entries: 3 })`, `"x"`} {
		v, err := rt.RunString(bad)
		require.NoError(t, err)
		require.Empty(t, parseTimings(v), bad)
	}
}

func TestResourceTimingsApply(t *testing.T) {
	t.Parallel()
	base := time.Unix(1796368000, 0)
	timings := resourceTimings{"http://a.test/x": {
		{start: base.Add(10 * time.Millisecond), end: base.Add(20 * time.Millisecond)},
		{start: base.Add(time.Minute), end: base.Add(time.Minute + time.Millisecond)},
	}}
	newFinished := func(start time.Time) *finishedRequest {
		return &finishedRequest{br: browserRequest{start: start}, r: request{url: "http://a.test/x"}, end: start.Add(time.Second)}
	}
	first := newFinished(base.Add(40 * time.Millisecond))
	timings.apply(first)
	require.Equal(t, base.Add(10*time.Millisecond), first.br.start, "the browser's start")
	require.Equal(t, base.Add(20*time.Millisecond), first.end, "the browser's end")
	require.Equal(t, "browser", first.attrs[0].Value.AsString())

	second := newFinished(base.Add(50 * time.Millisecond))
	timings.apply(second)
	require.Equal(t, base.Add(50*time.Millisecond), second.br.start, "an entry serves one request; the other is a minute away")
	require.Equal(t, "event_loop", second.attrs[0].Value.AsString())

	other := &finishedRequest{r: request{url: "http://a.test/y"}, br: browserRequest{start: base}}
	resourceTimings(nil).apply(other)
	require.Equal(t, "event_loop", other.attrs[0].Value.AsString(), "no entries read")
}
