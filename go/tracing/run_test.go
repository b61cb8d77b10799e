package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/lib"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

func TestTraceIDCode(t *testing.T) {
	t.Parallel()
	env := func(vars map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
	tests := []struct {
		name      string
		process   map[string]string
		scriptEnv map[string]string
		want      int64
	}{
		{"local run", nil, nil, propagation.LocalCode},
		{"cloud load generator", map[string]string{"K6_CLOUDRUN_INSTANCE_ID": "0"}, nil, propagation.CloudCode},
		{"run registered with the cloud", nil, map[string]string{"K6_CLOUDRUN_TEST_RUN_ID": "123"}, propagation.CloudCode},
		{"empty test run id", nil, map[string]string{"K6_CLOUDRUN_TEST_RUN_ID": ""}, propagation.LocalCode},
		{"unrelated variables", map[string]string{"K6_CLOUD_TOKEN": "x"}, map[string]string{"K6_CLOUD_PROJECT_ID": "1"}, propagation.LocalCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, traceIDCode(env(tc.process), tc.scriptEnv))
		})
	}
}

func TestProcessIDIsARandomUUID(t *testing.T) {
	t.Parallel()
	id := newRunInfo(nil).processID
	require.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	require.NotEqual(t, id, newRunInfo(nil).processID)
}

func TestWithProcessAddsTheProcessResource(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.toVU()
	segment, err := lib.NewExecutionSegmentFromString("1/4:1/2")
	require.NoError(t, err)
	h.runtime.VU.StateField.Options.ExecutionSegment = segment
	run := newRunInfo(nil)

	own := make([]spans.Attribute, 1, 4)
	own[0] = spans.Attribute{Key: "team", Value: "perf"}
	cfg := run.withProcess(spans.Config{Resource: own}, h.runtime.VU)
	require.Equal(t, []spans.Attribute{
		{Key: "team", Value: "perf"},
		{Key: "service.instance.id", Value: run.processID},
		{Key: "k6.execution_segment", Value: "1/4:1/2"},
	}, cfg.Resource)
	require.Len(t, own[:cap(own)][1].Key, 0, "the options' own array is not written into")

	set := []spans.Attribute{{Key: "service.instance.id", Value: "pod-3"}, {Key: "k6.execution_segment", Value: "mine"}}
	require.Equal(t, set, run.withProcess(spans.Config{Resource: set}, h.runtime.VU).Resource, "OTEL_RESOURCE_ATTRIBUTES wins")
}
