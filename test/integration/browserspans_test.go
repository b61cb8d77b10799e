//go:build integration

package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/test/support/browserpages"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// startOTelSites starts the browser test's sites, each instrumented with
// the OpenTelemetry Go SDK as a backend under test would be: a SERVER span
// per request, continuing its W3C context, of service "site" or "third",
// exported to Jaeger's OTLP/HTTP endpoint as soon as it ends.
func startOTelSites(t *testing.T, endpoint string) *browserpages.Sites {
	t.Helper()
	tracers := map[string]trace.Tracer{}
	for _, service := range []string{browserpages.Site, browserpages.Third} {
		exp, err := otlptracehttp.New(context.Background(), otlptracehttp.WithEndpointURL(endpoint))
		require.NoError(t, err)
		tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
			sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
		t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
		tracers[service] = tp.Tracer(service)
	}
	s, err := browserpages.StartWith(func(origin string, h http.Handler) http.Handler {
		tracer := tracers[origin]
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := otelprop.TraceContext{}.Extract(r.Context(), otelprop.HeaderCarrier(r.Header))
			ctx, span := tracer.Start(ctx, r.Method+" "+r.URL.Path, trace.WithSpanKind(trace.SpanKindServer),
				trace.WithAttributes(attribute.String("url.path", r.URL.Path)))
			defer span.End()
			h.ServeHTTP(w, r.WithContext(ctx))
		})
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// waitTraceSettled polls Jaeger until the trace has at least n spans and
// its count stopped changing for a second.
func waitTraceSettled(t *testing.T, j *jaeger.Jaeger, traceID string, n int) []jaeger.Span {
	t.Helper()
	spans, err := j.WaitTrace(traceID, n, 20*time.Second)
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		again, err := j.Trace(t.Context(), traceID)
		require.NoError(t, err)
		if len(again) == len(spans) {
			return again
		}
		spans = again
	}
	return spans
}

// describeTree draws a trace as an indented tree, for failure messages
// and the note, with the values of the attributes keys (by default the
// browser spans' resource type and URL).
func describeTree(spans []jaeger.Span, keys ...string) string {
	if len(keys) == 0 {
		keys = []string{"k6.browser.resource_type", "url.full"}
	}
	children := map[string][]jaeger.Span{}
	ids := map[string]bool{}
	for _, s := range spans {
		ids[s.SpanID] = true
	}
	var roots []jaeger.Span
	for _, s := range spans {
		if p := s.ParentID(); p != "" && ids[p] {
			children[p] = append(children[p], s)
		} else {
			roots = append(roots, s)
		}
	}
	var b strings.Builder
	var draw func(s jaeger.Span, depth int)
	draw = func(s jaeger.Span, depth int) {
		fmt.Fprintf(&b, "%s%s: %s", strings.Repeat("  ", depth), s.Service, s.OperationName)
		for _, key := range keys {
			v, _ := s.Tag(key)
			fmt.Fprintf(&b, " %v", v)
		}
		fmt.Fprintf(&b, " (%d µs)\n", s.Duration)
		kids := children[s.SpanID]
		sort.Slice(kids, func(i, k int) bool { return kids[i].StartTime < kids[k].StartTime })
		for _, c := range kids {
			draw(c, depth+1)
		}
	}
	sort.Slice(roots, func(i, k int) bool { return roots[i].StartTime < roots[k].StartTime })
	for _, r := range roots {
		draw(r, 0)
	}
	return b.String()
}

// browserSpanChecks is what TestBrowserSpansInJaeger checks of one
// page's trace: the page span and the spans of its requests.
type browserSpanChecks struct {
	spans  []jaeger.Span
	byID   map[string]jaeger.Span
	page   jaeger.Span
	byPath map[string][]jaeger.Span // k6's request spans, by URL path
}

