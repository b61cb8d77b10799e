package tracing

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/grafana/sobek"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
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
		p, err := t.export.provider(t.vu, t.run.withInstance(*t.opts.Spans, t.vu))
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
	group  string // the VU's group as it was made, "" outside one
}

// exportClientSpan exports the CLIENT span of a request sent between start
// and end, with the span id its trace headers carried, so that the
// backend's spans become its children. Unsampled requests export nothing.
func (t *tracer) exportClientSpan(sp span, req request, start, end time.Time, out outcome) {
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
	t.exportRequestSpan(p, sp, name, req, start, end, out.span())
}

// spanOutcome is how a request ended: its status (0 for none), and for a
// failure the error.type attribute and the status description.
type spanOutcome struct {
	status    int
	errorType string
	errorText string
}

// exportRequestSpan exports a request's CLIENT span. The request is over
// by now, so the span is handed to the export queue ended, with every
// attribute (see [spans.Ended]).
func (t *tracer) exportRequestSpan(p *spans.Provider, sp span, name string, req request, start, end time.Time, out spanOutcome) {
	e := t.newEnded(sp, name, trace.SpanKindClient, start, end)
	e.Shared[sharedURL] = t.urls.attributes(req.url)
	attrs := t.appendRequestAttributes(e.Attributes, req)
	if out.status > 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", out.status))
	}
	if out.errorType != "" {
		attrs = append(attrs, attribute.String("error.type", out.errorType))
		e.Status = sdktrace.Status{Code: codes.Error, Description: out.errorText}
	}
	e.Attributes = t.setK6Attributes(e, attrs, req.group)
	p.Record(e)
}

// newEnded returns the span of sp, which is over, for its attributes and
// status to be set and then [spans.Provider.Record]ed. Its ids are the
// ones k6 sent in its headers, so that what it sent and what it exports
// agree.
func (t *tracer) newEnded(sp span, name string, kind trace.SpanKind, start, end time.Time) *spans.Ended {
	e := t.ended.Get()
	e.Name, e.Kind, e.Start, e.End = name, kind, start, end
	e.Parent = remoteParent(sp)
	traceID := sp.ctx.TraceID
	if e.Parent.IsValid() {
		traceID = e.Parent.TraceID() // a child is in its parent's trace, as the SDK makes it
	}
	e.Context = trace.NewSpanContext(trace.SpanContextConfig{TraceID: traceID, SpanID: sp.ctx.SpanID, TraceFlags: trace.FlagsSampled})
	return e
}

// remoteParent returns the span context of sp's parent, remote as k6's
// headers made it; invalid for a root.
func remoteParent(sp span) trace.SpanContext {
	if !sp.parent.TraceID.IsValid() || !sp.parent.SpanID.IsValid() {
		return trace.SpanContext{}
	}
	return trace.NewSpanContext(trace.SpanContextConfig{
		TraceID: sp.parent.TraceID, SpanID: sp.parent.SpanID, TraceFlags: trace.FlagsSampled, Remote: true,
	})
}

// startOTelSpan starts the live OpenTelemetry span of sp, with sp's ids
// and parent: a span that is still going on (an iteration, a group, the
// script's own).
func (t *tracer) startOTelSpan(
	p *spans.Provider, sp span, name string, kind trace.SpanKind, start time.Time, attrs []attribute.KeyValue,
) trace.Span {
	ctx := context.Background()
	if parent := remoteParent(sp); parent.IsValid() {
		ctx = trace.ContextWithRemoteSpanContext(ctx, parent)
	}
	ctx = spans.WithIDs(ctx, sp.ctx.TraceID, sp.ctx.SpanID)
	_, s := p.Tracer().Start(ctx, name, trace.WithSpanKind(kind), trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	return s
}

// appendRequestAttributes appends the HTTP client semantic conventions'
// request attributes that are not the URL's (see [urlCache]).
func (t *tracer) appendRequestAttributes(attrs []attribute.KeyValue, req request) []attribute.KeyValue {
	attrs = append(attrs, attribute.String("http.request.method", req.method))
	if req.name != "" {
		attrs = append(attrs, attribute.String("k6.name", req.name))
	}
	return attrs
}

// urlAttributes returns the attributes a URL gives a client span: url.full
// without credentials, server.address and server.port.
func urlAttributes(raw string) []attribute.KeyValue {
	u, err := url.Parse(raw)
	if err != nil {
		return []attribute.KeyValue{attribute.String("url.full", raw)}
	}
	attrs := make([]attribute.KeyValue, 1, 3)
	attrs[0] = attribute.String("url.full", redacted(u, raw))
	if u.Host != "" {
		host, port := u.Hostname(), u.Port()
		if port == "" {
			port = defaultPorts[u.Scheme]
		}
		attrs = append(attrs, attribute.String("server.address", host))
		if n, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", n))
		}
	}
	return attrs
}

// span is the outcome as the client span says it: a request that threw
// or returned nothing is an error of type _OTHER.
func (o outcome) span() spanOutcome {
	switch {
	case o.err != nil:
		return spanOutcome{errorType: "_OTHER", errorText: o.err.Error()}
	case !o.responded:
		return spanOutcome{errorType: "_OTHER", errorText: errRequestFailed.Error()}
	}
	return failureOf(o.status, o.errorCode, o.errText)
}

// failureOf classifies a response: a transport error (status 0) has k6's
// error code as its error.type, as k6's error_code tag reports it; a 5xx
// has its status.
func failureOf(status int, errorCode int64, errText string) spanOutcome {
	switch {
	case status == 0:
		errorType := "_OTHER"
		if errorCode != 0 {
			errorType = "k6." + strconv.FormatInt(errorCode, 10)
		}
		return spanOutcome{errorType: errorType, errorText: errText}
	case status >= 500:
		return spanOutcome{status: status, errorType: strconv.Itoa(status), errorText: errText}
	}
	return spanOutcome{status: status}
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

// defaultPorts are the ports of URLs that name none.
var defaultPorts = map[string]string{"http": "80", "https": "443"}

// httpMethods are the methods of the k6/http functions named after one.
var httpMethods = map[string]string{
	"get": "GET", "head": "HEAD", "post": "POST", "put": "PUT", "patch": "PATCH", "del": "DELETE", "options": "OPTIONS",
}

// describeRequest reads a k6/http call's arguments for its client span, a
// request made in group.
func describeRequest(args []sobek.Value, method requestMethod, group string) request {
	m := httpMethods[method.name]
	if m == "" { // request(method, url, ...)
		m = strings.ToUpper(argument(args, 0).String())
	}
	url := argument(args, method.urlAt)
	return request{method: m, url: requestURL(url), name: nameTag(url, argument(args, method.paramsAt)), group: group}
}

// redacted returns raw, parsed as u, with its credentials replaced.
func redacted(u *url.URL, raw string) string {
	if u.User == nil {
		return raw
	}
	redacted := *u
	redacted.User = url.UserPassword("REDACTED", "REDACTED")
	return redacted.String()
}
