// Package spans exports the k6 side of each trace as OpenTelemetry client
// spans over OTLP: the configuration, read from options and from the
// standard OTEL_* variables; a tracer provider whose spans keep the ids k6
// already sent in its trace headers; and a bounded, never-blocking export
// pipeline that counts what it could not deliver.
//
// The pipeline is an export queue (queue.go): bounded, never blocking,
// with several exports in flight at once, and counts of what became of
// every span, by cause. Spans that are
// over when they are built (a request k6 has timed) reach it as finished
// read-only spans ([Ended]), recycled once exported; spans that go on are
// the SDK tracer's live spans. Attributes that many finished spans carry
// alike (a URL's, a VU's) are [SharedAttributes], encoded once. Both
// OTLP transports share one exporter (otlpexport.go): a batch is encoded
// once, straight into protobuf that decodes to what the SDK's exporters
// would send, and sent with one retry policy, timeout and set of counts;
// the bytes go out in an HTTP POST (otlphttp.go) or in a gRPC call whose
// codec passes them through (otlpgrpc.go).
//
// Files:
//   - config.go: [Config], from options and the OTEL_* variables.
//   - provider.go: [Provider], the tracer provider, and the counts of what
//     became of every span ([Stats]).
//   - queue.go: the export queue, its batches and its workers.
//   - ended.go, endedpool.go, shared.go, ids.go: [Ended] spans, their
//     per-producer pool, [SharedAttributes], and the ids live spans take
//     from k6's headers ([WithIDs]).
//   - otlpencode.go, otlpwire.go: the one-pass OTLP protobuf encoder.
//   - otlpexport.go: the exporter both transports share; otlphttp.go and
//     otlpgrpc.go: its two senders.
//
// It does not import k6: the k6 module (go/tracing) decides what a span is
// and when it ends.
package spans
