// Package propagation generates trace contexts for a load generator and
// writes and reads them in the wire formats backends understand.
//
// It has no k6 import: it is plain Go over OpenTelemetry's vocabulary
// ([trace.TraceID], [trace.SpanID], [trace.TraceFlags]) so that it can be
// tested, fuzzed and benchmarked on its own.
//
// Specifications:
//   - W3C Trace Context: https://www.w3.org/TR/trace-context/
//   - Jaeger: https://www.jaegertracing.io/docs/latest/client-libraries/#propagation-format
//   - k6 trace-id layout: the one Grafana Cloud k6 recognises, see [NewK6TraceID].
package propagation
