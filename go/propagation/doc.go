// Package propagation generates trace contexts for a load generator and
// writes and reads them in the wire formats backends understand.
//
// It has no k6 import: it is plain Go over OpenTelemetry's vocabulary
// ([trace.TraceID], [trace.SpanID], [trace.TraceFlags]) so that it can be
// tested, fuzzed and benchmarked on its own.
//
// Specifications:
//   - W3C Trace Context: https://www.w3.org/TR/trace-context/ (tracestate:
//     #tracestate-header), conformance-tested against the W3C test suite
//   - W3C Baggage: https://www.w3.org/TR/baggage/
//   - Jaeger: https://www.jaegertracing.io/docs/latest/client-libraries/#propagation-format
//   - B3: https://github.com/openzipkin/b3-propagation
//   - OpenTracing (ottrace): https://github.com/opentracing/basictracer-go/blob/master/propagation_ot.go
//     and go.opentelemetry.io/contrib/propagators/ot, there being no written specification
//   - AWS X-Ray: https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
//   - Datadog: https://docs.datadoghq.com/tracing/trace_collection/trace_context_propagation/
//     and dd-trace-go's ddtrace/tracer/textmap.go
//   - Google Cloud: https://cloud.google.com/trace/docs/trace-context#legacy-http-header
//   - k6 trace-id layout: the one Grafana Cloud k6 recognises, see [NewK6TraceID].
//
// Files:
//   - context.go, ids.go, hex.go: [Context], the trace and span ids (the
//     k6, random and X-Ray layouts) and their hex forms.
//   - source.go, sampler.go, generator.go: where ids come from: a
//     [Source] of random words, a [Sampler], a [Generator].
//   - format.go, propagator.go, carrier.go: a [Format], and a [Propagator]
//     that writes and reads an ordered list of them through a [Setter] or
//     [Getter].
//   - one file a format: w3c.go, jaeger.go, b3.go, b3multi.go, ot.go,
//     xray.go, datadog.go, gcp.go; prefixed.go for the baggage of the
//     formats that send one header a member (uberctx-*, ot-baggage-*).
//   - tracestate.go, baggage.go, baggage_parse.go, baggage_encode.go: the
//     W3C lists.
//   - errors.go: what the setters of the lists reject.
//
// Parsers never return errors: invalid input means "no context", as the
// W3C specification and OpenTelemetry's propagators have it. Where a format's
// readers disagree, each codec says whose behaviour it follows and why.
package propagation
