package tracing

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/lib"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// spanExport links a tracer to its span provider, which is looked up on
// the first sampled request.
type spanExport struct {
	once     sync.Once
	provider *spans.Provider
}

// spanProvider returns the provider of the tracer's spans, nil when the
// spans option is off or the provider could not start (logged once).
func (t *tracer) spanProvider() *spans.Provider {
	if t.opts.Spans == nil || t.export == nil {
		return nil
	}
	t.spans.once.Do(func() {
		p, err := t.export.provider(t.vu, *t.opts.Spans)
		if err != nil {
			if logger := vuLogger(t.vu); logger != nil {
				logger.WithError(err).Warn("tracing: spans are not exported")
			}
			return
		}
		t.spans.provider = p
	})
	return t.spans.provider
}

// request is what a client span says of the request it stands for.
type request struct {
	method string
	url    string
	name   string // the name tag, "" when the script set none
}

// exportClientSpan exports the CLIENT span of a request sent between start
// and end, with the span id its trace headers carried, so that the
// backend's spans become its children. res is k6's Response, or nil when
// the call threw. Unsampled requests export nothing.
func (t *tracer) exportClientSpan(sp span, req request, start, end time.Time, res sobek.Value) {
	if !sp.ctx.Sampled {
		return
	}
	p := t.spanProvider()
	if p == nil {
		return
	}
	name := req.method
	if req.name != "" {
		name += " " + req.name // OpenTelemetry's "{method} {target}", the k6 name being the URL template
	}
	s := t.startOTelSpan(p, sp, name, trace.SpanKindClient, start, t.appendK6Attributes(requestAttributes(req)))
	status, errorType, errorText := responseOutcome(res)
	if status > 0 {
		s.SetAttributes(attribute.Int("http.response.status_code", status))
	}
	if errorType != "" {
		s.SetAttributes(attribute.String("error.type", errorType))
		s.SetStatus(codes.Error, errorText)
	}
	s.End(trace.WithTimestamp(end))
}

// startOTelSpan starts the OpenTelemetry span of sp, with sp's ids and
// parent, so that what k6 sent in headers and what it exports agree.
func (t *tracer) startOTelSpan(
	p *spans.Provider, sp span, name string, kind trace.SpanKind, start time.Time, attrs []attribute.KeyValue,
) trace.Span {
	ctx := context.Background()
	if sp.parent.TraceID.IsValid() && sp.parent.SpanID.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, trace.NewSpanContext(trace.SpanContextConfig{
			TraceID: sp.parent.TraceID, SpanID: sp.parent.SpanID, TraceFlags: trace.FlagsSampled, Remote: true,
		}))
	}
	ctx = spans.WithIDs(ctx, sp.ctx.TraceID, sp.ctx.SpanID)
	_, s := p.Tracer().Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	return s
}

// requestAttributes are the HTTP client semantic conventions' request
// attributes, in a slice with room for k6's.
func requestAttributes(req request) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 12)
	attrs = append(attrs,
		attribute.String("http.request.method", req.method),
		attribute.String("url.full", redactedURL(req.url)),
	)
	if u, err := url.Parse(req.url); err == nil && u.Host != "" {
		host, port := u.Hostname(), u.Port()
		if port == "" {
			port = defaultPorts[u.Scheme]
		}
		attrs = append(attrs, attribute.String("server.address", host))
		if n, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", n))
		}
	}
	if req.name != "" {
		attrs = append(attrs, attribute.String("k6.name", req.name))
	}
	return attrs
}

// appendK6Attributes appends what says where in the test a span
// happened: the test run, the VU, its iteration, group and scenario.
func (t *tracer) appendK6Attributes(attrs []attribute.KeyValue) []attribute.KeyValue {
	attrs = append(attrs, attribute.String("k6.test_run_id", t.run.testRunID))
	if state := t.vu.State(); state != nil {
		attrs = append(attrs, attribute.Int64("k6.vu", int64(state.VUID)), attribute.Int64("k6.iteration", state.Iteration))
		if group, ok := state.Tags.GetCurrentValues().Tags.Get("group"); ok && group != "" {
			attrs = append(attrs, attribute.String("k6.group", group))
		}
	}
	if scenario := scenarioName(t.vu); scenario != "" {
		attrs = append(attrs, attribute.String("k6.scenario", scenario))
	}
	return attrs
}

// responseOutcome reads k6's Response: the status, and for a transport
// error or a 5xx the error.type attribute and the status description.
func responseOutcome(res sobek.Value) (status int, errorType, errorText string) {
	obj, ok := res.(*sobek.Object)
	if !ok {
		return 0, "_OTHER", "the request failed"
	}
	status = int(obj.Get("status").ToInteger())
	errText := ""
	if v := obj.Get("error"); !isNullish(v) {
		errText = v.String()
	}
	switch {
	case status == 0:
		code := obj.Get("error_code")
		errorType = "_OTHER"
		if !isNullish(code) && code.ToInteger() != 0 {
			errorType = "k6." + code.String() // k6's error code, as its error_code tag reports it
		}
		return 0, errorType, errText
	case status >= 500:
		return status, strconv.Itoa(status), errText
	}
	return status, "", ""
}

// requestURL returns the URL a k6/http URL argument names: a string, or an
// http.url template's URL.
func requestURL(v sobek.Value) string {
	if obj, ok := v.(*sobek.Object); ok {
		if u := obj.Get("url"); !isNullish(u) {
			return u.String()
		}
	}
	if isNullish(v) {
		return ""
	}
	return v.String()
}

// nameTag returns the name tag of a params argument, or of an http.url
// template, "" without one.
func nameTag(url, params sobek.Value) string {
	name := requestName(url, params)
	if name == requestURL(url) {
		return ""
	}
	return name
}

// scenarioName returns the name of the VU's current scenario, "" outside
// one.
func scenarioName(vu modules.VU) string {
	if s := lib.GetScenarioState(vu.Context()); s != nil {
		return s.Name
	}
	return ""
}

// defaultPorts are the ports of URLs that name none.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// httpMethods are the methods of the k6/http functions named after one.
var httpMethods = map[string]string{
	"get": "GET", "head": "HEAD", "post": "POST", "put": "PUT", "patch": "PATCH", "del": "DELETE", "options": "OPTIONS",
}

// describeRequest reads a k6/http call's arguments for its client span.
func describeRequest(args []sobek.Value, method requestMethod) request {
	m := httpMethods[method.name]
	if m == "" { // request(method, url, ...)
		m = strings.ToUpper(argument(args, 0).String())
	}
	url := argument(args, method.urlAt)
	return request{method: m, url: requestURL(url), name: nameTag(url, argument(args, method.paramsAt))}
}

// redactedURL returns a URL for url.full: credentials in it are replaced,
// as the semantic conventions require, so that a password in a test's
// URL never reaches the trace backend.
func redactedURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.UserPassword("REDACTED", "REDACTED")
	return u.String()
}
