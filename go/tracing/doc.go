// Package tracing is the k6 JavaScript module "k6/x/tracing": it makes every
// request a k6 script sends through k6/http the start of a distributed
// trace, as the removed k6/experimental/tracing module did.
//
// instrumentHTTP patches the k6/http exports of the VU, so that default
// imports, named imports, require() and imported module files all see the
// instrumented functions; Client wraps the un-instrumented functions with
// its own options. Each request gets a trace context from
// [propagation.Generator] (or continues the one its params carry), headers
// in every configured format with baggage and tracestate, and its samples
// get the trace id as "trace_id" metadata while k6 parses it. headers,
// traceparent, tracestate and baggage give scripts the same context for
// other clients. k6/x/tracing/pyroscope is the same module with the
// defaults of the http-instrumentation-pyroscope library.
//
// The data flow and the reasons behind it are in DESIGN.md.
package tracing
