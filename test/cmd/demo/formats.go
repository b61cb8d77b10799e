package main

import (
	"go.opentelemetry.io/contrib/propagators/jaeger"
	otelprop "go.opentelemetry.io/otel/propagation"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// demoFormat is one trace header the demo services read and write. The
// services record what arrived with this module's parser, independently
// of the OpenTelemetry propagator that continues the trace, so that the
// table shows the header itself and not the SDK's reading of it.
type demoFormat struct {
	header string
	parse  func(string) (propagation.Context, bool)
	otel   otelprop.TextMapPropagator
}

// demoFormats are the headers the demo understands, in the order it reads them.
var demoFormats = []demoFormat{
	{propagation.TraceparentHeader, propagation.ParseTraceparent, otelprop.TraceContext{}},
	{propagation.UberTraceIDHeader, propagation.ParseUberTraceID, jaeger.Jaeger{}},
}

func formatOf(header string) demoFormat {
	for _, f := range demoFormats {
		if f.header == header {
			return f
		}
	}
	return demoFormats[0]
}
