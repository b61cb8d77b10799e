package spans

import (
	"context"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// requestGarbage is about what k6 allocates for one plain request. It sets
// the collector's pace, which decides how long a pool keeps what it holds.
const requestGarbage = 10 << 10

var garbage []byte

// BenchmarkRecordEnded is the life of a request's span among a request's
// worth of other garbage: built on a VU's goroutine, queued, exported and
// recycled on the batch processor's. What it allocates beyond
// requestGarbage (10,240 B and 1 allocation an op) is the span's.
func BenchmarkRecordEnded(b *testing.B) {
	p := startWith(DefaultConfig(), tracetest.NewNoopExporter())
	start := time.Unix(1700000000, 0)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		pool := &EndedPool{} // a VU's
		var i byte
		for pb.Next() {
			i++
			e := pool.Get()
			e.Name, e.Kind, e.Start, e.End = "GET", trace.SpanKindClient, start, start.Add(time.Millisecond)
			e.Context = trace.NewSpanContext(trace.SpanContextConfig{
				TraceID: trace.TraceID{1}, SpanID: trace.SpanID{i, 1}, TraceFlags: trace.FlagsSampled,
			})
			e.Attributes = append(e.Attributes,
				attribute.String("http.request.method", "GET"), attribute.Int("http.response.status_code", 200))
			p.Record(e)
			garbage = make([]byte, requestGarbage)
		}
	})
	b.StopTimer()
	stats, _ := p.Shutdown(context.Background())
	b.ReportMetric(float64(stats.Dropped())/float64(b.N), "dropped/op")
}
