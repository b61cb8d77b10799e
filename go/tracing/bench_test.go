package tracing

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

// The cost of a whole http.get through k6/http, plain and traced, in one
// VU against a loopback server: the difference is what tracing adds to a
// request inside k6, without the noise of a second process.

func benchmarkGet(b *testing.B, setup, call string) {
	h := newHarness(&testing.T{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	b.Cleanup(srv.Close)
	require.NoError(b, h.runtime.VU.Runtime().Set("URL", srv.URL))
	h.mustRun(`const http = require("k6/http"); const plainGet = http.get;` + setup)
	h.toVU()
	h.runtime.VU.StateField.Transport = srv.Client().Transport
	fn, err := h.runtime.VU.Runtime().RunString(`(function () { ` + call + ` })`)
	require.NoError(b, err)
	get, _ := sobek.AssertFunction(fn)
	go func() { // k6 sends samples to its engine; drain them as it would
		for range h.samples {
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := get(sobek.Undefined()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGetPlain(b *testing.B) {
	benchmarkGet(b, ``, `plainGet(URL)`)
}

func BenchmarkGetTraced(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP();`, `http.get(URL)`)
}

func BenchmarkGetTracedWithParams(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP(); const p = { headers: { "X-A": "1" } };`, `http.get(URL, p)`)
}

func BenchmarkGetPlainWithParams(b *testing.B) {
	benchmarkGet(b, `const p = { headers: { "X-A": "1" } };`, `plainGet(URL, p)`)
}

func BenchmarkGetTracedEveryFormat(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP({
		propagator: ["w3c", "jaeger", "b3", "b3multi", "ot", "xray", "datadog", "gcp"] });`, `http.get(URL)`)
}

func BenchmarkGetTracedK6Baggage(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP({ baggage: true });`, `http.get(URL)`)
}

func BenchmarkGetTracedContinuingCaller(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP();
		const p = { headers: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" } };`, `http.get(URL, p)`)
}

func BenchmarkGetTracedWithSpans(b *testing.B) {
	// Spans queue in the SDK and are sent in the background (here to a
	// port nothing listens on): what a request pays is making the span.
	benchmarkGet(b, `require("k6/x/tracing").instrumentHTTP({ spans: { endpoint: "http://127.0.0.1:9" } });`, `http.get(URL)`)
}

func BenchmarkGetStacked(b *testing.B) {
	// The two import paths on one request, as scripts that used the tempo
	// and pyroscope libraries together do (http_stacking.go).
	benchmarkGet(b, `require("k6/x/tracing/pyroscope").instrumentHTTP();
		require("k6/x/tracing").instrumentHTTP();`, `http.get(URL)`)
}

func BenchmarkGetPyroscope(b *testing.B) {
	benchmarkGet(b, `require("k6/x/tracing/pyroscope").instrumentHTTP();`, `http.get(URL)`)
}
