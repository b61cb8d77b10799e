// Package spans exports the k6 side of each trace as OpenTelemetry client
// spans over OTLP: the configuration, read from options and from the
// standard OTEL_* variables; a tracer provider whose spans keep the ids k6
// already sent in its trace headers; and a bounded, never-blocking export
// pipeline that counts what it could not deliver.
//
// The pipeline is the OpenTelemetry SDK's batch processor. Spans that are
// over when they are built (a request k6 has timed) reach it as finished
// read-only spans ([Ended]), recycled once exported; spans that go on are
// the SDK tracer's live spans. Attributes that many finished spans carry
// alike (a URL's, a VU's) are [SharedAttributes], encoded once. Over
// OTLP/HTTP the batches are encoded straight into protobuf, decoding to
// what the SDK's exporter would send; over gRPC the SDK's exporter sends
// them.
//
// It does not import k6: the k6 module (go/tracing) decides what a span is
// and when it ends.
package spans
