package tracing

import (
	"context"
	"sync"
	"time"

	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/embedded"
)

// k6's browser module traces itself with the tracer provider of the VU
// state (--traces-output): an "iteration" span per browser iteration, its
// navigations, page actions and a "web_vital" span for each web vital the
// page reports. It takes the provider from lib.State.TracerProvider at the
// VU's first browser iteration, on a goroutine of its own, and every VU's
// state holds the same provider as the test's TestPreInitState, a struct
// that embeds the OpenTelemetry provider in an exported field. k6 offers
// no other way in: the browser's tracer and its spans are internal.
//
// So, once per test, as the first VU is initialized (before any
// iteration), the embedded provider is wrapped: the browser's tracer
// then goes through k6BrowserTracer, which leaves every span as k6 makes
// it and tells this module two things:
//
//   - the context of each VU's k6 iteration span, under which a page's
//     span starts, so that k6's browser spans and ours form one trace;
//   - each web vital, as an event of the VU's open page spans. This works
//     without --traces-output too: k6 calls its tracer for every web vital
//     whatever the provider, and the no-op provider is wrapped as well.
//
// Spans other than the browser's, and every span's ids, are untouched.

// k6BrowserTracerName is the name k6's browser module gives its tracer.
const k6BrowserTracerName = "k6.browser"

// k6Browser is what the wrapped provider tells about each VU, by VU id.
var k6Browser = &k6BrowserVUs{vus: map[uint64]*k6BrowserVU{}}

// k6Hook guards the wrapping of the test's provider.
var k6Hook sync.Mutex

// hookK6Tracing wraps the tracer provider k6 gives its VUs, once per
// provider. Before k6 made its provider (the first initialization reads
// the script's options) there is none to wrap.
func hookK6Tracing(env *common.InitEnvironment) {
	if env == nil || env.TestPreInitState == nil || env.TracerProvider == nil {
		return
	}
	tp := env.TracerProvider
	k6Hook.Lock()
	defer k6Hook.Unlock()
	if tp.TracerProvider == nil {
		return
	}
	if _, done := tp.TracerProvider.(*k6Provider); done {
		return
	}
	tp.TracerProvider = &k6Provider{inner: tp.TracerProvider, vus: k6Browser}
}

// k6Provider is k6's tracer provider, with the browser's tracer wrapped.
type k6Provider struct {
	embedded.TracerProvider
	inner trace.TracerProvider
	vus   *k6BrowserVUs
}

// Tracer returns k6's tracer, wrapped for the browser module's.
func (p *k6Provider) Tracer(name string, opts ...trace.TracerOption) trace.Tracer {
	t := p.inner.Tracer(name, opts...)
	if name != k6BrowserTracerName {
		return t
	}
	return &k6BrowserTracer{inner: t, vus: p.vus}
}

// k6BrowserTracer is the browser module's tracer: k6's, watched.
type k6BrowserTracer struct {
	embedded.Tracer
	inner trace.Tracer
	vus   *k6BrowserVUs
}

// k6VUKey keys the VU id the iteration's context carries to the spans
// k6 starts under it.
type k6VUKey struct{}

// Start starts k6's span as k6 asked, and notes an iteration's context or
// a web vital.
func (t *k6BrowserTracer) Start(ctx context.Context, name string, opts ...trace.SpanStartOption) (context.Context, trace.Span) {
	ctx, span := t.inner.Start(ctx, name, opts...)
	switch name {
	case "iteration":
		cfg := trace.NewSpanStartConfig(opts...)
		attrs := cfg.Attributes()
		vu, vuOK := int64Attribute(attrs, "test.vu")
		iteration, iterOK := int64Attribute(attrs, "test.iteration.number")
		if vuOK && iterOK && vu >= 0 {
			t.vus.iterationStarted(uint64(vu), iteration, span.SpanContext())
			ctx = context.WithValue(ctx, k6VUKey{}, uint64(vu))
		}
	case "web_vital":
		vu, ok := ctx.Value(k6VUKey{}).(uint64)
		if !ok {
			break
		}
		cfg := trace.NewSpanStartConfig(opts...)
		if v, ok := webVitalOf(cfg.Attributes()); ok {
			t.vus.webVital(vu, v)
		}
	}
	return ctx, span
}

