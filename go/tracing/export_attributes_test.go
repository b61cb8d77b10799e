package tracing

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"
	"go.opentelemetry.io/otel/attribute"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

func TestURLAttributes(t *testing.T) {
	t.Parallel()
	require.Equal(t, []attribute.KeyValue{
		attribute.String("url.full", "https://api.example/x?q=1"),
		attribute.String("server.address", "api.example"),
		attribute.Int("server.port", 443),
	}, urlAttributes("https://api.example/x?q=1"))
	require.Equal(t, []attribute.KeyValue{
		attribute.String("url.full", "http://REDACTED:REDACTED@[::1]:8080/"),
		attribute.String("server.address", "::1"),
		attribute.Int("server.port", 8080),
	}, urlAttributes("http://u:p@[::1]:8080/"))
	require.Equal(t, []attribute.KeyValue{attribute.String("url.full", "/relative")}, urlAttributes("/relative"))
	require.Equal(t, []attribute.KeyValue{attribute.String("url.full", "%zz")}, urlAttributes("%zz"))
}

// A URL sent again costs no parsing, no encoding and no allocation: its
// spans share one set.
func TestURLCacheRemembersRecentURLs(t *testing.T) {
	var c urlCache
	first := c.attributes("http://127.0.0.1:8080/a")
	require.Equal(t, urlAttributes("http://127.0.0.1:8080/a"), first.KeyValues())
	require.Zero(t, testing.AllocsPerRun(100, func() { c.attributes("http://127.0.0.1:8080/a") }))
	require.Same(t, first, c.attributes("http://127.0.0.1:8080/a"))
}

// The cache is bounded: the oldest URL makes room for a new one, and what
// each URL gets is its own.
func TestURLCacheEvictsTheOldest(t *testing.T) {
	var c urlCache
	for i := range urlCacheSize + 1 {
		raw := fmt.Sprintf("http://h%d:%d/", i, 1000+i)
		require.Equal(t, urlAttributes(raw), c.attributes(raw).KeyValues())
	}
	for _, e := range c.entries {
		require.NotEqual(t, "http://h0:1000/", e.url, "the oldest URL was not evicted")
	}
	require.Equal(t, urlAttributes("http://h0:1000/"), c.attributes("http://h0:1000/").KeyValues())
}

// A URL the cache has not seen: parsed, then encoded once for its spans.
// Scripts that put ids in their URLs pay this on every request.
func BenchmarkURLCacheMiss(b *testing.B) {
	var c urlCache
	urls := make([]string, 2*urlCacheSize)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://api.example.com/v1/items/%d?include=details", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.attributes(urls[i%len(urls)]) // every one evicted before it comes back
		i++
	}
}

func TestURLFullIsRedacted(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"http://127.0.0.1:8080/a?b=c":       "http://127.0.0.1:8080/a?b=c",
		"https://user:secret@api.example/x": "https://REDACTED:REDACTED@api.example/x",
		"https://token@api.example/x?q=1":   "https://REDACTED:REDACTED@api.example/x?q=1",
		"not a URL %":                       "not a URL %",
	} {
		full := urlAttributes(raw)[0]
		require.Equal(t, "url.full", string(full.Key))
		require.Equal(t, want, full.Value.AsString(), raw)
	}
}

// A VU's spans share one set of k6 attributes while the VU stays in its
// scenario: made once, then reused at no cost.
func TestK6SharedIsMadeOncePerScenario(t *testing.T) {
	var k k6Shared
	state := &lib.State{VUID: 3}
	first := k.set("run-1", state, "browse")
	require.Equal(t, []attribute.KeyValue{
		attribute.String("k6.test_run_id", "run-1"),
		attribute.Int64("k6.vu", 3),
		attribute.String("k6.scenario", "browse"),
	}, first.KeyValues())
	require.Same(t, first, k.set("run-1", state, "browse"))
	require.Zero(t, testing.AllocsPerRun(100, func() { k.set("run-1", state, "browse") }))

	next := k.set("run-1", state, "checkout")
	require.Equal(t, attribute.String("k6.scenario", "checkout"), next.KeyValues()[2], "a new scenario, a new set")
	require.Equal(t, attribute.Int64("k6.vu", 4), k.set("run-1", &lib.State{VUID: 4}, "checkout").KeyValues()[1])
	require.Equal(t, attribute.String("k6.test_run_id", "run-2"), k.set("run-2", &lib.State{VUID: 4}, "checkout").KeyValues()[0])
}

// Outside a VU or a scenario, the set says only what is known, as
// appendK6Attributes does for live spans.
func TestK6SharedOutsideAVUOrScenario(t *testing.T) {
	var k k6Shared
	require.Equal(t, []attribute.KeyValue{attribute.String("k6.test_run_id", "r")}, k.set("r", nil, "").KeyValues())
	require.Equal(t, []attribute.KeyValue{
		attribute.String("k6.test_run_id", "r"), attribute.Int64("k6.vu", 0),
	}, k.set("r", &lib.State{}, "").KeyValues(), "VU 0 is a VU: the set is made again")
}

// A live span (startSpan, withSpan) and an ended one (a request's, an
// iteration's) say alike where in the test they happened.
func TestLiveAndEndedSpansGetTheSameK6Attributes(t *testing.T) {
	rt := modulestest.NewRuntime(t)
	rt.VU.InitEnvField = nil // a VU, not the init context
	rt.VU.StateField = &lib.State{
		VUID: 7, Iteration: 3, Tags: lib.NewVUStateTags(metrics.NewRegistry().RootTagSet().With("group", "::checkout")),
	}
	rt.VU.CtxField = lib.WithScenarioState(context.Background(), &lib.ScenarioState{Name: "browse"})
	tr := &tracer{vu: &vuState{VU: rt.VU}, proc: &process{run: &runInfo{testRunID: "run-1"}}}
	want := []attribute.KeyValue{
		attribute.String("k6.test_run_id", "run-1"),
		attribute.Int64("k6.vu", 7),
		attribute.String("k6.scenario", "browse"),
		attribute.Int64("k6.iteration", 3),
		attribute.String("k6.group", "::checkout"),
	}
	require.Equal(t, want, tr.appendK6Attributes(nil))

	e := new(spans.EndedPool).Get()
	own := tr.setK6Attributes(e, nil, "::checkout") // the group its work began in
	require.Equal(t, want, append(slices.Clone(e.Shared[sharedK6].KeyValues()), own...))
	require.Nil(t, e.Shared[sharedURL], "the URL's slot is the request's to fill")
}
