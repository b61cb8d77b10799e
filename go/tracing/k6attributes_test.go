package tracing

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"
	"go.opentelemetry.io/otel/attribute"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

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
	tr := &tracer{vu: rt.VU, run: &runInfo{testRunID: "run-1"}}
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
