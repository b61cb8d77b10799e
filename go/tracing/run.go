package tracing

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// The baggage keys of Grafana Cloud Profiles, as the
// http-instrumentation-pyroscope library sends them.
const (
	baggageTestRunID = "k6.test_run_id"
	baggageScenario  = "k6.scenario"
	baggageName      = "k6.name"
)

// runInfo is the identity of the test run and of this k6 process in it,
// which spans, baggage and the trace report carry. When k6-operator or a
// user splits one test over several k6 processes with
// --execution-segment, every process has its own segment; a process that
// runs the whole test has "0:1".
type runInfo struct {
	// testRunID is the Grafana Cloud k6 test run id when there is one,
	// otherwise an id made once per process: never "undefined", the
	// pyroscope library's value for local runs.
	testRunID string
	// processID is unique to the process: OpenTelemetry's
	// service.instance.id, a random UUID, for the processes that share
	// one segment (several unsegmented runs of one script).
	processID string
	// segment is the process's execution segment, once a VU has run.
	segment atomic.Pointer[string]
}

// newRunInfo reads the cloud's run id from the script environment, or
// makes a local one from the start time and random bits.
func newRunInfo(scriptEnv map[string]string) *runInfo {
	id := scriptEnv[envCloudTestRunID]
	if id == "" {
		id = fmt.Sprintf("local-%d-%08x", time.Now().Unix(), uint32(propagation.NewSource().Uint64()))
	}
	return &runInfo{testRunID: id, processID: uuid.NewString()}
}

// addK6Members adds the k6 members to b, in the order the pyroscope
// library writes them, where b lacks them.
func (r *runInfo) addK6Members(b *propagation.Baggage, vu modules.VU, name func() string) {
	b.SetDefault(baggageTestRunID, r.testRunID)
	b.SetDefault(baggageScenario, scenarioName(vu))
	if name != nil {
		b.SetDefault(baggageName, name())
	}
}

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

// traceIDCode returns the k6 trace-id code: [propagation.CloudCode] in a
// Grafana Cloud k6 run, [propagation.LocalCode] otherwise. lookupEnv reads
// the process environment, scriptEnv is the script's __ENV.
func traceIDCode(lookupEnv func(string) (string, bool), scriptEnv map[string]string) int64 {
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

// executionSegment returns the execution segment of this k6 process, once
// a VU has run: it is in the test's options, which the init context has
// not got. Until then it is "0:1".
func (r *runInfo) executionSegment(vu modules.VU) string {
	if s := r.segment.Load(); s != nil {
		return *s
	}
	state := vu.State()
	if state == nil {
		return "0:1"
	}
	s := state.Options.ExecutionSegment.String()
	r.segment.Store(&s)
	return s
}
