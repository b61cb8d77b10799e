package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

func TestOriginCode(t *testing.T) {
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
			require.Equal(t, tc.want, originCode(env(tc.process), tc.scriptEnv))
		})
	}
}
