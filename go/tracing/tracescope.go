package tracing

import "github.com/grafana/sobek"

// TraceScope is how long one trace lasts.
type TraceScope int

const (
	// ScopeOwn gives each request (instrumentHTTP, Client) or each page
	// (instrumentBrowser) a trace of its own: traceScope "request" or
	// "page".
	ScopeOwn TraceScope = iota
	// ScopeIteration shares one trace among everything a VU sends in one
	// iteration, under an iteration root span: traceScope "iteration".
	ScopeIteration
)

func decodeRequestScope(v sobek.Value) (TraceScope, error) {
	return decodeChoice("traceScope", v, map[string]TraceScope{"request": ScopeOwn, "iteration": ScopeIteration},
		"a trace scope", `"request" (a trace per request) or "iteration" (one trace per VU iteration)`)
}
