package propagation

import (
	"context"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace"
)

// Each format's inject and extract, ours and the reference propagator's
// (OpenTelemetry Go's, or Google's for GCP: the referencePropagators the
// interop tests use), on the same context and the same header values, so
// that `go test -bench` prints them side by side. The benchmarks of the
// other formats sit beside their tests and use the helpers below.

func BenchmarkInjectW3C(b *testing.B)      { benchInject(b, W3C) }
func BenchmarkExtractW3C(b *testing.B)     { benchExtract(b, W3C) }
func BenchmarkInjectW3COTel(b *testing.B)  { benchInjectOTel(b, W3C) }
func BenchmarkExtractW3COTel(b *testing.B) { benchExtractOTel(b, W3C) }

func BenchmarkInjectJaeger(b *testing.B)      { benchInject(b, Jaeger) }
func BenchmarkExtractJaeger(b *testing.B)     { benchExtract(b, Jaeger) }
func BenchmarkInjectJaegerOTel(b *testing.B)  { benchInjectOTel(b, Jaeger) }
func BenchmarkExtractJaegerOTel(b *testing.B) { benchExtractOTel(b, Jaeger) }

// benchContext is what every benchmark writes: a sampled k6-layout context,
// whose trace id has non-zero high and low halves.
var benchContext = Context{
	TraceID: trace.TraceID{0xd8, 0x0b, 0x21, 0xf0, 0xa4, 0xe1, 0xc1, 0x9b, 0xf3, 0x86, 0xf2, 0x2f, 0x3c, 0x4e, 0x5b, 0x6a},
	SpanID:  trace.SpanID{0x00, 0xf0, 0x67, 0xaa, 0x0b, 0xa9, 0x02, 0xb7},
	Sampled: true,
}

// otelCarrier is a case-insensitive carrier that does not allocate on Get
// or Set, as our MapCarrier does not: the benchmarks then compare the
// propagators, not the carriers (http.Header canonicalises lower-case names
// with an allocation). Test tables use it too.
type otelCarrier map[string]string

func (m otelCarrier) Get(key string) string {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return ""
}

func (m otelCarrier) Set(key, value string) { m[key] = value }

func (m otelCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// otelContext returns a context holding c as OpenTelemetry's remote span
// context, for OpenTelemetry's injectors.
func otelContext(c Context) context.Context {
	return trace.ContextWithRemoteSpanContext(context.Background(), trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: c.TraceID, SpanID: c.SpanID, TraceFlags: c.Flags(),
	}))
}

func benchInject(b *testing.B, f Format) {
	p, m := NewPropagator(f), MapCarrier{}
	b.ReportAllocs()
	for b.Loop() {
		p.Inject(benchContext, nil, m)
	}
}

// benchExtract reads the headers our injector wrote.
func benchExtract(b *testing.B, f Format) {
	p, m := NewPropagator(f), MapCarrier{}
	p.Inject(benchContext, nil, m)
	if _, found, _ := p.Extract(m); found != Valid {
		b.Fatalf("%s: cannot read back %v", f, m)
	}
	b.ReportAllocs()
	for b.Loop() {
		_, _, _ = p.Extract(m)
	}
}

// benchInjectOTel writes benchContext with the reference injector of
// format f (see referencePropagators).
func benchInjectOTel(b *testing.B, f Format) {
	p, ctx, m := referencePropagator(f), otelContext(benchContext), otelCarrier{}
	b.ReportAllocs()
	for b.Loop() {
		p.Inject(ctx, m)
	}
}

// benchExtractOTel reads, with the reference extractor of format f, the
// headers our injector of f wrote: the same input as benchExtract.
func benchExtractOTel(b *testing.B, f Format) {
	p, m := referencePropagator(f), MapCarrier{}
	NewPropagator(f).Inject(benchContext, nil, m)
	carrier := otelCarrier(m)
	if !trace.SpanContextFromContext(p.Extract(context.Background(), carrier)).IsValid() {
		b.Fatalf("%s: OpenTelemetry cannot read %v", f, m)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = trace.SpanContextFromContext(p.Extract(context.Background(), carrier))
	}
}
