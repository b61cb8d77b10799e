package tracing

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
)

// explain reads the report's traces back from the backend and returns
// their explanation as a plain object (explain.Report's JSON). It is
// bounded by the backend's timeout and by k6's own for handleSummary; a
// backend that is down, slow or failing costs at most that and one
// warning line, and never an exception: the test's result stands.
func (mi *ModuleInstance) explain(cfg explain.Config, snap reportSnapshot) (sobek.Value, error) {
	ctx := mi.vu.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	rep := explain.ExplainReport(ctx, cfg.Backend, explainRequests(snap), cfg.Options)
	if rep.Warning != "" {
		if logger := vuLogger(mi.vu); logger != nil {
			logger.Warn("traceReport: " + rep.Warning)
		}
	}
	b, err := json.Marshal(rep)
	if err != nil {
		return nil, fmt.Errorf("traceReport: writing the explanation: %w", err)
	}
	return jsonParse(mi.vu.Runtime(), string(b))
}

// explainRequests lists the report's requests to explain.
func explainRequests(snap reportSnapshot) []explain.Request {
	entries := func(list []reportEntry) []explain.ReportEntry {
		out := make([]explain.ReportEntry, len(list))
		for i, e := range list {
			out[i] = explain.ReportEntry{TraceID: e.TraceID, SpanID: e.SpanID, Name: e.Name, Sampled: e.Sampled}
		}
		return out
	}
	return explain.ReportRequests(entries(snap.Slowest), entries(snap.Failed))
}

// jsonParse turns JSON into plain JS objects, as JSON.parse does.
func jsonParse(rt *sobek.Runtime, text string) (sobek.Value, error) {
	parse, ok := sobek.AssertFunction(rt.Get("JSON").ToObject(rt).Get("parse"))
	if !ok {
		return nil, fmt.Errorf("traceReport: the runtime has no JSON.parse")
	}
	return parse(sobek.Undefined(), rt.ToValue(text))
}
