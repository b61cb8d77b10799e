package tracing

import (
	"fmt"
	"time"

	"github.com/grafana/sobek"
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

// runInfo is what every VU of one k6 process shares about the test run.
type runInfo struct {
	// testRunID is the Grafana Cloud k6 test run id when there is one,
	// otherwise an id made once per process: never "undefined", the
	// pyroscope library's value for local runs.
	testRunID string
	inst      instance
}

// newRunInfo reads the cloud's run id from the script environment, or
// makes a local one from the start time and random bits.
func newRunInfo(scriptEnv map[string]string) *runInfo {
	if id := scriptEnv[envCloudTestRunID]; id != "" {
		return &runInfo{testRunID: id, inst: instance{id: newInstanceID()}}
	}
	return &runInfo{
		testRunID: fmt.Sprintf("local-%d-%08x", time.Now().Unix(), uint32(propagation.NewSource().Uint64())),
		inst:      instance{id: newInstanceID()},
	}
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

// nameFunc returns a function giving the request's name, as the k6.name
// baggage member reports it: the name tag of its params, else the name
// k6 gives an http.url template, else the URL as the script wrote it. It
// is called only when the k6 members are on.
func (t *tracer) nameFunc(url, params sobek.Value) func() string {
	if !t.opts.K6Baggage {
		return nil
	}
	return func() string { return requestName(url, params) }
}

func requestName(url, params sobek.Value) string {
	if p, ok := params.(*sobek.Object); ok {
		if tags, ok := p.Get("tags").(*sobek.Object); ok {
			if name := tags.Get("name"); !isNullish(name) {
				if s, ok := name.Export().(string); ok && s != "" {
					return s
				}
			}
		}
	}
	if u, ok := url.(*sobek.Object); ok {
		if name := u.Get("name"); !isNullish(name) {
			if s, ok := name.Export().(string); ok && s != "" {
				return s
			}
		}
	}
	return requestURL(url)
}