func newBrowserSpanChecks(t *testing.T, spans []jaeger.Span) browserSpanChecks {
	t.Helper()
	c := browserSpanChecks{spans: spans, byID: map[string]jaeger.Span{}, byPath: map[string][]jaeger.Span{}}
	var pages int
	for _, s := range spans {
		c.byID[s.SpanID] = s
		if s.Service != "k6" {
			continue
		}
		switch s.OperationName {
		case "browser page":
			c.page = s
			pages++
		default:
			if tagOf(s, "span.kind") == "client" {
				u, err := url.Parse(tagOf(s, "url.full").(string))
				require.NoError(t, err)
				c.byPath[u.Path] = append(c.byPath[u.Path], s)
			}
		}
	}
	require.Equal(t, 1, pages, "one page span:\n%s", describeTree(spans))
	return c
}

// request returns the one k6 span of the request to path.
func (c browserSpanChecks) request(t *testing.T, path string) jaeger.Span {
	t.Helper()
	require.Len(t, c.byPath[path], 1, "one span of %s:\n%s", path, describeTree(c.spans))
	return c.byPath[path][0]
}

// TestBrowserSpansInJaeger: instrumentBrowser with spans exports the page
// span, with the web vitals k6 measured, and a CLIENT span, child of the
// page span, for every request of the index page: each span id the site
// received in a traceparent is a k6 span, with the resource type, and the
// instrumented site's SERVER span is its child; requests that carried no
// headers (third party, the page's own context) have spans marked as not
// propagated; the failed request's span has the browser's error; both
// redirect hops have spans.
func TestBrowserSpansInJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sites := startOTelSites(t, j.OTLPHTTP)
	opts, err := json.Marshal(map[string]any{"spans": map[string]any{"endpoint": j.OTLPHTTP, "flushTimeout": "10s"}})
	require.NoError(t, err)
	rep := runIndexPage(t, sites, map[string]string{"TRACING_OPTIONS": string(opts)})
	requireIndexPageWorked(t, sites, rep)
	requireRouteTraced(t, sites, rep, "01")

	// Every request a server received, and the failed one, has a span.
	want := len(sites.Requests()) + 1 /* the failed fetch */ + 1 /* the page */
	for _, r := range sites.Requests() {
		if r.Origin == browserpages.Site && r.Path != browserpages.PathOwnContext {
			want++ // its server span; the page's own context's is in the page's own trace
		}
	}
	c := newBrowserSpanChecks(t, waitTraceSettled(t, j, rep.TraceID, want))
	t.Logf("trace %s:\n%s", rep.TraceID, describeTree(c.spans))
	require.Len(t, c.spans, want, describeTree(c.spans))

	require.Empty(t, c.page.ParentID(), "the page span is the trace's root")
	require.Equal(t, "route", tagOf(c.page, "k6.browser.mode"))
	require.Equal(t, sites.SiteURL+browserpages.PathIndex, tagOf(c.page, "url.full"))
	require.EqualValues(t, 1, tagOf(c.page, "k6.vu"))
	for _, vital := range []string{"fcp", "ttfb"} {
		v, ok := tagOf(c.page, "web_vital."+vital).(float64)
		require.True(t, ok, "web vital %s on the page span: %v", vital, c.page.Tags)
		require.Positive(t, v, vital)
		require.Contains(t, []any{"good", "needs-improvement", "poor"}, tagOf(c.page, "web_vital."+vital+".rating"))
	}
	var vitalEvents int
	for _, l := range c.page.Logs {
		for _, f := range l.Fields {
			if f.Key == "event" && f.Value == "web_vital" {
				vitalEvents++
			}
		}
	}
	require.GreaterOrEqual(t, vitalEvents, 2, "web_vital events on the page span")

	resourceTypes := map[string]string{
		browserpages.PathIndex: "document", browserpages.PathStyle: "stylesheet", browserpages.PathScript: "script",
		browserpages.PathImage: "image", browserpages.PathFrame: "document", browserpages.PathAPIGet: "fetch",
		browserpages.PathXHRPost: "xhr", browserpages.PathFetchPost: "fetch", browserpages.PathFetchPut: "fetch",
		browserpages.PathRedirect: "fetch", browserpages.PathRedirected: "fetch",
	}
	// The requests whose entries the browser has when page.close() reads
	// them: not the fetch() calls whose bodies the page never read (nor
	// the redirect's first hop, whose entry has the second hop's URL).
	browserTimed := map[string]bool{
		browserpages.PathIndex: true, browserpages.PathStyle: true, browserpages.PathScript: true,
		browserpages.PathImage: true, browserpages.PathFrame: true, browserpages.PathXHRPost: true,
	}
	for _, req := range tracedSiteRequests(t, sites) {
		_, spanID, _ := w3cOf(t, req)
		s, ok := c.byID[spanID]
		require.True(t, ok, "the span %s that %s %s carried:\n%s", spanID, req.Method, req.Path, describeTree(c.spans))
		require.Equal(t, "k6", s.Service)
		require.Equal(t, "client", tagOf(s, "span.kind"))
		require.Equal(t, req.Method, s.OperationName)
		require.Equal(t, req.Method, tagOf(s, "http.request.method"))
		require.Equal(t, c.page.SpanID, s.ParentID(), "%s %s is a child of the page span", req.Method, req.Path)
		require.Equal(t, true, tagOf(s, "k6.browser.propagated"), req.Path)
		require.Equal(t, resourceTypes[req.Path], tagOf(s, "k6.browser.resource_type"), req.Path)
		require.EqualValues(t, 0, tagOf(s, "k6.iteration"))
		require.Positive(t, s.Duration, req.Path)
		var server []jaeger.Span
		for _, o := range c.spans {
			if o.Service == browserpages.Site && o.ParentID() == spanID {
				server = append(server, o)
			}
		}
		require.Len(t, server, 1, "the site's server span of %s %s is the child of k6's", req.Method, req.Path)
		require.Equal(t, req.Path, tagOf(server[0], "url.path"))
		if !browserTimed[req.Path] {
			continue
		}
		// The browser's own times: the server's span within the request's
		// (1 ms for the browser's coarsened clock).
		require.Equal(t, "browser", tagOf(s, "k6.browser.timing"), req.Path)
		const slack = 1000 // µs
		require.LessOrEqual(t, s.StartTime, server[0].StartTime+slack, "%s starts before its server span", req.Path)
		require.GreaterOrEqual(t, s.StartTime+s.Duration+slack, server[0].StartTime+server[0].Duration,
			"%s ends after its server span", req.Path)
		status := 200
		if req.Path == browserpages.PathRedirect {
			status = 302
		}
		require.EqualValues(t, status, tagOf(s, "http.response.status_code"), req.Path)
		require.Nil(t, tagOf(s, "error.type"), req.Path)
	}
	require.Equal(t, sites.SiteURL+browserpages.PathAPIGet+"?"+browserpages.QueryAPIGet,
		tagOf(c.request(t, browserpages.PathAPIGet), "url.full"))

	// No headers, still a span: the third party's requests and the one
	// whose traceparent the page set.
	for _, path := range []string{browserpages.PathThirdScript, browserpages.PathThirdImage, browserpages.PathCORS, browserpages.PathOwnContext} {
		s := c.request(t, path)
		require.Equal(t, false, tagOf(s, "k6.browser.propagated"), path)
		require.Equal(t, c.page.SpanID, s.ParentID(), path)
		require.EqualValues(t, 200, tagOf(s, "http.response.status_code"), path)
	}
	own := only(t, sites.Requests(), browserpages.Site, "GET", browserpages.PathOwnContext)
	_, ownSpan, _ := w3cOf(t, own)
	require.NotContains(t, c.byID, ownSpan, "the page's own context is not k6's span")

	failed := c.request(t, browserpages.PathFailed)
	require.Equal(t, "browser", tagOf(failed, "k6.browser.timing"), "Chromium keeps an entry of a failed fetch() too")
	require.Equal(t, "net::ERR_CONNECTION_REFUSED", tagOf(failed, "error.type"))
	require.Equal(t, "ERROR", tagOf(failed, "otel.status_code"))
	require.Nil(t, tagOf(failed, "http.response.status_code"))
	require.Equal(t, "fetch", tagOf(failed, "k6.browser.resource_type"))
}

