package interop

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Reference decoders for the formats that OpenTelemetry Go has no
// propagator for. They are written from the vendors' documentation, not
// from go/propagation, and are deliberately plain (strconv, regexp,
// fmt): their job is to be obviously right, not fast.

// extractDatadog reads Datadog's headers as documented at
// https://docs.datadoghq.com/tracing/trace_collection/trace_context_propagation/
// and implemented by dd-trace-go: x-datadog-trace-id is the decimal of the
// trace id's low 64 bits, x-datadog-parent-id the decimal span id, both
// non-zero; x-datadog-sampling-priority above 0 keeps the trace; the
// x-datadog-tags entry _dd.p.tid holds the high 64 bits in hex.
func extractDatadog(h http.Header) (Result, error) {
	low, err := strconv.ParseUint(h.Get("X-Datadog-Trace-Id"), 10, 64)
	if err != nil || low == 0 {
		return Result{}, fmt.Errorf("%w: trace id %q", ErrNoContext, h.Get("X-Datadog-Trace-Id"))
	}
	span, err := strconv.ParseUint(h.Get("X-Datadog-Parent-Id"), 10, 64)
	if err != nil || span == 0 {
		return Result{}, fmt.Errorf("%w: parent id %q", ErrNoContext, h.Get("X-Datadog-Parent-Id"))
	}
	var high uint64
	for _, tag := range strings.Split(h.Get("X-Datadog-Tags"), ",") {
		if tid, ok := strings.CutPrefix(tag, "_dd.p.tid="); ok {
			if high, err = strconv.ParseUint(tid, 16, 64); err != nil || len(tid) != 16 {
				return Result{}, fmt.Errorf("%w: _dd.p.tid %q", ErrNoContext, tid)
			}
		}
	}
	r := Result{TraceID: fmt.Sprintf("%016x%016x", high, low), SpanID: fmt.Sprintf("%016x", span)}
	if p := h.Get("X-Datadog-Sampling-Priority"); p != "" {
		priority, err := strconv.Atoi(p)
		if err != nil {
			return Result{}, fmt.Errorf("%w: sampling priority %q", ErrNoContext, p)
		}
		r.Sampled = priority > 0
	}
	return r, nil
}

// cloudTraceContext is the syntax of X-Cloud-Trace-Context documented at
// https://cloud.google.com/trace/docs/trace-context#legacy-http-header:
// TRACE_ID/SPAN_ID;o=OPTIONS, a 32-digit hex trace id, a decimal span id,
// and o=1 to trace the request.
var cloudTraceContext = regexp.MustCompile(`^([0-9a-f]{32})/([0-9]{1,20})(?:;o=([0-9]))?$`)

// extractCloudTraceContext reads Google Cloud's X-Cloud-Trace-Context.
func extractCloudTraceContext(h http.Header) (Result, error) {
	v := h.Get("X-Cloud-Trace-Context")
	match := cloudTraceContext.FindStringSubmatch(v)
	if match == nil {
		return Result{}, fmt.Errorf("%w: %q", ErrNoContext, v)
	}
	span, err := strconv.ParseUint(match[2], 10, 64)
	if err != nil || span == 0 || match[1] == strings.Repeat("0", 32) {
		return Result{}, fmt.Errorf("%w: %q", ErrNoContext, v)
	}
	return Result{TraceID: match[1], SpanID: fmt.Sprintf("%016x", span), Sampled: match[3] == "1"}, nil
}
