package tracing

import (
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	grpccodes "google.golang.org/grpc/codes"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// grpcClient is a traced k6/net/grpc Client. k6's Client is a Go object
// whose methods a script cannot replace, and a class extending it gets
// k6's object back from its constructor; so the traced Client is a plain
// object whose prototype is k6's, with connect, invoke and asyncInvoke of
// its own: load, healthCheck, close and the rest are k6's own.
type grpcClient struct {
	tracer *tracer
	host   *sobek.Object // k6's Client
	// k6's methods, bound to host.
	connect, invoke, asyncInvoke sobek.Callable
	addr                         string // as connect was given it, for server.address and server.port
}

// grpcClientKey holds, on a traced Client, its grpcClient, for Stream.
var grpcClientKey = sobek.NewSymbol("k6/x/tracing grpc client")

// newGRPCClient wraps k6's Client host. A host without k6's methods (a
// k6 this extension does not know) is returned as it is, untraced.
func (t *tracer) newGRPCClient(host *sobek.Object) *sobek.Object {
	rt := t.vu.Runtime()
	c := &grpcClient{tracer: t, host: host}
	var ok [3]bool
	c.connect, ok[0] = sobek.AssertFunction(host.Get("connect"))
	c.invoke, ok[1] = sobek.AssertFunction(host.Get("invoke"))
	c.asyncInvoke, ok[2] = sobek.AssertFunction(host.Get("asyncInvoke"))
	if ok != [3]bool{true, true, true} {
		return host
	}
	w := rt.NewObject()
	_ = w.SetPrototype(host)
	_ = w.Set("connect", c.connectJS)
	_ = w.Set("invoke", func(call sobek.FunctionCall) sobek.Value { return c.throwing(c.call(c.invoke, call.Arguments, false)) })
	_ = w.Set("asyncInvoke", func(call sobek.FunctionCall) sobek.Value {
		return c.throwing(c.call(c.asyncInvoke, call.Arguments, true))
	})
	_ = w.DefineDataPropertySymbol(grpcClientKey, rt.ToValue(c), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_FALSE)
	return w
}

// grpcClientOf returns the traced Client v stands for, nil for anything
// else.
func grpcClientOf(v sobek.Value) *grpcClient {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	c, _ := obj.GetSymbol(grpcClientKey).Export().(*grpcClient)
	return c
}

// throwing re-raises err, a JS exception as it is, else returns v.
func (c *grpcClient) throwing(v sobek.Value, err error) sobek.Value {
	if err != nil {
		common.Throw(c.tracer.vu.Runtime(), err)
	}
	return v
}

// connectJS is k6's connect, with the address remembered.
func (c *grpcClient) connectJS(call sobek.FunctionCall) sobek.Value {
	v, err := c.connect(c.host, call.Arguments...)
	if err == nil {
		c.addr = call.Argument(0).String()
	}
	return c.throwing(v, err)
}

// call runs k6's invoke or asyncInvoke (fn) with a copy of its params
// whose metadata carries a new span's trace context, in every configured
// format, as lower-case keys; trace metadata the caller set is continued,
// as for HTTP. The VU's trace_id metadata names the span's trace while k6
// builds the call, which is when k6 reads the tags of its samples.
func (c *grpcClient) call(fn sobek.Callable, args []sobek.Value, async bool) (sobek.Value, error) {
	t := c.tracer
	rt := t.vu.Runtime()
	if !injectable(argument(args, 2), "metadata") {
		return fn(c.host, args...) // k6 says what is wrong with the params
	}
	r := newRPC(argument(args, 0).String(), c.addr, argument(args, 2))
	params, sp := t.injectParams(rt, paramsRequest{params: argument(args, 2), name: r.nameOrMethod, field: "metadata"})
	callArgs := []sobek.Value{argument(args, 0), argument(args, 1), params}
	start := time.Now()
	v, group, err := withTraceID(t.vu.State(), t.metadataTraceID(sp), func() (sobek.Value, error) {
		return fn(c.host, callArgs...)
	})
	r.group = group
	if async && err == nil && jsvalue.IsThenable(v) {
		return jsvalue.Settled(rt, v, func(fulfilled bool, res sobek.Value) {
			var err error
			if !fulfilled {
				err, res = rejection(res), nil
			}
			t.finishedRPC(sp, r, start, time.Now(), rpcOutcomeOf(res, err))
		})
	}
	t.finishedRPC(sp, r, start, time.Now(), rpcOutcomeOf(v, err))
	return v, err
}

// rpc is what a client span and the trace report say of a gRPC call.
type rpc struct {
	method  string // "package.Service/Method", as OpenTelemetry names the span
	service string // "package.Service"
	name    string // the name tag; "" for none
	addr    string // host:port, as connect was given it
	group   string
}

// newRPC describes a call of method (with or without k6's leading slash)
// to addr, named by its params' name tag.
func newRPC(method, addr string, params sobek.Value) rpc {
	method = strings.TrimPrefix(method, "/")
	r := rpc{method: method, addr: addr}
	r.service, _, _ = strings.Cut(method, "/")
	if p, ok := params.(*sobek.Object); ok {
		if tags, ok := p.Get("tags").(*sobek.Object); ok {
			r.name = nonEmptyString(tags.Get("name"))
		}
	}
	return r
}

// nameOrMethod is the call's name for the k6.name baggage member and the
// trace report: its name tag, else its method.
func (r rpc) nameOrMethod() string {
	if r.name != "" {
		return r.name
	}
	return r.method
}

// rpcOutcome is how a gRPC call ended: k6's response's status code and
// its error's message, or what the call threw (no connection, an unknown
// method, bad params).
type rpcOutcome struct {
	code    int
	message string
	err     error
}

// rpcOutcomeOf reads k6's response: { status, error: { code, message } }.
// A non-OK status is an answer, not an exception, in k6's gRPC module.
func rpcOutcomeOf(v sobek.Value, err error) rpcOutcome {
	if err != nil {
		return rpcOutcome{err: err}
	}
	obj, ok := v.(*sobek.Object)
	if !ok {
		return rpcOutcome{err: errRequestFailed}
	}
	o := rpcOutcome{code: intProperty(obj, "status")}
	if e, ok := obj.Get("error").(*sobek.Object); ok {
		if m := e.Get("message"); !common.IsNullish(m) {
			o.message = m.String()
		}
	}
	return o
}

// finishedRPC records a gRPC call in the trace report (as method "GRPC",
// its gRPC status code as its status) and exports its client span.
func (t *tracer) finishedRPC(sp requestTrace, r rpc, start, end time.Time, o rpcOutcome) {
	t.reportRPC(sp, r, start, end, o)
	if t.exportsSpan(sp) {
		t.exportRPCSpan(sp, r, start, end, o)
	}
}

// reportRPC records a gRPC call, or a stream, in the trace report.
func (t *tracer) reportRPC(sp requestTrace, r rpc, start, end time.Time, o rpcOutcome) {
	out := outcome{err: o.err, duration: end.Sub(start), failed: o.err != nil || o.code != 0, rpc: true,
		responded: o.err == nil, response: response{status: o.code, errText: o.message}}
	t.report(sp, start, out, func() request {
		return request{method: "GRPC", url: "grpc://" + r.addr + "/" + r.method, name: r.nameOrMethod(), group: r.group}
	})
}

// exportRPCSpan exports a gRPC call's CLIENT span with OpenTelemetry's RPC
// conventions: named "package.Service/Method", rpc.system "grpc",
// rpc.service, rpc.method, rpc.grpc.status_code, server.address and
// server.port; any status other than OK is an error, as the conventions
// say of a client.
func (t *tracer) exportRPCSpan(sp requestTrace, r rpc, start, end time.Time, o rpcOutcome) {
	p := t.spanProvider()
	if p == nil {
		return
	}
	e := t.newEnded(sp, r.method, trace.SpanKindClient, start, end)
	attrs := append(e.Attributes, rpcAttributes(r)...)
	switch {
	case o.err != nil:
		attrs = append(attrs, attribute.String("error.type", "_OTHER"))
		e.Status = sdktrace.Status{Code: codes.Error, Description: o.err.Error()}
	default:
		attrs = append(attrs, attribute.Int("rpc.grpc.status_code", o.code))
		if o.code != 0 {
			attrs = append(attrs, attribute.String("error.type", grpcCodeName(o.code)))
			e.Status = sdktrace.Status{Code: codes.Error, Description: o.message}
		}
	}
	e.Attributes = t.setK6Attributes(e, attrs, r.group)
	p.Record(e)
}

// rpcAttributes are a gRPC call's attributes that do not depend on how it
// ended.
func rpcAttributes(r rpc) []attribute.KeyValue {
	_, method, _ := strings.Cut(r.method, "/")
	attrs := []attribute.KeyValue{
		attribute.String("rpc.system", "grpc"),
		attribute.String("rpc.service", r.service),
		attribute.String("rpc.method", method),
	}
	if host, port, err := net.SplitHostPort(r.addr); err == nil {
		attrs = append(attrs, attribute.String("server.address", host))
		if n, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", n))
		}
	} else if r.addr != "" {
		attrs = append(attrs, attribute.String("server.address", r.addr))
	}
	if r.name != "" {
		attrs = append(attrs, attribute.String("k6.name", r.name))
	}
	return attrs
}

// grpcCodeName is a status code's name, as error.type: "NOT_FOUND".
func grpcCodeName(code int) string {
	name := grpccodes.Code(uint32(code)).String() // "NotFound", "OK"
	var b strings.Builder
	prevLower := false
	for _, c := range name {
		upper := c >= 'A' && c <= 'Z'
		if upper && prevLower {
			b.WriteByte('_')
		}
		prevLower = c >= 'a' && c <= 'z'
		b.WriteRune(c)
	}
	return strings.ToUpper(b.String())
}
