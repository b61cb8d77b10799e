// Package otlpsink is an OTLP/HTTP trace receiver for tests, demos and
// benchmarks: it serves POST /v1/traces on a free loopback port, accepts
// the protobuf and JSON encodings, gzipped or not, and counts the spans it
// receives, keeping them decoded when asked to. With Options.GRPC it also
// serves OTLP/gRPC's TraceService/Export on a loopback port of its own.
//
// It implements the receiving side of the OTLP/HTTP specification that
// exporters exercise, no more:
// https://opentelemetry.io/docs/specs/otlp/#otlphttp
package otlpsink
