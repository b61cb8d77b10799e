package tracing

import (
	"sync"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// grpcStream is a traced k6/net/grpc Stream: one CLIENT span from
// new Stream() to the stream's end, with its message counts and its
// error as an event. k6 gives a stream's samples the tags it read when the
// stream was made, so trace_id is set for that moment only.
type grpcStream struct {
	tracer *tracer
	sp     requestTrace
	r      rpc
	start  time.Time
	span   trace.Span // nil when the stream exports no span

	mu             sync.Mutex // the event loop, and k6's IterEnd handler
	sent, received int
	code           int
	message        string
	ended          bool
}

// newGRPCStream makes k6's Stream with a copy of its params whose metadata
// carries a new span's trace context, in the formats of its client, when
// that is a traced one; with any other client, k6's Stream as it is.
func newGRPCStream(newStream goConstructor, call sobek.ConstructorCall) *sobek.Object {
	c := grpcClientOf(call.Argument(0))
	if c == nil || !injectable(call.Argument(2), "metadata") {
		if c != nil {
			args := append([]sobek.Value{c.host}, call.Arguments[1:]...)
			call = sobek.ConstructorCall{This: call.This, Arguments: args, NewTarget: call.NewTarget}
		}
		return newStream(call) // k6's, as it is, or to say what is wrong with the params
	}
	t := c.tracer
	rt := t.vu.Runtime()
	s := &grpcStream{tracer: t, r: newRPC(call.Argument(1).String(), c.addr, call.Argument(2)), start: time.Now()}
	params, sp := t.injectParams(rt, paramsRequest{params: call.Argument(2), name: s.r.nameOrMethod, field: "metadata"})
	s.sp = sp
	args := []sobek.Value{c.host, call.Argument(1), params}
	obj, group, _ := withTraceID(t.vu.State(), t.metadataTraceID(sp), func() (*sobek.Object, error) {
		// k6 throws (panics) for a bad client, method or params: the
		// stream never began, and the deferred restore of trace_id runs.
		return newStream(sobek.ConstructorCall{This: call.This, Arguments: args, NewTarget: call.NewTarget}), nil
	})
	s.r.group = group
	if t.exportsSpan(sp) {
		if p := t.spanProvider(); p != nil {
			s.span = t.startOTelSpan(p, sp, s.r.method, trace.SpanKindClient, s.start, t.appendK6Attributes(rpcAttributes(s.r)))
		}
	}
	if err := s.listen(rt, obj); err != nil {
		s.finish(time.Now(), err.Error())
		common.Throw(rt, err)
	}
	t.vu.openSession(s)
	return s.wrap(rt, obj)
}

// listen counts the stream's received messages and notes its error and
// its end, with listeners of its own beside the script's.
func (s *grpcStream) listen(rt *sobek.Runtime, obj *sobek.Object) error {
	on, ok := sobek.AssertFunction(obj.Get("on"))
	if !ok {
		return errGRPCStreamShape
	}
	for event, fn := range map[string]func(sobek.FunctionCall) sobek.Value{
		"data": func(sobek.FunctionCall) sobek.Value {
			s.mu.Lock()
			s.received++
			s.mu.Unlock()
			return sobek.Undefined()
		},
		"error": func(call sobek.FunctionCall) sobek.Value {
			if e, ok := call.Argument(0).(*sobek.Object); ok {
				s.mu.Lock()
				s.code = intProperty(e, "code")
				if m := e.Get("message"); !common.IsNullish(m) {
					s.message = m.String()
				}
				s.mu.Unlock()
			}
			return sobek.Undefined()
		},
		"end": func(sobek.FunctionCall) sobek.Value {
			s.finish(time.Now(), "")
			return sobek.Undefined()
		},
	} {
		if _, err := on(obj, rt.ToValue(event), rt.ToValue(fn)); err != nil {
			return err
		}
	}
	return nil
}

// wrap returns the script's stream: an object whose prototype is k6's,
// with a write of its own that counts the messages sent. k6's stream
// properties cannot be assigned, only shadowed.
func (s *grpcStream) wrap(rt *sobek.Runtime, obj *sobek.Object) *sobek.Object {
	write, ok := sobek.AssertFunction(obj.Get("write"))
	if !ok {
		return obj
	}
	w := rt.NewObject()
	_ = w.SetPrototype(obj)
	_ = w.DefineDataProperty("write", rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
		v, err := write(obj, call.Arguments...)
		if err != nil {
			common.Throw(rt, err)
		}
		s.mu.Lock()
		s.sent++
		s.mu.Unlock()
		return v
	}), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	return w
}

// finish ends the stream's span and records it in the trace report, once:
// at its end event, or when the iteration ends without one (k6 sends none
// when the VU is interrupted), why saying so.
func (s *grpcStream) finish(end time.Time, why string) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	o := rpcOutcome{code: s.code, message: s.message}
	sent, received := s.sent, s.received
	s.mu.Unlock()
	if why != "" && o.code == 0 {
		o.err = errStreamCut(why)
	}
	s.tracer.reportRPC(s.sp, s.r, s.start, end, o)
	if s.span == nil {
		return
	}
	s.span.SetAttributes(
		attribute.Int("rpc.grpc.status_code", o.code),
		attribute.Int("k6.grpc.messages_sent", sent),
		attribute.Int("k6.grpc.messages_received", received),
	)
	switch {
	case o.err != nil:
		s.span.SetAttributes(attribute.String("error.type", "_OTHER"))
		s.span.SetStatus(codes.Error, o.err.Error())
	case o.code != 0:
		s.span.AddEvent("grpc.error", trace.WithTimestamp(end), trace.WithAttributes(
			attribute.Int("rpc.grpc.status_code", o.code), attribute.String("message", o.message)))
		s.span.SetAttributes(attribute.String("error.type", grpcCodeName(o.code)))
		s.span.SetStatus(codes.Error, o.message)
	}
	s.span.End(trace.WithTimestamp(end))
}

// cut ends a stream the iteration outlived.
func (s *grpcStream) cut(at time.Time) { s.finish(at, "the iteration ended before the stream did") }

// isEnded reports whether the stream is over.
func (s *grpcStream) isEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}

// errStreamCut is the error of a stream that never ended by itself.
type errStreamCut string

func (e errStreamCut) Error() string { return string(e) }