// TestBrowserSpansJoinK6Traces: with k6's own traces output on
// (--traces-output), k6's browser spans and the page's are one trace:
// the page span is the child of k6's "iteration" span, beside k6's
// navigation, and the page's requests are in that trace too.
func TestBrowserSpansJoinK6Traces(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sites := startOTelSites(t, j.OTLPHTTP)
	opts, err := json.Marshal(map[string]any{"spans": map[string]any{"endpoint": j.OTLPHTTP, "flushTimeout": "10s"}})
	require.NoError(t, err)
	rep := runIndexPage(t, sites, map[string]string{"TRACING_OPTIONS": string(opts)}, "K6_TRACES_OUTPUT=otel="+j.OTLPHTTP)
	requireIndexPageWorked(t, sites, rep)
	requireRouteTraced(t, sites, rep, "01")

	spans := waitTraceSettled(t, j, rep.TraceID, 30)
	t.Logf("trace %s:\n%s", rep.TraceID, describeTree(spans))
	k6Spans := map[string][]jaeger.Span{} // k6's own browser spans, by name
	var page jaeger.Span
	for _, s := range spans {
		switch {
		case tagOf(s, "otel.scope.name") == "k6.browser":
			k6Spans[s.OperationName] = append(k6Spans[s.OperationName], s)
		case s.OperationName == "browser page":
			page = s
		}
	}
	require.Len(t, k6Spans["iteration"], 1, "k6's iteration span is in the page's trace:\n%s", describeTree(spans))
	iteration := k6Spans["iteration"][0]
	require.Empty(t, iteration.ParentID(), "k6's iteration span is the root")
	require.Equal(t, iteration.SpanID, page.ParentID(), "the page span is the child of k6's iteration span")
	require.NotEmpty(t, k6Spans["navigation"], "k6's navigation spans are in the trace")
	for _, nav := range k6Spans["navigation"] {
		require.Equal(t, iteration.SpanID, nav.ParentID())
	}
	require.NotEmpty(t, k6Spans["web_vital"], "k6's web vital spans are in the trace")
	for _, req := range tracedSiteRequests(t, sites) {
		traceID, spanID, _ := w3cOf(t, req)
		require.Equal(t, iteration.TraceID, traceID, req.Path)
		found := false
		for _, s := range spans {
			if s.SpanID == spanID {
				found = true
				require.Equal(t, page.SpanID, s.ParentID(), req.Path)
			}
		}
		require.True(t, found, "k6's span of %s %s", req.Method, req.Path)
	}
}

