package spans

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// endedWithSets is an ended client span with a set in each slot, or in
// the second only, and attributes of its own.
func endedWithSets(res *resource.Resource, url, vu *SharedAttributes, own ...attribute.KeyValue) sdktrace.ReadOnlySpan {
	e := &Ended{}
	e.Name, e.Kind = "GET", trace.SpanKindClient
	e.Context = otlpTestSpanContext(4, 4, trace.FlagsSampled, false, "")
	e.Parent = otlpTestSpanContext(4, 5, trace.FlagsSampled, true, "")
	e.Start = time.Date(2026, 5, 4, 3, 2, 1, 0, time.UTC)
	e.End = e.Start.Add(time.Second)
	e.Status = sdktrace.Status{Code: codes.Error, Description: "503"}
	e.Shared = [sharedSets]*SharedAttributes{url, vu}
	e.Attributes = own
	e.view = endedSpan{ended: e, resource: res}
	return &e.view
}

// Our encoder copies a span's shared sets as encoded when made; the SDK's
// exporter reads them through Attributes. Both must send the same span.
func TestEndedSharedSetsEncodeAsTheSDKWould(t *testing.T) {
	res := resource.NewSchemaless(attribute.String("service.name", "k6"))
	url := NewSharedAttributes(
		attribute.String("url.full", "http://127.0.0.1:8080/a?b=c"),
		attribute.String("server.address", "127.0.0.1"),
		attribute.Int("server.port", 8080),
	)
	every := NewSharedAttributes(everyAttributeType()...)
	spans := []sdktrace.ReadOnlySpan{
		endedWithSets(res, url, NewSharedAttributes(attribute.String("k6.test_run_id", "r"), attribute.Int64("k6.vu", 3)),
			attribute.String("http.request.method", "GET"), attribute.Int64("k6.iteration", 7)),
		endedWithSets(res, nil, every, attribute.Int("own", 1)),
		endedWithSets(res, NewSharedAttributes(), nil),
	}
	capture := newOTLPCapture(t)
	want := sdkRequest(t, newSDKExporter(t, capture.url), capture, spans)
	got := decodeRequest(t, appendExportRequest(nil, spans))
	requireSameRequest(t, want, got)
	first := got.ResourceSpans[0].ScopeSpans[0].Spans[0]
	var keys []string
	for _, kv := range first.Attributes {
		keys = append(keys, kv.Key)
	}
	require.Equal(t, []string{"url.full", "server.address", "server.port", "k6.test_run_id", "k6.vu",
		"http.request.method", "k6.iteration"}, keys, "the sets in slot order, then the span's own")
}

// The SDK's exporters see a span's sets and its own attributes as one
// list; a span without sets gives its own slice, at no cost.
func TestEndedAttributesJoinTheSets(t *testing.T) {
	own := attribute.Int("own", 1)
	url := NewSharedAttributes(attribute.String("url.full", "http://h/"))
	vu := NewSharedAttributes(attribute.Int64("k6.vu", 2))
	require.Equal(t, []attribute.KeyValue{url.kvs[0], vu.kvs[0], own}, endedWithSets(nil, url, vu, own).Attributes())
	require.Equal(t, []attribute.KeyValue{vu.kvs[0]}, endedWithSets(nil, nil, vu).Attributes())

	bare := endedWithSets(nil, nil, nil, own)
	require.Equal(t, []attribute.KeyValue{own}, bare.Attributes())
	require.Zero(t, testing.AllocsPerRun(10, func() { _ = bare.Attributes() }))
}

// A set is immutable: it keeps its own copy of what it was made from.
func TestSharedAttributesKeepTheirOwnCopy(t *testing.T) {
	kvs := []attribute.KeyValue{attribute.String("a", "1")}
	set := NewSharedAttributes(kvs...)
	encoded := append([]byte(nil), set.encoded.buf...)
	kvs[0] = attribute.String("a", "changed")
	require.Equal(t, []attribute.KeyValue{attribute.String("a", "1")}, set.KeyValues())
	require.Equal(t, encoded, set.encoded.buf)
}

// benchEndedClientSpans are n ended spans as k6 builds them: the attributes
// of benchClientSpans, a URL's and a VU's in shared sets (eight URLs, fifty
// VUs), the rest the span's own.
func benchEndedClientSpans(n int) []sdktrace.ReadOnlySpan {
	res := resource.NewSchemaless(attribute.String("service.name", "k6"), attribute.String("k6.instance", "host-1"))
	urls := make([]*SharedAttributes, 8)
	for i := range urls {
		urls[i] = NewSharedAttributes(
			attribute.String("url.full", fmt.Sprintf("https://api.example.com/v1/items/%d?include=details", i)),
			attribute.String("server.address", "api.example.com"),
			attribute.Int("server.port", 443),
		)
	}
	vus := make([]*SharedAttributes, 50)
	for i := range vus {
		vus[i] = NewSharedAttributes(
			attribute.String("k6.test_run_id", "4f1c2e7a-run"),
			attribute.Int("k6.vu", i+1),
			attribute.String("k6.scenario", "default"),
		)
	}
	spans := make([]sdktrace.ReadOnlySpan, n)
	for i := range spans {
		status := 200
		if i%10 == 0 {
			status = 503
		}
		spans[i] = endedWithSets(res, urls[i%len(urls)], vus[i%len(vus)],
			attribute.String("http.request.method", "GET"),
			attribute.Int("http.response.status_code", status),
			attribute.String("network.protocol.version", "1.1"),
			attribute.Int("k6.iteration", i/50),
			attribute.String("k6.group", "::checkout"),
			attribute.String("k6.name", "https://api.example.com/v1/items/${id}"),
		)
	}
	return spans
}

// The same spans as BenchmarkAppendExportRequest's, with the attributes
// k6 shares between spans in sets.
func BenchmarkAppendExportRequestSharedSets(b *testing.B) {
	benchmarkExportRequest(b, benchEndedClientSpans(maxExportBatch))
}

// A set of strings, numbers and booleans is encoded into one allocation:
// the size hint is never short, even where lengths take two or three bytes.
func TestSharedAttributesEncodeWithinTheirHint(t *testing.T) {
	for _, n := range []int{0, 1, 100, 127, 128, 5000, 16383, 16384, 70000} {
		long := strings.Repeat("x", n)
		kvs := []attribute.KeyValue{
			attribute.String(long, long), attribute.String("s", long), attribute.Int64("i", math.MinInt64),
			attribute.Float64("f", math.Pi), attribute.Bool("b", true), attribute.Int("port", 443),
		}
		set := NewSharedAttributes(kvs...)
		require.LessOrEqual(t, len(set.encoded.buf), encodedSizeHint(kvs), "strings of %d bytes", n)
		require.Equal(t, cap(set.encoded.buf), encodedSizeHint(kvs), "strings of %d bytes: the buffer grew", n)
	}
}
