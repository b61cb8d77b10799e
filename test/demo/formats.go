package main

import "github.com/xk6-tracing/xk6-tracing/go/propagation"

// demoFormat is one trace header the demo services read and write.
type demoFormat struct {
	header string
	parse  func(string) (propagation.Context, bool)
	format func(propagation.Context) string
}

// demoFormats are the headers the demo understands, in the order it reads them.
var demoFormats = []demoFormat{
	{propagation.TraceparentHeader, propagation.ParseTraceparent, propagation.FormatTraceparent},
	{propagation.UberTraceIDHeader, propagation.ParseUberTraceID, propagation.FormatUberTraceID},
}

func formatOf(header string) demoFormat {
	for _, f := range demoFormats {
		if f.header == header {
			return f
		}
	}
	return demoFormats[0]
}
