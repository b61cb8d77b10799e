package main

import (
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// t0 is when the synthetic traces of the tests start.
var t0 = time.Date(2026, 11, 21, 16, 49, 23, 0, time.UTC)

// mk is a synthetic span from start to end milliseconds after t0.
func mk(traceID, id, parent, service, kind, name string, start, end float64) otlpsink.Span {
	ms := func(v float64) time.Time { return t0.Add(time.Duration(v * float64(time.Millisecond))) }
	return otlpsink.Span{
		TraceID: traceID, SpanID: id, ParentID: parent,
		Service: service, Kind: kind, Name: name,
		Start: ms(start), End: ms(end),
	}
}

// request is the three service hops under k6's CLIENT span id k6ID,
// with span ids derived from it, over [start, start+40ms].
func request(traceID, k6ID, parent, name string, start float64) []otlpsink.Span {
	fs, fc, bs := k6ID[:15]+"1", k6ID[:15]+"2", k6ID[:15]+"3"
	return []otlpsink.Span{
		mk(traceID, bs, fc, backendService, "server", name, start+10, start+30),
		mk(traceID, fc, fs, frontendService, "client", name, start+5, start+35),
		mk(traceID, fs, k6ID, frontendService, "server", name, start+2, start+38),
		mk(traceID, k6ID, parent, k6Service, "client", "GET", start, start+40),
	}
}

// requestScope is two requests, each its own trace (traceScope "request").
func requestScope() []otlpsink.Span {
	return append(request(traceA, "aaaaaaaaaaaaaaa0", "", "GET /checkout", 0),
		request(traceB, "bbbbbbbbbbbbbbb0", "", "POST /orders", 50)...)
}

// iterationScope is one iteration's trace: its root, a custom span with
// the first request inside, and the second request directly under it.
func iterationScope() []otlpsink.Span {
	const it, custom = "1000000000000000", "2000000000000000"
	spans := []otlpsink.Span{
		mk(traceA, it, "", k6Service, "internal", iterationSpan, 0, 100),
		mk(traceA, custom, it, k6Service, "internal", "checkout", 0, 45),
	}
	spans = append(spans, request(traceA, "aaaaaaaaaaaaaaa0", custom, "GET /checkout", 2)...)
	return append(spans, request(traceA, "bbbbbbbbbbbbbbb0", it, "POST /orders", 55)...)
}
