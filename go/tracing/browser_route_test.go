package tracing

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"

	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// stubRequest builds, in JS, an object with the methods of a k6/browser
// Request that tracedHeaders reads. parentURL is the URL of the request's
// frame's parent: "" for the main frame.
const stubRequest = `function request(url, headers, navigation, parentURL) {
	return {
		url: () => url,
		headers: () => headers,
		method: () => "GET",
		resourceType: () => navigation ? "Document" : "Script",
		isNavigationRequest: () => !!navigation,
		frame: () => ({ parentFrame: () => ({ url: () => parentURL || "" }) }),
	};
}`

// newTestPageTracer returns a page tracer of the page at pageOrigin, with
// options written as a JS expression, and its runtime.
func newTestPageTracer(t *testing.T, optionsExpr, pageOrigin string) (*pageTracer, *sobek.Runtime) {
	t.Helper()
	runtime := modulestest.NewRuntime(t)
	mi, ok := New().NewModuleInstance(runtime.VU).(*ModuleInstance)
	require.True(t, ok)
	rt := runtime.VU.Runtime()
	_, err := rt.RunString(stubRequest)
	require.NoError(t, err)
	v, err := rt.RunString("(" + optionsExpr + ")")
	require.NoError(t, err)
	opts, err := options.DecodeBrowser(rt, v, mi.defaults)
	require.NoError(t, err)
	p := &pageTracer{vu: mi.vu, tracer: mi.newTracer(opts.HTTP), opts: opts, origin: pageOrigin}
	p.root = p.tracer.newTrace()
	return p, rt
}

// traced runs tracedHeaders on the request built by the JS expression and
// returns the headers as a map, or nil when the request goes on unchanged.
func traced(t *testing.T, p *pageTracer, rt *sobek.Runtime, requestExpr string) map[string]string {
	t.Helper()
	req, err := rt.RunString(requestExpr)
	require.NoError(t, err)
	out, err := p.tracedHeaders(req)
	require.NoError(t, err)
	if out == nil {
		return nil
	}
	headers := map[string]string{}
	for _, k := range out.Keys() {
		headers[k] = out.Get(k).String()
	}
	return headers
}

func TestTracedHeadersSameOrigin(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{}`, "http://site.test")
	first := traced(t, p, rt, `request("http://site.test/api", { Accept: "*/*", TraceParent: "garbage" })`)
	require.Equal(t, "*/*", first["Accept"], "the request's own headers are kept")
	require.NotContains(t, first, "TraceParent", "an invalid header of an enabled format is replaced, in any case")
	ctx, ok := propagation.ParseTraceparent(first["traceparent"])
	require.True(t, ok, first["traceparent"])
	require.Equal(t, p.root.TraceID, ctx.TraceID, "the page's trace")

	second := traced(t, p, rt, `request("http://site.test/img.png", {})`)
	ctx2, ok := propagation.ParseTraceparent(second["traceparent"])
	require.True(t, ok, second["traceparent"])
	require.Equal(t, ctx.TraceID, ctx2.TraceID)
	require.NotEqual(t, ctx.SpanID, ctx2.SpanID, "a span per request")
}

func TestTracedHeadersOrigins(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{ propagateTo: ["http://api.test/v1/"] }`, "http://site.test")
	require.Nil(t, traced(t, p, rt, `request("http://cdn.test/lib.js", {})`), "third party untouched")
	require.Nil(t, traced(t, p, rt, `request("http://api.test/v2/x", {})`), "outside propagateTo")
	require.NotNil(t, traced(t, p, rt, `request("http://api.test/v1/x", {})`), "allowed by propagateTo")
	require.Nil(t, traced(t, p, rt, `request("data:text/plain,x", {})`), "not http")

	require.Nil(t, traced(t, p, rt, `request("http://ads.test/frame", {}, true, "http://site.test/")`),
		"a cross-origin iframe's document is another origin's")
	require.Equal(t, "http://site.test", p.origin)

	require.NotNil(t, traced(t, p, rt, `request("http://other.test/", {}, true, "")`),
		"a main-frame navigation makes its origin the page's")
	require.Equal(t, "http://other.test", p.origin)
	require.NotNil(t, traced(t, p, rt, `request("http://other.test/app.js", {})`))
	require.Nil(t, traced(t, p, rt, `request("http://site.test/api", {})`), "the old origin is now another one")
}

