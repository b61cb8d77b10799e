package spans

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// otlpCapture is a loopback OTLP endpoint that keeps the bodies it is
// sent and answers 200 with an empty protobuf response.
type otlpCapture struct {
	url    string
	bodies chan []byte
}

func newOTLPCapture(tb testing.TB) *otlpCapture {
	tb.Helper()
	c := &otlpCapture{bodies: make(chan []byte, 16)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.bodies <- body
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	tb.Cleanup(srv.Close)
	c.url = srv.URL + "/v1/traces"
	return c
}

// next returns the body of the next request.
func (c *otlpCapture) next(tb testing.TB) []byte {
	tb.Helper()
	select {
	case b := <-c.bodies:
		return b
	case <-time.After(10 * time.Second):
		tb.Fatal("no request reached the capture server")
		return nil
	}
}

// newSDKExporter is the exporter go/spans replaces, to url.
func newSDKExporter(tb testing.TB, url string) sdktrace.SpanExporter {
	tb.Helper()
	exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(url), otlptracehttp.WithRetry(otlptracehttp.RetryConfig{Enabled: false}))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp
}

// sdkRequest is what the SDK's exporter sends for spans.
func sdkRequest(tb testing.TB, exp sdktrace.SpanExporter, c *otlpCapture, spans []sdktrace.ReadOnlySpan) *coltracepb.ExportTraceServiceRequest {
	tb.Helper()
	require.NoError(tb, exp.ExportSpans(context.Background(), spans))
	return decodeRequest(tb, c.next(tb))
}

func decodeRequest(tb testing.TB, b []byte) *coltracepb.ExportTraceServiceRequest {
	tb.Helper()
	req := &coltracepb.ExportTraceServiceRequest{}
	require.NoError(tb, proto.Unmarshal(b, req))
	return req
}

// normalizeRequest sorts what the SDK groups through maps: ResourceSpans
// (in map order) and, to be independent of it, ScopeSpans too.
func normalizeRequest(req *coltracepb.ExportTraceServiceRequest) {
	key := func(m proto.Message, schemaURL string) string {
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(m)
		if err != nil {
			panic(err)
		}
		return string(b) + "\x00" + schemaURL
	}
	for _, rs := range req.ResourceSpans {
		slices.SortStableFunc(rs.ScopeSpans, func(a, b *tracepb.ScopeSpans) int {
			return strings.Compare(key(a.Scope, a.SchemaUrl), key(b.Scope, b.SchemaUrl))
		})
	}
	slices.SortStableFunc(req.ResourceSpans, func(a, b *tracepb.ResourceSpans) int {
		return strings.Compare(key(a.Resource, a.SchemaUrl), key(b.Resource, b.SchemaUrl))
	})
}

// requireSameRequest fails with a diff of their JSON forms unless the
// requests are equal but for the order of their groups.
func requireSameRequest(tb testing.TB, want, got *coltracepb.ExportTraceServiceRequest) {
	tb.Helper()
	normalizeRequest(want)
	normalizeRequest(got)
	if proto.Equal(want, got) {
		return
	}
	opts := protojson.MarshalOptions{Multiline: true}
	tb.Fatalf("the request differs from the SDK's (-SDK +ours):\n%s", lineDiff(opts.Format(want), opts.Format(got)))
}

// lineDiff is a diff of a and b by lines (their longest common
// subsequence), with two lines of context around each change.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	// lcs[i][j] is the length of the longest common subsequence of x[i:]
	// and y[j:].
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type line struct {
		op   byte
		text string
	}
	var lines []line
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			lines = append(lines, line{' ', x[i]})
			i, j = i+1, j+1
		case i < len(x) && (j == len(y) || lcs[i+1][j] >= lcs[i][j+1]):
			lines = append(lines, line{'-', x[i]})
			i++
		default:
			lines = append(lines, line{'+', y[j]})
			j++
		}
	}
	var out strings.Builder
	last := -1
	for k, l := range lines {
		near := false
		for d := max(0, k-2); d <= min(len(lines)-1, k+2); d++ {
			near = near || lines[d].op != ' '
		}
		if !near {
			continue
		}
		if last >= 0 && k > last+1 {
			out.WriteString("...\n")
		}
		fmt.Fprintf(&out, "%c %s\n", l.op, l.text)
		last = k
	}
	return out.String()
}

