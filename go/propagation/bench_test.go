package propagation

import "testing"

// The hot path of every request: a new trace context and its header value.
// Targets: at most 300 ns and 2 allocations per request.

func BenchmarkNewTrace(b *testing.B) {
	g, s := NewGenerator(NewSource(), LocalCode), NewSampler(0.5)
	b.ReportAllocs()
	for b.Loop() {
		_ = g.NewTrace(LayoutK6, s)
	}
}

func BenchmarkNewTraceAndTraceparent(b *testing.B) {
	g, s := NewGenerator(NewSource(), LocalCode), NewSampler(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = FormatTraceparent(g.NewTrace(LayoutK6, s))
	}
}

func BenchmarkNewTraceAndUberTraceID(b *testing.B) {
	g, s := NewGenerator(NewSource(), LocalCode), NewSampler(1)
	b.ReportAllocs()
	for b.Loop() {
		_ = FormatUberTraceID(g.NewTrace(LayoutK6, s))
	}
}

func BenchmarkSpanID(b *testing.B) {
	src := NewSource()
	b.ReportAllocs()
	for b.Loop() {
		_ = NewSpanID(src)
	}
}

func BenchmarkParseTraceparent(b *testing.B) {
	const v = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	b.ReportAllocs()
	for b.Loop() {
		_, _ = ParseTraceparent(v)
	}
}