// TestBrowserStaticSpansInJaeger: in static mode every request carries the
// page span's id, so the site's server spans are the page span's children;
// each request still has its CLIENT span, child of the page span, marked
// as not carried by its headers.
func TestBrowserStaticSpansInJaeger(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sites := startOTelSites(t, j.OTLPHTTP)
	opts, err := json.Marshal(map[string]any{"mode": "static", "spans": map[string]any{"endpoint": j.OTLPHTTP, "flushTimeout": "10s"}})
	require.NoError(t, err)
	rep := runIndexPage(t, sites, map[string]string{"TRACING_OPTIONS": string(opts)})
	requireIndexPageWorked(t, sites, rep)

	site := tracedSiteRequests(t, sites)
	c := newBrowserSpanChecks(t, waitTraceSettled(t, j, rep.TraceID, 2*len(site)+1))
	require.Equal(t, "static", tagOf(c.page, "k6.browser.mode"))
	for _, req := range site {
		traceID, spanID, _ := w3cOf(t, req)
		require.Equal(t, rep.TraceID, traceID)
		require.Equal(t, c.page.SpanID, spanID, "%s %s carries the page span", req.Method, req.Path)
		s := c.request(t, req.Path)
		require.Equal(t, c.page.SpanID, s.ParentID(), req.Path)
		require.Equal(t, false, tagOf(s, "k6.browser.propagated"), req.Path)
	}
	var servers int
	for _, s := range c.spans {
		if s.Service == browserpages.Site {
			servers++
			require.Equal(t, c.page.SpanID, s.ParentID(), "the site's %s is the page span's child", s.OperationName)
		}
	}
	// Chromium's extra headers replace the page's own traceparent too.
	require.Equal(t, len(site)+1, servers, describeTree(c.spans))
	// The headers make the failed cross-origin fetch a preflighted one:
	// the preflight fails, and so does the fetch.
	methods := map[string]any{}
	for _, s := range c.byPath[browserpages.PathFailed] {
		methods[s.OperationName] = tagOf(s, "error.type")
	}
	require.Equal(t, map[string]any{"OPTIONS": "net::ERR_CONNECTION_REFUSED", "GET": "net::ERR_CONNECTION_REFUSED"}, methods)
}