// everyAttributeType holds an attribute of each type, zero values too.
func everyAttributeType() []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.Bool("bool", true),
		attribute.Bool("bool.false", false),
		attribute.Int64("int", -42),
		attribute.Int64("int.zero", 0),
		attribute.Float64("float", 3.5),
		attribute.Float64("float.zero", 0),
		attribute.String("string", "värde"),
		attribute.String("string.empty", ""),
		attribute.BoolSlice("bools", []bool{true, false}),
		attribute.Int64Slice("ints", []int64{1, -2, 3, 1 << 40}),
		attribute.Float64Slice("floats", []float64{0.5, -1, math.Inf(1)}),
		attribute.StringSlice("strings", []string{"a", "", "c", "d"}),
		attribute.StringSlice("strings.none", nil),
		attribute.ByteSlice("bytes", []byte{0, 1, 2}),
		attribute.ByteSlice("bytes.none", nil),
		attribute.Slice("slice",
			attribute.StringValue("x"), attribute.IntValue(1),
			attribute.SliceValue(attribute.BoolValue(true), attribute.Float64Value(2)),
			attribute.SliceValue(), attribute.Value{}),
		{Key: "empty"},
	}
}

// invalidValue is a Value of a type attribute does not define, which
// only memory surgery makes: the SDK encodes it as "INVALID".
func invalidValue() attribute.Value {
	v := attribute.StringValue("not encoded")
	*(*attribute.Type)(unsafe.Pointer(&v)) = 99 // Value's first field is its type.
	if v.Type() != 99 {
		panic("attribute.Value's layout changed")
	}
	return v
}

// scopedSpan overrides a span's scope: SpanStub.Snapshot keeps a scope's
// attributes only if it has a name, version or schema URL.
type scopedSpan struct {
	sdktrace.ReadOnlySpan
	scope instrumentation.Scope
}

func (s scopedSpan) InstrumentationScope() instrumentation.Scope { return s.scope }

// testSpanContext is a span context whose ids start with t and s.
func otlpTestSpanContext(t, s byte, flags trace.TraceFlags, remote bool, state string) trace.SpanContext {
	ts, err := trace.ParseTraceState(state)
	if err != nil {
		panic(err)
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID:    trace.TraceID{0: t, 15: 1},
		SpanID:     trace.SpanID{0: s, 7: 1},
		TraceFlags: flags,
		TraceState: ts,
		Remote:     remote,
	})
}

