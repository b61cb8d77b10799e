package tracing

import "github.com/xk6-tracing/xk6-tracing/go/propagation"

// Environment variables that tell a Grafana Cloud k6 run from a local one.
// Grafana Cloud k6 sets K6_CLOUDRUN_INSTANCE_ID on its load generators (the
// k6 browser module uses it the same way to detect the cloud), and k6 itself
// puts K6_CLOUDRUN_TEST_RUN_ID into the script environment when the run is
// registered with Grafana Cloud k6 (`k6 cloud run`, including
// --local-execution).
const (
	envCloudInstanceID = "K6_CLOUDRUN_INSTANCE_ID"
	envCloudTestRunID  = "K6_CLOUDRUN_TEST_RUN_ID"
)

// originCode returns the k6 trace-id code: [propagation.CloudCode] in a
// Grafana Cloud k6 run, [propagation.LocalCode] otherwise. lookupEnv reads
// the process environment, scriptEnv is the script's __ENV.
func originCode(lookupEnv func(string) (string, bool), scriptEnv map[string]string) int64 {
	if lookupEnv != nil {
		if _, ok := lookupEnv(envCloudInstanceID); ok {
			return propagation.CloudCode
		}
	}
	if scriptEnv[envCloudTestRunID] != "" {
		return propagation.CloudCode
	}
	return propagation.LocalCode
}