func TestTracedHeadersPageContext(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{ propagator: ["w3c", "b3"] }`, "http://site.test")
	require.Nil(t, traced(t, p, rt,
		`request("http://site.test/api", { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" })`),
		"a context the page's own tracing set is left as it is")
	require.Nil(t, traced(t, p, rt, `request("http://site.test/api", { b3: "0" })`),
		"so is the page's own sampling decision")
}

func TestTracedHeadersBaggage(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{ baggage: { tenant: "acme", user: "k6" } }`, "http://site.test")
	h := traced(t, p, rt, `request("http://site.test/api", { Baggage: "user=page" })`)
	require.NotContains(t, h, "Baggage")
	require.Equal(t, "user=page,tenant=acme", h["baggage"], "the page's members win and come first")
}

func TestHeadersForArguments(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{}`, "http://site.test")
	_, err := p.headersFor(rt.ToValue("http://site.test/"))
	require.EqualError(t, err, `invalid argument: headersFor: the argument is "http://site.test/" (a string), `+
		`not a Request from k6/browser; allowed: route.request() in a page.route handler`)
	req, err := rt.RunString(`request("http://cdn.test/x", { accept: "*/*" })`)
	require.NoError(t, err)
	out, err := p.headersFor(req)
	require.NoError(t, err)
	require.Equal(t, []string{"accept"}, out.Keys(), "not allowed: the request's own headers, unchanged")
}

func TestPageHeaders(t *testing.T) {
	t.Parallel()
	p, _ := newTestPageTracer(t, `{ propagator: ["w3c", "jaeger"] }`, "http://site.test")
	a, b := p.headers(), p.headers()
	ca, ok := propagation.ParseTraceparent(a.Get("traceparent").String())
	require.True(t, ok)
	cb, ok := propagation.ParseTraceparent(b.Get("traceparent").String())
	require.True(t, ok)
	require.Equal(t, p.root.TraceID, ca.TraceID, "route mode: a span of the page's trace")
	require.Equal(t, ca.TraceID, cb.TraceID)
	require.NotEqual(t, ca.SpanID, cb.SpanID, "route mode: a new span each time")
	require.NotEmpty(t, a.Get("uber-trace-id").String())

	s, _ := newTestPageTracer(t, `{ mode: "static" }`, "http://site.test")
	s.static = s.childOf(s.root)
	require.Equal(t, s.headers().Get("traceparent").String(), s.headers().Get("traceparent").String(),
		"static mode: the page's one span")
	require.Equal(t, "00-"+propagation.FormatTraceID(s.root.TraceID), s.headers().Get("traceparent").String()[:35])
}

// BenchmarkTracedHeaders is the Go side of one intercepted browser request:
// reading a request with a browser's usual eight headers, deciding its
// origin and writing the merged header object that route.continue takes.
func BenchmarkTracedHeaders(b *testing.B) {
	t := &testing.T{}
	p, rt := newTestPageTracer(t, `{}`, "http://site.test")
	req, err := rt.RunString(`request("http://site.test/static/app.js", {
		"sec-ch-ua": '"Chromium";v="156"', "sec-ch-ua-mobile": "?0", "sec-ch-ua-platform": '"Linux"',
		"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/156.0.0.0 Safari/537.36",
		Accept: "*/*", Referer: "http://site.test/", "Accept-Language": "en-US", "Sec-Fetch-Dest": "script" })`)
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		if out, err := p.tracedHeaders(req); err != nil || out == nil {
			b.Fatal(err)
		}
	}
}

// TestOnRouteAlwaysContinues feeds the route handler routes whose request
// or continue fail: every request must still be continued exactly once.
func TestOnRouteAlwaysContinues(t *testing.T) {
	t.Parallel()
	p, rt := newTestPageTracer(t, `{}`, "http://site.test")
	_, err := rt.RunString(`
	var continued = [];
	function route(req, failWithHeaders) {
		return {
			request: () => { if (req === null) throw new Error("gone"); return req; },
			continue: (opts) => {
				if (opts && failWithHeaders) throw new Error("bad header");
				continued.push(opts ? Object.keys(opts.headers).sort().join(",") : "unchanged");
				return Promise.resolve();
			},
		};
	}`)
	require.NoError(t, err)
	handler := rt.ToValue(p.onRoute)
	require.NoError(t, rt.Set("handler", handler))
	_, err = rt.RunString(`
	handler(route(request("http://site.test/a", { accept: "*/*" })));
	handler(route(request("http://cdn.test/b", { accept: "*/*" })));
	handler(route(null));
	handler(route(request("http://site.test/c", {}), true));
	handler(route({ url: "not a function" }));`)
	require.NoError(t, err)
	require.Equal(t, []any{"accept,traceparent", "unchanged", "unchanged", "unchanged", "unchanged"},
		rt.Get("continued").Export())
	require.True(t, p.warned.Load(), "the failures were reported")
}