// variedSpans are spans of the SDK's tracer and stubs, covering every
// field the SDK's transform writes.
func otlpVariedSpans(tb testing.TB) []sdktrace.ReadOnlySpan {
	tb.Helper()
	res := resource.NewWithAttributes("https://opentelemetry.io/schemas/1.26.0",
		attribute.String("service.name", "k6"), attribute.Int("process.pid", 42), attribute.StringSlice("tags", []string{"a", "b"}))
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(rec),
		sdktrace.WithResource(res),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
		sdktrace.WithRawSpanLimits(sdktrace.SpanLimits{
			AttributeValueLengthLimit:   -1,
			AttributeCountLimit:         24,
			EventCountLimit:             3,
			LinkCountLimit:              2,
			AttributePerEventCountLimit: 2,
			AttributePerLinkCountLimit:  2,
		}),
	)
	tb.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	plain := tp.Tracer("plain")
	rich := tp.Tracer("rich", trace.WithInstrumentationVersion("1.2.3"),
		trace.WithSchemaURL("https://opentelemetry.io/schemas/1.24.0"),
		trace.WithInstrumentationAttributes(attribute.String("scope.attr", "x"), attribute.Bool("scope.flag", true)))
	bg := context.Background()
	at := time.Date(2026, 5, 4, 3, 2, 1, 987654321, time.UTC)

	remoteParent := otlpTestSpanContext(9, 9, trace.FlagsSampled, true, "vendor=value,other=x")
	remoteLink := otlpTestSpanContext(8, 8, 0, true, "linked=1")
	ctx, root := plain.Start(bg, "GET /", trace.WithSpanKind(trace.SpanKindClient), trace.WithTimestamp(at),
		trace.WithAttributes(everyAttributeType()...),
		trace.WithLinks(
			trace.Link{SpanContext: remoteLink, Attributes: []attribute.KeyValue{attribute.String("link", "remote")}},
			trace.Link{SpanContext: otlpTestSpanContext(7, 7, trace.FlagsSampled, false, "")},
		))
	root.AddEvent("first", trace.WithTimestamp(at.Add(time.Millisecond)), trace.WithAttributes(attribute.Int("n", 1), attribute.String("s", "x")))
	root.AddEvent("second", trace.WithTimestamp(at.Add(2*time.Millisecond)))
	root.SetStatus(codes.Error, "boom")

	_, child := plain.Start(ctx, "child", trace.WithSpanKind(trace.SpanKindServer), trace.WithTimestamp(at))
	child.SetStatus(codes.Ok, "ignored by the SDK")
	child.End(trace.WithTimestamp(at.Add(time.Second)))

	remoteCtx := trace.ContextWithRemoteSpanContext(bg, remoteParent)
	_, consumer := rich.Start(remoteCtx, "consume", trace.WithSpanKind(trace.SpanKindConsumer))
	consumer.End()
	_, producer := rich.Start(bg, "produce", trace.WithSpanKind(trace.SpanKindProducer))
	producer.End()
	_, internal := rich.Start(remoteCtx, "", trace.WithSpanKind(trace.SpanKindInternal))
	internal.End()

	_, full := plain.Start(bg, "over the limits")
	for i := range 30 {
		full.SetAttributes(attribute.Int(fmt.Sprint("a", i), i))
	}
	for i := range 5 {
		full.AddEvent(fmt.Sprint("event", i), trace.WithAttributes(attribute.Int("a", 1), attribute.Int("b", 2), attribute.Int("c", 3)))
		full.AddLink(trace.Link{SpanContext: otlpTestSpanContext(byte(i+1), byte(i+1), 1, i%2 == 0, ""),
			Attributes: []attribute.KeyValue{attribute.Int("a", 1), attribute.Int("b", 2), attribute.Int("c", 3)}})
	}
	full.End()
	root.End(trace.WithTimestamp(at.Add(3 * time.Second)))

	spans := rec.Ended()
	// A nil resource and a zero scope; an unsampled span with an
	// unspecified kind, times to clamp, counts beyond uint32 and an
	// attribute of an unknown type.
	odd := tracetest.SpanStub{
		Name:        "stub",
		SpanContext: otlpTestSpanContext(5, 5, 0, false, "k=v"),
		Parent:      otlpTestSpanContext(5, 6, 0, false, ""),
		StartTime:   time.Unix(-5, 0),
		Attributes:  append(everyAttributeType(), attribute.KeyValue{Key: "invalid", Value: invalidValue()}),
		Events: []sdktrace.Event{
			{Name: "ev", Time: time.Unix(-1, 0), DroppedAttributeCount: -3},
			{Attributes: []attribute.KeyValue{attribute.Int64Slice("i", nil)}, DroppedAttributeCount: 2},
		},
		Links:             []sdktrace.Link{{SpanContext: remoteParent, DroppedAttributeCount: math.MaxUint32 + 1}, {}},
		Status:            sdktrace.Status{Code: codes.Error},
		DroppedAttributes: math.MaxUint32 + 5,
		DroppedEvents:     -1,
		DroppedLinks:      7,
	}.Snapshot()
	// A resource of its own, and one with res's attributes under another
	// schema URL, which the SDK files under res.
	other := resource.NewSchemaless(attribute.String("service.name", "other"))
	sameAttrs := resource.NewWithAttributes("https://example.com/other-schema", res.Attributes()...)
	stub := func(name string, r *resource.Resource, scope instrumentation.Scope) sdktrace.ReadOnlySpan {
		return tracetest.SpanStub{Name: name, SpanContext: otlpTestSpanContext(3, 3, 1, false, ""), Resource: r,
			InstrumentationScope: scope, StartTime: at, EndTime: at.Add(time.Second)}.Snapshot()
	}
	spans = append([]sdktrace.ReadOnlySpan{nil, odd}, spans...)
	return append(spans,
		stub("other resource", other, instrumentation.Scope{Name: "plain"}),
		nil,
		stub("same attributes", sameAttrs, instrumentation.Scope{Name: "plain"}),
		stub("same attributes, new scope", sameAttrs, instrumentation.Scope{Name: "plain", Version: "2"}),
		// An empty resource has the nil resource's attributes: the SDK
		// files both under the first.
		stub("empty resource", resource.Empty(), instrumentation.Scope{}),
		scopedSpan{stub("scope without a name", nil, instrumentation.Scope{}),
			instrumentation.Scope{Attributes: attribute.NewSet(attribute.String("only", "attributes"))}},
		scopedSpan{stub("scope with an empty set", nil, instrumentation.Scope{}),
			instrumentation.Scope{Attributes: *attribute.EmptySet()}},
		stub("other resource again", other, instrumentation.Scope{Name: "plain"}),
	)
}