// TestBrowserSpansIterationScope: with traceScope "iteration" and spans,
// an iteration's pages are one trace whose root is the iteration's span,
// each page span its child, each page's requests the page span's.
func TestBrowserSpansIterationScope(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sites := startOTelSites(t, j.OTLPHTTP)
	r, reports := runBrowser(t, browserScopeScript, map[string]string{
		"SITE_URL": sites.SiteURL, "ITERATIONS": "2", "TRACE_SCOPE": "iteration", "SPANS_ENDPOINT": j.OTLPHTTP,
	})
	requireSuccess(t, r)
	require.Len(t, reports, 4)
	traces := map[string][]string{} // trace id -> queries
	for _, rep := range reports {
		traces[rep.TraceID] = append(traces[rep.TraceID], rep.Query)
	}
	require.Len(t, traces, 2, "a trace per iteration")
	for traceID, queries := range traces {
		// the iteration, 2 pages, 2 requests each, and the site's 4 server spans
		spans := waitTraceSettled(t, j, traceID, 11)
		require.Len(t, spans, 11, "%v:\n%s", queries, describeTree(spans))
		byID := map[string]jaeger.Span{}
		for _, s := range spans {
			byID[s.SpanID] = s
		}
		var pages int
		for _, s := range spans {
			switch {
			case s.OperationName == "iteration":
				require.Empty(t, s.ParentID())
			case s.OperationName == "browser page":
				pages++
				require.Equal(t, "iteration", byID[s.ParentID()].OperationName)
			case s.Service == "k6":
				require.Equal(t, "browser page", byID[s.ParentID()].OperationName, "%s %v", s.OperationName, tagOf(s, "url.full"))
			default:
				require.Equal(t, "k6", byID[s.ParentID()].Service, "the site's spans are children of k6's")
			}
		}
		require.Equal(t, 2, pages)
	}
}

