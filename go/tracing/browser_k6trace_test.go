package tracing

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// vitalSink records the web vitals a page span would get.
type vitalSink struct {
	mu     sync.Mutex
	vitals []webVital
}

func (s *vitalSink) addWebVital(w webVital) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vitals = append(s.vitals, w)
}

// startK6BrowserSpans starts, through the wrapped provider, the spans k6's
// browser module starts for an iteration with one navigation and one web
// vital, as k6 v2.2 starts them (browser/registry.go, trace/trace.go,
// common/frame_session.go).
func startK6BrowserSpans(t *testing.T, p trace.TracerProvider, vu, iteration int64) trace.Span {
	t.Helper()
	tracer := p.Tracer(k6BrowserTracerName)
	ctx, iter := tracer.Start(context.Background(), "iteration", trace.WithAttributes(
		attribute.Int64("test.iteration.number", iteration), attribute.Int64("test.vu", vu),
		attribute.String("test.scenario", "ui")))
	navCtx, nav := tracer.Start(ctx, "navigation")
	_, wv := tracer.Start(navCtx, "web_vital", trace.WithAttributes(
		attribute.String("web_vital.name", "LCP"), attribute.Float64("web_vital.value", 812.5),
		attribute.String("web_vital.rating", "good")))
	wv.End()
	nav.End()
	return iter
}

func TestK6BrowserTracerNotesIterationsAndWebVitals(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	sdk := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	vus := &k6BrowserVUs{vus: map[uint64]*k6BrowserVU{}}
	p := &k6Provider{inner: sdk, vus: vus}
	sink := &vitalSink{}
	vus.pageOpened(41, sink)

	iter := startK6BrowserSpans(t, p, 41, 3)
	got, ok := vus.iterationSpan(41, 3)
	require.True(t, ok)
	require.Equal(t, iter.SpanContext(), got, "k6's iteration span, for the page spans to join")
	_, ok = vus.iterationSpan(41, 4)
	require.False(t, ok, "another iteration's")
	_, ok = vus.iterationSpan(42, 3)
	require.False(t, ok, "another VU's")
	iter.End()

	require.Len(t, sink.vitals, 1)
	require.Equal(t, "LCP", sink.vitals[0].name)
	require.InDelta(t, 812.5, sink.vitals[0].value, 0)
	require.Equal(t, "good", sink.vitals[0].rating)

	names := map[string]trace.SpanID{}
	for _, s := range rec.Ended() {
		names[s.Name()] = s.Parent().SpanID()
	}
	require.Len(t, names, 3, "k6's spans are exported as k6 made them")
	require.Equal(t, iter.SpanContext().SpanID(), names["navigation"], "k6's parents are untouched")

	vus.pageClosed(41, sink)
	startK6BrowserSpans(t, p, 41, 4).End()
	require.Len(t, sink.vitals, 1, "a closed page gets no more web vitals")

	require.Same(t, sdk.Tracer("other"), p.Tracer("other"), "only the browser's tracer is watched")
}

func TestK6BrowserTracerWithoutTracesOutput(t *testing.T) {
	t.Parallel()
	vus := &k6BrowserVUs{vus: map[uint64]*k6BrowserVU{}}
	p := &k6Provider{inner: noop.NewTracerProvider(), vus: vus}
	sink := &vitalSink{}
	vus.pageOpened(7, sink)
	startK6BrowserSpans(t, p, 7, 0).End()
	_, ok := vus.iterationSpan(7, 0)
	require.False(t, ok, "k6 exports no iteration span to join")
	require.Len(t, sink.vitals, 1, "web vitals reach the page span without --traces-output too")
}

func TestWebVitalOfNeedsNameAndValue(t *testing.T) {
	t.Parallel()
	_, ok := webVitalOf([]attribute.KeyValue{attribute.String("web_vital.name", "CLS")})
	require.False(t, ok)
	_, ok = webVitalOf([]attribute.KeyValue{attribute.Float64("web_vital.value", 1)})
	require.False(t, ok)
	_, ok = webVitalOf([]attribute.KeyValue{attribute.String("web_vital.name", "CLS"), attribute.String("web_vital.value", "1")})
	require.False(t, ok, "a value that is not a number")
	v, ok := webVitalOf([]attribute.KeyValue{attribute.String("web_vital.name", "CLS"), attribute.Float64("web_vital.value", 0)})
	require.True(t, ok)
	require.Equal(t, "CLS", v.name)
}

// preInitState returns a TestPreInitState whose TracerProvider, a type of
// a k6 package extensions cannot import, embeds inner.
func preInitState(inner trace.TracerProvider) *lib.TestPreInitState {
	state := &lib.TestPreInitState{}
	field := reflect.ValueOf(state).Elem().FieldByName("TracerProvider")
	tp := reflect.New(field.Type().Elem())
	tp.Elem().FieldByName("TracerProvider").Set(reflect.ValueOf(inner))
	field.Set(tp)
	return state
}

func TestHookK6TracingWrapsOnce(t *testing.T) {
	t.Parallel()
	hookK6Tracing(nil)
	hookK6Tracing(&common.InitEnvironment{})
	hookK6Tracing(&common.InitEnvironment{TestPreInitState: &lib.TestPreInitState{}}) // before k6 made its provider

	inner := noop.NewTracerProvider()
	state := preInitState(inner)
	env := &common.InitEnvironment{TestPreInitState: state}
	hookK6Tracing(env)
	wrapped, ok := state.TracerProvider.TracerProvider.(*k6Provider)
	require.True(t, ok, "the provider k6 gives its VUs is wrapped")
	require.Equal(t, inner, wrapped.inner)
	hookK6Tracing(env)
	require.Same(t, wrapped, state.TracerProvider.TracerProvider, "once")
	_, ok = state.TracerProvider.Tracer(k6BrowserTracerName).(*k6BrowserTracer)
	require.True(t, ok, "the browser's tracer, through the state's provider")
}