func TestExportRequestMatchesSDK(t *testing.T) {
	spans := otlpVariedSpans(t)
	sdkCapture, ourCapture := newOTLPCapture(t), newOTLPCapture(t)
	want := sdkRequest(t, newSDKExporter(t, sdkCapture.url), sdkCapture, spans)

	exp, err := newHTTPExporter(Config{Endpoint: ourCapture.url, ExportTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	body := ourCapture.next(t)
	require.Equal(t, body, appendExportRequest(nil, spans), "the exporter sends what appendExportRequest encodes")

	got := decodeRequest(t, body)
	require.Len(t, got.ResourceSpans, 3, "one ResourceSpans per resource")
	requireSameRequest(t, want, got)

	// Every span but the nil ones, once.
	var names []string
	for _, rs := range decodeRequest(t, body).ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			for _, s := range ss.Spans {
				names = append(names, s.Name)
			}
		}
	}
	require.Len(t, names, len(spans)-2)
}

func TestAppendExportRequestAppends(t *testing.T) {
	spans := otlpVariedSpans(t)
	alone := appendExportRequest(nil, spans)
	prefix := []byte("prefix")
	require.Equal(t, append(slices.Clone(prefix), alone...), appendExportRequest(prefix, spans))
	require.Equal(t, alone, appendExportRequest(make([]byte, 0, 3), spans), "a buffer too small grows")

	require.Equal(t, prefix, appendExportRequest(prefix, nil), "no spans, no request")
	require.Equal(t, prefix, appendExportRequest(prefix, []sdktrace.ReadOnlySpan{nil, nil}))

	// An encoder reused for other spans forgets the previous ones.
	var e otlpEncoder
	few := spans[len(spans)-3:]
	e.appendExportRequest(nil, spans)
	require.Equal(t, appendExportRequest(nil, few), e.appendExportRequest(nil, few))
}

func TestAppendExportRequestReplacesInvalidUTF8(t *testing.T) {
	stub := func(name, key, value string) sdktrace.ReadOnlySpan {
		return tracetest.SpanStub{Name: name, Attributes: []attribute.KeyValue{attribute.String(key, value)}}.Snapshot()
	}
	got := decodeRequest(t, appendExportRequest(nil, []sdktrace.ReadOnlySpan{stub("a\xffb", "k\xc3", "\xe2\x82v")}))
	s := got.ResourceSpans[0].ScopeSpans[0].Spans[0]
	require.Equal(t, "a\uFFFDb", s.Name)
	require.Equal(t, "k\uFFFD", s.Attributes[0].Key)
	require.Equal(t, "\uFFFDv", s.Attributes[0].Value.GetStringValue())
}

func TestOTLPEncoderAllocatesNothingOnceGrown(t *testing.T) {
	spans := benchClientSpans(t, 64)
	var e otlpEncoder
	buf := e.appendExportRequest(nil, spans)
	allocs := testing.AllocsPerRun(20, func() {
		buf = e.appendExportRequest(buf[:0], spans)
	})
	require.Zero(t, allocs)
}

