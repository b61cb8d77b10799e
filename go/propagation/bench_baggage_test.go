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
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = ParseTraceState(benchTraceState)
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = trace.ParseTraceState(benchTraceState)
		}
	})
}

func BenchmarkTraceStateString(b *testing.B) {
	ours, _ := ParseTraceState(benchTraceState)
	otel, _ := trace.ParseTraceState(benchTraceState)
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = ours.String()
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = otel.String()
		}
	})
}

// BenchmarkTraceStateSet: a vendor updating its entry, then the header.
func BenchmarkTraceStateSet(b *testing.B) {
	ours, _ := ParseTraceState(benchTraceState)
	otel, _ := trace.ParseTraceState(benchTraceState)
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ts := ours
			_ = ts.Set("congo", "ucfJifl5GOE")
			_ = ts.String()
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			ts, _ := otel.Insert("congo", "ucfJifl5GOE")
			_ = ts.String()
		}
	})
}

func BenchmarkBaggageParse(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = ParseBaggage(benchBaggage)
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = baggage.Parse(benchBaggage)
		}
	})
}

// BenchmarkBaggageString encodes a baggage that just changed, and then one
// that did not: ours caches the header, OpenTelemetry encodes every time.
func BenchmarkBaggageString(b *testing.B) {
	otel, _ := baggage.Parse(benchBaggage)
	b.Run("ours", func(b *testing.B) {
		ours, _ := ParseBaggage(benchBaggage)
		b.ReportAllocs()
		for b.Loop() {
			ours.wire.Store(nil) // as after a change
			_ = ours.String()
		}
	})
	b.Run("ours cached", func(b *testing.B) {
		ours, _ := ParseBaggage(benchBaggage)
		b.ReportAllocs()
		for b.Loop() {
			_ = ours.String()
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = otel.String()
		}
	})
}

func BenchmarkBaggageExtract(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		p, m := NewPropagator(W3CBaggage), MapCarrier{BaggageHeader: benchBaggage}
		b.ReportAllocs()
		for b.Loop() {
			_, _, _ = p.Extract(m)
		}
	})
	b.Run("otel", func(b *testing.B) {
		p, m := otelprop.Baggage{}, otelprop.MapCarrier{BaggageHeader: benchBaggage}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			_ = p.Extract(ctx, m)
		}
	})
}

// BenchmarkBaggageInject writes the same, unchanged baggage on every
// request, as a test that sets its baggage once does.
func BenchmarkBaggageInject(b *testing.B) {
	b.Run("ours", func(b *testing.B) {
		p, bag := NewPropagator(W3CBaggage), must(ParseBaggage(benchBaggage))
		m := MapCarrier{}
		b.ReportAllocs()
		for b.Loop() {
			p.Inject(Context{}, bag, m)
		}
	})
	b.Run("otel", func(b *testing.B) {
		bag, _ := baggage.Parse(benchBaggage)
		p, ctx, m := otelprop.Baggage{}, baggage.ContextWithBaggage(context.Background(), bag), otelprop.MapCarrier{}
		b.ReportAllocs()
		for b.Loop() {
			p.Inject(ctx, m)
		}
	})
}

func must[T any](v T, _ bool) T { return v }
