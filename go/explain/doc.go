// Package explain reads the traces of a load test's slow and failed
// requests back from a trace backend and says where their time went and
// where their errors began: the critical path of each trace, the self time
// on it per service and operation, and the deepest span with an error.
//
// Files:
//   - span.go: Span, one span of a trace as a backend returns it.
//   - otlpjson.go: the reader of OTLP JSON, in the shapes Jaeger's v3 API
//     and Tempo's v1 and v2 APIs return it (hex or base64 ids).
//   - backend.go: a backend's query API, read with its headers, and the
//     polling of many traces until each settles, within a deadline.
//   - tree.go: a trace's spans as a tree under the request's span, with
//     children clipped to their parent (clock skew) and orphans counted.
//   - critical.go: the critical path, as Jaeger's UI computes it.
//   - analysis.go: self time on the critical path by service and operation,
//     and the error's origin.
//   - aggregate.go: over many requests, the services and operations that
//     dominate the slow ones' critical paths and the failed ones' error
//     origins, counted, for all and per request name.
//   - report.go: ExplainReport, all of the above for a trace report's
//     requests, as the JSON traceReport({ backend }) returns (Report), with
//     the slowest trace's waterfall.
//   - config.go: a backend's configuration from the K6_TRACING_BACKEND_*
//     variables, shared by the module and `k6 x explain`.
//   - render.go: the report as text for a terminal (`k6 x explain`).
package explain
