package tracing

import (
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"
)

// TraceIDMetadata is the metadata key that carries the trace id of a
// request on its http_req_* samples, the key Grafana Cloud k6 reads.
const TraceIDMetadata = "trace_id"

// withTraceID runs call with the VU's trace_id metadata set to traceID, and
// restores what was there before (usually nothing) afterwards, so that no
// metadata lingers into later requests. k6 copies the VU's tags and
// metadata when it parses a request, synchronously, so this also covers
// asyncRequest and batch.
//
// It also returns the VU's group as the request was made, read under the
// same lock: k6 tags the request's samples with that group, and its span
// reports it, even if the request settles in another (asyncRequest).
//
// An empty traceID, for a request whose headers carry no trace id
// (baggage only), sets no metadata: it would name a trace that exists
// nowhere.
func withTraceID[T any](state *lib.State, traceID string, call func() (T, error)) (res T, group string, err error) {
	if state == nil {
		res, err = call() // init context: k6/http will refuse the request itself
		return res, "", err
	}
	var previous string
	var hadPrevious bool
	state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
		group, _ = tm.Tags.Get("group")
		if traceID != "" {
			previous, hadPrevious = tm.Metadata[TraceIDMetadata]
			tm.SetMetadata(TraceIDMetadata, traceID)
		}
	})
	if traceID != "" {
		// The emptied map is kept for the next request rather than set to
		// nil: a traced request then costs no map allocation of its own.
		defer state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
			if hadPrevious {
				tm.SetMetadata(TraceIDMetadata, previous)
			} else {
				tm.DeleteMetadata(TraceIDMetadata)
			}
		})
	}
	res, err = call()
	return res, group, err
}