func int64Attribute(attrs []attribute.KeyValue, key attribute.Key) (int64, bool) {
	for _, kv := range attrs {
		if kv.Key == key && kv.Value.Type() == attribute.INT64 {
			return kv.Value.AsInt64(), true
		}
	}
	return 0, false
}

// webVital is one web vital the page reported, as k6 measured it.
type webVital struct {
	name   string // LCP, FCP, CLS, INP, TTFB, …
	value  float64
	rating string
	at     time.Time
}

// webVitalOf reads k6's web_vital span attributes.
func webVitalOf(attrs []attribute.KeyValue) (webVital, bool) {
	v := webVital{at: time.Now()}
	var named, valued bool
	for _, kv := range attrs {
		switch kv.Key {
		case "web_vital.name":
			v.name, named = kv.Value.AsString(), true
		case "web_vital.value":
			v.value, valued = kv.Value.AsFloat64(), kv.Value.Type() == attribute.FLOAT64
		case "web_vital.rating":
			v.rating = kv.Value.AsString()
		}
	}
	return v, named && valued && v.name != ""
}

// k6BrowserVUs holds, per VU, what k6's browser tracer told: its current
// k6 iteration span and the page spans open to web vitals. k6 reports on
// its own goroutines, the VUs read on theirs, hence the lock.
type k6BrowserVUs struct {
	mu  sync.Mutex
	vus map[uint64]*k6BrowserVU
}

// k6BrowserVU is one VU's entry.
type k6BrowserVU struct {
	iteration int64
	span      trace.SpanContext // k6's iteration span; invalid without --traces-output
	pages     []webVitalSink    // open page spans, the latest last
}

// webVitalSink is a page span that takes web vitals.
type webVitalSink interface {
	addWebVital(webVital)
}

func (r *k6BrowserVUs) vu(id uint64) *k6BrowserVU {
	v := r.vus[id]
	if v == nil {
		v = &k6BrowserVU{iteration: -1}
		r.vus[id] = v
	}
	return v
}

func (r *k6BrowserVUs) iterationStarted(vu uint64, iteration int64, span trace.SpanContext) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.vu(vu)
	v.iteration, v.span = iteration, span
}

// iterationSpan returns k6's iteration span of the VU's iteration, if k6
// exports one.
func (r *k6BrowserVUs) iterationSpan(vu uint64, iteration int64) (trace.SpanContext, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.vus[vu]
	if v == nil || v.iteration != iteration || !v.span.IsValid() {
		return trace.SpanContext{}, false
	}
	return v.span, true
}

// webVital hands a web vital to the VU's latest open page span. k6 does
// not say which page reported it; a VU rarely has two pages open at once.
func (r *k6BrowserVUs) webVital(vu uint64, w webVital) {
	r.mu.Lock()
	v := r.vus[vu]
	var sink webVitalSink
	if v != nil && len(v.pages) > 0 {
		sink = v.pages[len(v.pages)-1]
	}
	r.mu.Unlock()
	if sink != nil {
		sink.addWebVital(w)
	}
}

// pageOpened makes page the VU's latest page span open to web vitals.
func (r *k6BrowserVUs) pageOpened(vu uint64, page webVitalSink) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.vu(vu)
	v.pages = append(v.pages, page)
}

// pageClosed takes page off the VU's open page spans.
func (r *k6BrowserVUs) pageClosed(vu uint64, page webVitalSink) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := r.vus[vu]
	if v == nil {
		return
	}
	for i, p := range v.pages {
		if p == page {
			v.pages = append(v.pages[:i], v.pages[i+1:]...)
			return
		}
	}
}
