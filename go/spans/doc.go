// Package spans exports the k6 side of each trace as OpenTelemetry client
// spans over OTLP: the configuration, read from options and from the
// standard OTEL_* variables; a tracer provider whose spans keep the ids k6
// already sent in its trace headers; and a bounded, never-blocking export
// pipeline that counts what it could not deliver.
//
// It does not import k6: the k6 module (go/tracing) decides what a span is
// and when it ends.
package spans
