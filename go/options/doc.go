// Package options decodes the options objects of the k6/x/tracing module
// from their JS values, strictly: unknown keys are errors with a "did you
// mean" hint, and every bad value gets an error that names the option,
// the value and what is allowed, in the one form [Invalid] writes.
//
//   - options.go: [HTTP], the options of instrumentHTTP, Client and
//     headers(); [Defaults]; [DecodeHTTP].
//   - http.go: the decoders of its keys (propagator, sampling, tracestate,
//     baggage, traceIdFormat).
//   - env.go: [FromEnv], the defaults OTEL_PROPAGATORS, the
//     OTEL_EXPORTER_OTLP_* and the K6_TRACING_BACKEND_* variables give.
//   - backend.go: traceReport's options: the backend to read the report's
//     traces back from, an [explain.Config].
//   - spans.go: the spans option, a [spans.Config].
//   - browser.go: [Browser], instrumentBrowser's options; origins.go: its
//     propagateTo, [Origins].
//   - span.go: [Span], the options of startSpan and withSpan, and span
//     attributes.
//   - values.go: decoders several options share (booleans, strings,
//     counts, durations, choices).
//   - errors.go: the sentinel errors, the error constructors and
//     [Suggest].
//
// The TypeScript facade (ts/) checks options before they reach here; the
// shared table test/testdata/options-table.json holds the cases and
// messages both sides must agree on.
package options