// appendExportRequest is the encoder's, with an encoder of its own.
func appendExportRequest(buf []byte, spans []sdktrace.ReadOnlySpan) []byte {
	return new(otlpEncoder).appendExportRequest(buf, spans)
}

func TestWireEncoderLengths(t *testing.T) {
	// Lengths that take one, two and three bytes as varints, nested.
	for _, n := range []int{0, 1, 127, 128, 16383, 16384, 70000} {
		var w wireEncoder
		enc := func() {
			outer := w.begin(1)
			inner := w.begin(2)
			w.stringField(3, strings.Repeat("x", n))
			w.end(inner)
			w.fixed32Field(4, 7)
			w.end(outer)
		}
		enc()
		b := w.buf

		// The same message by protowire.
		var inner []byte
		if n > 0 {
			inner = protowire.AppendTag(inner, 3, protowire.BytesType)
			inner = protowire.AppendString(inner, strings.Repeat("x", n))
		}
		outer := protowire.AppendTag(nil, 2, protowire.BytesType)
		outer = protowire.AppendBytes(outer, inner)
		outer = protowire.AppendTag(outer, 4, protowire.Fixed32Type)
		outer = protowire.AppendFixed32(outer, 7)
		want := protowire.AppendTag(nil, 1, protowire.BytesType)
		want = protowire.AppendBytes(want, outer)
		require.True(t, bytes.Equal(want, b), "length %d", n)
	}
}

// FuzzAppendExportRequest checks the encoding of spans made of fuzzed
// values against the SDK's exporter. Invalid UTF-8, which the SDK refuses
// to send, must come out as the SDK sends its replacement.
func FuzzAppendExportRequest(f *testing.F) {
	f.Add("GET", "url.full", "https://example.com/?q=1", int64(200), 0.25, true, []byte{1, 2}, int64(1_700_000_000_000_000_000), int64(1500), uint8(1), uint8(3), uint8(2), 3, false)
	f.Add("", "", "", int64(0), 0.0, false, []byte(nil), int64(-1), int64(0), uint8(0), uint8(0), uint8(0), 0, true)
	f.Add("\xff\xfe", "k\x80", "v\xc3", int64(math.MinInt64), math.NaN(), true, []byte{}, int64(math.MaxInt64), int64(-5), uint8(255), uint8(9), uint8(7), math.MaxInt, true)
	f.Add("n", "k", "a=b,c=d", int64(-1), math.Inf(-1), false, bytes.Repeat([]byte{0xff}, 300), int64(1), int64(math.MaxInt64), uint8(2), uint8(5), uint8(1), -7, true)
	capture := newOTLPCapture(f)
	sdk := newSDKExporter(f, capture.url)
	f.Fuzz(func(t *testing.T, name, key, value string, i int64, fl float64, b bool, raw []byte,
		start, dur int64, flags, kind, code uint8, dropped int, remote bool) {
		build := func(clean func(string) string) []sdktrace.ReadOnlySpan {
			name, key, value := clean(name), clean(key), clean(value)
			attrs := []attribute.KeyValue{
				attribute.String(key, value), attribute.Int64(key, i), attribute.Float64(name, fl),
				attribute.Bool(value, b), attribute.ByteSlice(key, raw),
				attribute.StringSlice(key, []string{name, value, key, ""}),
				attribute.Int64Slice(key, []int64{i, -i, 0, i >> 3}),
				attribute.Float64Slice(key, []float64{fl, -fl}), attribute.BoolSlice(key, []bool{b, !b}),
				attribute.Slice(key, attribute.StringValue(value), attribute.SliceValue(attribute.Int64Value(i))),
				{Key: attribute.Key(key)},
			}
			ts, _ := trace.ParseTraceState(value) // Only ASCII parses.
			ids := trace.SpanContextConfig{
				TraceID:    trace.TraceID{0: byte(i), 1: byte(i >> 8), 15: flags},
				SpanID:     trace.SpanID{0: byte(dropped), 7: kind},
				TraceFlags: trace.TraceFlags(flags),
				TraceState: ts,
				Remote:     remote,
			}
			sc := trace.NewSpanContext(ids)
			ids.SpanID[1]++
			parent := trace.NewSpanContext(ids)
			res := resource.NewWithAttributes(key, attribute.String("service.name", "k6"), attribute.String(key, value))
			scope := instrumentation.Scope{Name: name, Version: value, SchemaURL: key, Attributes: attribute.NewSet(attribute.Float64(key, fl))}
			startTime := time.Unix(0, start)
			span := tracetest.SpanStub{
				Name: name, SpanContext: sc, Parent: parent, SpanKind: trace.SpanKind(kind),
				StartTime: startTime, EndTime: time.Unix(0, start+dur),
				Attributes: attrs,
				Events:     []sdktrace.Event{{Name: value, Time: startTime.Add(time.Duration(dur / 2)), Attributes: attrs[:3], DroppedAttributeCount: dropped}},
				Links: []sdktrace.Link{{SpanContext: parent, Attributes: attrs[3:5], DroppedAttributeCount: -dropped},
					{SpanContext: sc}},
				Status:            sdktrace.Status{Code: codes.Code(code), Description: value},
				DroppedAttributes: dropped, DroppedEvents: int(i), DroppedLinks: int(flags),
				Resource: res, InstrumentationScope: scope,
			}
			root := span
			root.Name, root.Parent, root.Resource, root.InstrumentationScope = key, trace.SpanContext{}, nil, instrumentation.Scope{}
			return []sdktrace.ReadOnlySpan{span.Snapshot(), root.Snapshot(), nil, span.Snapshot()}
		}
		got := decodeRequest(t, appendExportRequest(nil, build(func(s string) string { return s })))
		want := sdkRequest(t, sdk, capture, build(func(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }))
		requireSameRequest(t, want, got)
	})
}

