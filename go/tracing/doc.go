// Package tracing is the k6 JavaScript module "k6/x/tracing": it makes
// every request a k6 script sends through k6/http or k6/net/grpc, every
// WebSocket session, and every request of a k6 browser page, the start of
// a distributed trace, and exports the k6
// side of each trace as OTLP spans. k6/x/tracing/pyroscope is the same
// module with the defaults of the http-instrumentation-pyroscope library.
//
// Start at module.go, then follow one request: http_instrument.go →
// http_functions.go → http_call.go → tracer.go → http_wire.go →
// http_request.go → report.go → export_spans.go. The data flow,
// the state and the locks are in docs/design.md.
//
// The module and its state:
//   - module.go: RootModule (one per process and import path),
//     ModuleInstance (one per VU) and the JS names of the exports.
//   - state.go: process, what every VU of the process shares, and
//     vuState, what one VU's tracers share.
//   - ids.go: idSource, the VU's trace and span ids behind one lock.
//   - run.go: the test run's and the process's identity (run id, cloud or
//     local trace-id code, process id, execution segment).
//   - tracer.go: tracer, one configuration's trace context, and how a
//     request's trace context is decided.
//   - scope.go: the VU's iteration trace and active spans.
//   - errors.go: the sentinel errors and how a usage error reaches the user.
//
// The HTTP paths:
//   - http_instrument.go: instrumentHTTP and Client.
//   - http_functions.go: the k6/http functions a layer wraps, and the
//     direct calls into k6's Go functions.
//   - http_call.go: one traced call, on the wire path or the params path,
//     and the trace_id metadata of its samples.
//   - http_wire.go: the per-VU RoundTripper that writes the headers on the
//     wire, and redirect hops.
//   - http_params.go: the params path (a copy of the caller's params with
//     the headers) and the pyroscope header function.
//   - http_batch.go: http.batch, a span for each of its requests.
//   - http_request.go: what a request was and how it ended, asyncRequest's
//     included.
//   - http_stacking.go: both import paths on one request, one span.
//
// The gRPC paths:
//   - grpc_instrument.go: instrumentGRPC, k6/net/grpc's Client and Stream
//     replaced in the module's exports.
//   - grpc_client.go: the traced Client (k6's as its prototype): invoke and
//     asyncInvoke with the trace context in their metadata, their client
//     spans and report entries.
//   - grpc_stream.go: a traced stream, one span from its start to its end.
//
// The WebSocket paths:
//   - ws_instrument.go: instrumentWebSockets, k6/ws's connect replaced, and
//     tracing.WebSocket, k6/websockets' WebSocket traced.
//   - ws_session.go: a session's span, from the handshake to the close.
//
// Export of spans:
//   - export_providers.go: the process's span providers, with the
//     process's resource attributes, flushed at the test's end.
//   - export_spans.go: client spans of requests and hops, and live spans.
//   - export_attributes.go: the URL and k6 attributes spans share.
//   - export_iteration.go: the root span of an iteration trace.
//
// The rest of the JS surface:
//   - span_api.go, span_script.go: startSpan, withSpan, group, and the span
//     object scripts get.
//   - browser_page.go, browser_route.go, browser_headers.go,
//     browser_setup.go: instrumentBrowser.
//   - browser_spans.go: a page's spans: the page span and a CLIENT span
//     per request of the page.
//   - browser_timing.go: the browser's own times of those spans, read
//     from the document's Resource Timing entries.
//   - browser_fetch.go, browser_fetch.js: fetch mode, the page's fetch and
//     XHR calls traced by an init script inside the page.
//   - browser_k6trace.go: k6's own browser tracer, watched for its
//     iteration spans (the page span's parent) and its web vitals.
//   - report.go: the trace report, how a request enters it, and
//     traceReport(); report_explain.go: traceReport({ backend }), its
//     requests read back from the backend and explained (go/explain).
//   - context_headers.go, context_parsers.go: headers() and the
//     traceparent, tracestate and baggage helpers.
//
// Options are decoded by go/options, JS values read by go/jsvalue; header
// formats are go/propagation's, span export is go/spans'.
package tracing