// TestBrowserFetchModeSpans: in fetch mode the page's own script gives
// each same-origin fetch and XHR call its own span id (a redirect's next
// hop carries the first hop's), documents and sub-resources carry nothing,
// nor do the third party's calls or the call with the page's own
// context; with spans, each call's CLIENT span has the id it carried and
// the site's server span as its child, and every other request a span
// marked as not propagated.
func TestBrowserFetchModeSpans(t *testing.T) {
	t.Parallel()
	j := startJaeger(t)
	sites := startOTelSites(t, j.OTLPHTTP)
	opts, err := json.Marshal(map[string]any{"mode": "fetch", "spans": map[string]any{"endpoint": j.OTLPHTTP, "flushTimeout": "10s"}})
	require.NoError(t, err)
	rep := runIndexPage(t, sites, map[string]string{"TRACING_OPTIONS": string(opts)})
	requireIndexPageWorked(t, sites, rep)
	require.Equal(t, "fetch", rep.Mode)
	requireOwnContextUntouched(t, sites)
	requireThirdUntraced(t, sites, thirdNoCORS...)
	requireThirdUntraced(t, sites, browserpages.PathCORS)
	require.Empty(t, preflights(sites), "no cross-origin call carried a header")

	calls := map[string]bool{
		browserpages.PathAPIGet: true, browserpages.PathXHRPost: true, browserpages.PathFetchPost: true,
		browserpages.PathFetchPut: true, browserpages.PathRedirect: true, browserpages.PathRedirected: true,
	}
	carried := map[string]string{} // path -> span id
	for _, req := range tracedSiteRequests(t, sites) {
		if !calls[req.Path] {
			require.Empty(t, traceHeaders(req.Header), "%s %s carries no header in fetch mode", req.Method, req.Path)
			continue
		}
		traceID, spanID, flags := w3cOf(t, req)
		require.Equal(t, rep.TraceID, traceID, req.Path)
		require.Equal(t, "01", flags, req.Path)
		require.Equal(t, []string{"traceparent"}, traceHeaders(req.Header), req.Path)
		carried[req.Path] = spanID
	}
	require.Equal(t, carried[browserpages.PathRedirect], carried[browserpages.PathRedirected],
		"the browser sends a redirect's next hop with the first hop's headers")
	ids := map[string]bool{}
	for path, id := range carried {
		if path != browserpages.PathRedirected {
			require.False(t, ids[id], "span id %s used twice", id)
			ids[id] = true
		}
	}

	// the page, a span per request (and the failed one), and the site's server span of each call
	want := 1 + len(sites.Requests()) + 1 + len(calls)
	c := newBrowserSpanChecks(t, waitTraceSettled(t, j, rep.TraceID, want))
	require.Len(t, c.spans, want, describeTree(c.spans))
	require.Equal(t, "fetch", tagOf(c.page, "k6.browser.mode"))
	for path, id := range carried {
		if path == browserpages.PathRedirected {
			continue
		}
		s := c.request(t, path)
		require.Equal(t, id, s.SpanID, "%s: the span its header carried", path)
		require.Equal(t, c.page.SpanID, s.ParentID(), path)
		require.Equal(t, true, tagOf(s, "k6.browser.propagated"), path)
	}
	hop := c.request(t, browserpages.PathRedirected)
	require.NotEqual(t, carried[browserpages.PathRedirected], hop.SpanID, "the next hop's span has an id of its own")
	require.Equal(t, false, tagOf(hop, "k6.browser.propagated"))
	for _, path := range []string{browserpages.PathIndex, browserpages.PathStyle, browserpages.PathScript, browserpages.PathImage,
		browserpages.PathFrame, browserpages.PathThirdScript, browserpages.PathCORS, browserpages.PathOwnContext} {
		s := c.request(t, path)
		require.Equal(t, false, tagOf(s, "k6.browser.propagated"), path)
		require.Equal(t, c.page.SpanID, s.ParentID(), path)
	}
	require.Equal(t, "net::ERR_CONNECTION_REFUSED", tagOf(c.request(t, browserpages.PathFailed), "error.type"))
	for _, s := range c.spans {
		if s.Service == browserpages.Site {
			parent, ok := c.byID[s.ParentID()]
			require.True(t, ok, "the site's %s has its parent in the trace", s.OperationName)
			require.Equal(t, "k6", parent.Service)
		}
	}
}

