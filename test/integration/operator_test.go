//go:build integration

package integration

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/operator"
)

// TestK6OperatorExample runs examples/k6-operator/script.js as the first
// runner pod of its TestRun would: with the flags k6-operator gives it
// (its execution segment, the instance_id and testrun_name tags) and the
// manifest's environment, in which the collector is a local Jaeger and
// BASE_URL the recording server. A short, light load replaces the
// script's five minutes. Each request's span must reach Jaeger under the
// iteration's root span, from the manifest's service; k6's samples carry
// the operator's tags. (test/support/operator checks the manifest itself;
// TestExecutionSegments that processes of one test never share ids.)
func TestK6OperatorExample(t *testing.T) {
	t.Parallel()
	ex, err := operator.Load("../../examples/k6-operator")
	require.NoError(t, err)
	run := ex.TestRun
	srv := startServer(t)
	j := startJaeger(t)

	pod := run.Metadata.Name + "-1-x7k2p"
	env, err := run.Environ(pod, "default")
	require.NoError(t, err)
	service := ""
	replaced := 0
	for i, kv := range env {
		switch name, value, _ := strings.Cut(kv, "="); name {
		case "OTEL_EXPORTER_OTLP_ENDPOINT":
			env[i] = name + "=" + strings.TrimSuffix(j.OTLPHTTP, "/v1/traces") // the base URL, as in the manifest
			replaced++
		case "BASE_URL":
			env[i] = name + "=" + srv.URL
			replaced++
		case "OTEL_SERVICE_NAME":
			service = value
		}
	}
	require.Equal(t, 2, replaced, "the manifest sets OTEL_EXPORTER_OTLP_ENDPOINT and BASE_URL")
	require.NotEmpty(t, service)

	script := filepath.Join(ex.Dir, run.Spec.Script.ConfigMap.File)
	load := map[string]string{"RATE": "8", "DURATION": "2s", "VUS": "4"} // a quarter: 2 iterations a second, 1 VU
	r := runK6WithArgs(t, run.RunnerFlags(1), script, load, env...)
	requireSuccess(t, r)
	require.NotContains(t, r.stderr, "not delivered")

	reqs := srv.Requests()
	require.NotEmpty(t, reqs)
	checkSpansExample(t, j, reqs)
	c, ok := contextIn(propagation.W3C, reqs[0].Header)
	require.True(t, ok)
	spans, err := j.WaitTrace(c.TraceID.String(), 1, 15*time.Second)
	require.NoError(t, err)
	for _, s := range spans {
		require.Equal(t, service, s.Service, "OTEL_SERVICE_NAME of the manifest")
		resource := map[string]any{}
		for _, tag := range s.ProcessTags {
			resource[tag.Key] = tag.Value
		}
		require.Equal(t, pod, resource["service.instance.id"], "the manifest's OTEL_RESOURCE_ATTRIBUTES win")
		require.Equal(t, "0:1/4", resource["k6.execution_segment"], "runner 1 of 4 says which segment it ran")
	}

	var tagged int
	for _, s := range r.samples {
		if s.Metric == "http_reqs" {
			require.Equal(t, "1", s.Data.Tags["instance_id"])
			require.Equal(t, run.Metadata.Name, s.Data.Tags["testrun_name"])
			tagged++
		}
	}
	require.Equal(t, len(reqs), tagged, "one http_reqs sample for each request the server received")
}
