package propagation

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/baggage"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Tracestate and baggage next to OpenTelemetry Go with the same input, in
// the same run: `go test -run '^$' -bench 'TraceState|Baggage' -benchmem`.

const (
	benchTraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE,dd=s:1;o:rum;t.dm:-0,k6@grafana=abc"
	benchBaggage    = "userId=alice,serverNode=DF%2028,isProduction=false," +
		"k6.test_run_id=123456,tenant=acme;region=eu,note=caf%C3%A9%20%26%20bar"
)

func BenchmarkTraceStateParse(b *testing.B) {
	versus(b, func() {
		_, _ = ParseTraceState(benchTraceState)
	}, func() {
		_, _ = trace.ParseTraceState(benchTraceState)
	})
}

func BenchmarkTraceStateString(b *testing.B) {
	ours, _ := ParseTraceState(benchTraceState)
	otel, _ := trace.ParseTraceState(benchTraceState)
	versus(b, func() {
		_ = ours.String()
	}, func() {
		_ = otel.String()
	})
}

// BenchmarkTraceStateSet: a vendor updating its entry, then the header.
func BenchmarkTraceStateSet(b *testing.B) {
	ours, _ := ParseTraceState(benchTraceState)
	otel, _ := trace.ParseTraceState(benchTraceState)
	versus(b, func() {
		ts := ours
		_ = ts.Set("congo", "ucfJifl5GOE")
		_ = ts.String()
	}, func() {
		ts, _ := otel.Insert("congo", "ucfJifl5GOE")
		_ = ts.String()
	})
}

func BenchmarkBaggageParse(b *testing.B) {
	versus(b, func() {
		_, _ = ParseBaggage(benchBaggage)
	}, func() {
		_, _ = baggage.Parse(benchBaggage)
	})
}

// BenchmarkBaggageString encodes a baggage that just changed, and then one
// that did not: ours caches the header, OpenTelemetry encodes every time.
// Each of ours has its own baggage, so that "ours" clearing the cache
// cannot reach "ours cached".
func BenchmarkBaggageString(b *testing.B) {
	ours, _ := ParseBaggage(benchBaggage)
	otel, _ := baggage.Parse(benchBaggage)
	versus(b, func() {
		ours.wire.Store(nil) // as after a change
		_ = ours.String()
	}, func() {
		_ = otel.String()
	})
	cached, _ := ParseBaggage(benchBaggage)
	b.Run("ours cached", loop(func() {
		_ = cached.String()
	}))
}

func BenchmarkBaggageExtract(b *testing.B) {
	p, m := NewPropagator(W3CBaggage), MapCarrier{BaggageHeader: benchBaggage}
	otelP, otelM := otelprop.Baggage{}, otelprop.MapCarrier{BaggageHeader: benchBaggage}
	ctx := context.Background()
	versus(b, func() {
		_, _, _ = p.Extract(m)
	}, func() {
		_ = otelP.Extract(ctx, otelM)
	})
}

// BenchmarkBaggageInject writes the same, unchanged baggage on every
// request, as a test that sets its baggage once does.
func BenchmarkBaggageInject(b *testing.B) {
	p, bag, m := NewPropagator(W3CBaggage), must(ParseBaggage(benchBaggage)), MapCarrier{}
	otelBag, _ := baggage.Parse(benchBaggage)
	otelP, otelM := otelprop.Baggage{}, otelprop.MapCarrier{}
	ctx := baggage.ContextWithBaggage(context.Background(), otelBag)
	versus(b, func() {
		p.Inject(Context{}, bag, m)
	}, func() {
		otelP.Inject(ctx, otelM)
	})
}

// versus runs ours and OpenTelemetry's version of one operation as the
// sub-benchmarks "ours" and "otel", the names benchstat pairs across runs.
// Setup belongs outside the two functions: b.Loop times only the loop.
func versus(b *testing.B, ours, otel func()) {
	b.Helper()
	b.Run("ours", loop(ours))
	b.Run("otel", loop(otel))
}

// loop is a benchmark of op, allocations reported. op is called through a
// function value, which adds one to two nanoseconds an iteration to both
// sides: it shows only in the results of a few nanoseconds (a String that
// returns its cached header).
func loop(op func()) func(*testing.B) {
	return func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			op()
		}
	}
}

func must[T any](v T, _ bool) T { return v }