// TestBrowserFetchModeFormats: the page's script writes every configured
// format, each read back by the module's extractor as the same span, and
// a cross-origin call that propagateTo allows gets them too, after the
// CORS preflight a real browser makes for them.
func TestBrowserFetchModeFormats(t *testing.T) {
	t.Parallel()
	sites := startSites(t)
	formats := []propagation.Format{propagation.W3C, propagation.B3Multi, propagation.Jaeger, propagation.Datadog, propagation.GCP}
	var names []string
	for _, f := range formats {
		names = append(names, f.String())
	}
	opts, err := json.Marshal(map[string]any{"mode": "fetch", "propagator": names, "propagateTo": sites.ThirdURL + "/cors/"})
	require.NoError(t, err)
	rep := runIndexPage(t, sites, map[string]string{"TRACING_OPTIONS": string(opts)})
	requireIndexPageWorked(t, sites, rep)
	requireOwnContextUntouched(t, sites)
	requireThirdUntraced(t, sites, thirdNoCORS...)

	var traced []browserpages.Request
	for _, req := range sites.Requests() {
		if req.Method == http.MethodOptions {
			continue
		}
		if (req.Origin == browserpages.Site && strings.HasPrefix(req.Path, "/api/") && req.Path != browserpages.PathOwnContext) ||
			req.Path == browserpages.PathRedirect || req.Path == browserpages.PathRedirected || req.Path == browserpages.PathCORS {
			traced = append(traced, req)
		}
	}
	require.Len(t, traced, 7, "the site's calls, both redirect hops and the CORS call")
	spans := map[string]string{}
	for _, req := range traced {
		w3c, ok := contextIn(propagation.W3C, req.Header)
		require.True(t, ok, "%s %s: %v", req.Method, req.Path, req.Header)
		for _, f := range formats[1:] {
			c, ok := contextIn(f, req.Header)
			require.True(t, ok, "%s on %s %s: %v", f, req.Method, req.Path, req.Header)
			require.Equal(t, w3c.SpanID, c.SpanID, "%s on %s: one span in every format", f, req.Path)
			if f != propagation.Datadog {
				require.Equal(t, w3c.TraceID, c.TraceID, "%s on %s", f, req.Path)
			}
		}
		require.Equal(t, rep.TraceID, w3c.TraceID.String(), req.Path)
		if req.Path != browserpages.PathRedirected {
			require.NotContains(t, spans, w3c.SpanID.String(), req.Path)
		}
		spans[w3c.SpanID.String()] = req.Path
	}
	require.Len(t, preflights(sites), 1, "the CORS call's preflight, for its trace headers")
}

// TestBrowserFetchModePages: a closed fetch-mode page's script, which k6
// keeps running in the context's later pages, traces none of their calls;
// two fetch-mode pages open at once with a trace each are refused, and the
// abort reaches k6 though it is raised right after the script awaited the
// module's promise (it used to be lost in the promise's settling).
func TestBrowserFetchModePages(t *testing.T) {
	t.Parallel()
	sites := startSites(t)
	r, _ := runBrowser(t, "scripts/browser-fetch-pages.js", map[string]string{"SITE_URL": sites.SiteURL})
	require.Equal(t, 108, r.exitCode, "the second open page in fetch mode aborts the test:\n%s", r.stderr)
	require.Contains(t, r.stderr, "FETCH_SECOND")
	require.NotContains(t, r.stderr, "FETCH_SECOND_ALLOWED")
	require.Contains(t, r.stderr, `test aborted: instrumentBrowser: invalid argument: mode "fetch" with a trace per page takes one open page at a time`)
	_, traceID, ok := strings.Cut(r.stderr, "FETCH_TRACE ")
	require.True(t, ok, r.stderr)
	traceID = traceID[:32]
	pings := map[string]browserpages.Request{}
	for _, req := range sites.Requests() {
		if req.Path == browserpages.PathPing {
			pings[req.Query] = req
		}
	}
	require.Len(t, pings, 2, received(sites))
	got, _, _ := w3cOf(t, pings["page=fetch"])
	require.Equal(t, traceID, got, "the fetch-mode page's call")
	require.Empty(t, traceHeaders(pings["page=plain"].Header), "the later page's call is left alone")
}
