package tracing

import (
	"github.com/grafana/sobek"
)

// traceReport returns the trace report so far: the slowest and the first
// failed instrumented requests of this k6 process, with their trace ids.
// It is meant for handleSummary, after the test, but works at any time.
// The entries are plain objects, so JSON.stringify writes them whole.
func (mi *ModuleInstance) traceReport() *sobek.Object {
	rt := mi.vu.Runtime()
	snap := mi.report.snapshot()
	instance := mi.run.instance(mi.vu)
	obj := rt.NewObject()
	_ = obj.Set("instance", instance)
	_ = obj.Set("limit", snap.Limit)
	_ = obj.Set("requests", snap.Requests)
	_ = obj.Set("failedCount", snap.FailedCount)
	_ = obj.Set("slowest", reportEntries(rt, snap.Slowest))
	_ = obj.Set("failed", reportEntries(rt, snap.Failed))
	return obj
}

func reportEntries(rt *sobek.Runtime, entries []reportEntry) *sobek.Object {
	items := make([]any, len(entries))
	for i, e := range entries {
		o := rt.NewObject()
		for _, f := range []struct {
			name  string
			value any
		}{
			{"traceId", e.TraceID},
			{"spanId", e.SpanID},
			{"sampled", e.Sampled},
			{"method", e.Method},
			{"name", e.Name},
			{"url", e.URL},
			{"status", e.Status},
			{"error", e.Error},
			{"duration", float64(e.Duration.Microseconds()) / 1000},
			{"startTime", e.Start.UnixMilli()},
			{"scenario", e.Scenario},
			{"vu", e.VU},
			{"iteration", e.Iteration},
			{"instance", e.Instance},
		} {
			_ = o.Set(f.name, f.value)
		}
		items[i] = o
	}
	return rt.NewArray(items...)
}
