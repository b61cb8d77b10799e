// Package tracing is the k6 JavaScript module "k6/x/tracing": it makes every
// request a k6 script sends through k6/http the start of a distributed
// trace, as the removed k6/experimental/tracing module did.
//
// instrumentHTTP patches the k6/http exports of the VU, so that default
// imports, named imports, require() and imported module files all see the
// instrumented functions; Client wraps the functions as they were before
// the module's instrumentHTTP, with its own options. The module loads
// k6/http as it is imported, so clients can be made anywhere. The two
// import paths can be stacked on one request (stacking.go): the outer
// layer chooses the span, inner layers add their headers for it.
//
// Each request gets a trace context from [propagation.Generator] (or
// continues the one its params carry), headers in every configured format
// with baggage and tracestate, and, when its headers carry a trace id, its
// samples get that id as "trace_id" metadata while k6 parses it. headers,
// traceparent, tracestate and baggage give scripts the same context for
// other clients. k6/x/tracing/pyroscope is the same module with the
// defaults of the http-instrumentation-pyroscope library, which also takes
// that library's header function (headerfunc.go).
//
// The data flow and the reasons behind it are in DESIGN.md.
package tracing