// clientSpans are n spans like k6's HTTP client spans, from the SDK's
// tracer: a remote parent, twelve attributes, an error now and then.
func benchClientSpans(tb testing.TB, n int) []sdktrace.ReadOnlySpan {
	tb.Helper()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(
		sdktrace.WithSpanProcessor(rec),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", "k6"), attribute.String("k6.instance", "host-1"))),
		sdktrace.WithSampler(sdktrace.AlwaysSample()),
	)
	tb.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracer := tp.Tracer(InstrumentationName)
	for i := range n {
		parent := trace.ContextWithRemoteSpanContext(context.Background(),
			otlpTestSpanContext(byte(i), byte(i), trace.FlagsSampled, true, ""))
		status := 200
		if i%10 == 0 {
			status = 503
		}
		_, span := tracer.Start(parent, "GET", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
			attribute.String("http.request.method", "GET"),
			attribute.String("url.full", fmt.Sprintf("https://api.example.com/v1/items/%d?include=details", i)),
			attribute.String("server.address", "api.example.com"),
			attribute.Int("server.port", 443),
			attribute.Int("http.response.status_code", status),
			attribute.String("network.protocol.version", "1.1"),
			attribute.String("k6.test_run_id", "4f1c2e7a-run"),
			attribute.Int("k6.vu", i%50+1),
			attribute.Int("k6.iteration", i/50),
			attribute.String("k6.scenario", "default"),
			attribute.String("k6.group", "::checkout"),
			attribute.String("k6.name", "https://api.example.com/v1/items/${id}"),
		))
		if status >= 500 {
			span.SetStatus(codes.Error, "503 Service Unavailable")
		}
		span.End()
	}
	return rec.Ended()
}

func BenchmarkAppendExportRequest(b *testing.B) {
	benchmarkExportRequest(b, benchClientSpans(b, maxExportBatch))
}

// benchmarkExportRequest encodes spans again and again, as one exporter's
// encoder does export after export, and reports the time per span.
func benchmarkExportRequest(b *testing.B, spans []sdktrace.ReadOnlySpan) {
	var e otlpEncoder // the exporter's, kept from one export to the next
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf = e.appendExportRequest(buf[:0], spans)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spans)), "ns/span")
}
