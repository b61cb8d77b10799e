package tracing

import (
	"fmt"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// instrumentWebSockets traces the WebSocket sessions of k6/ws and of
// tracing.WebSocket. k6/ws's default export is a plain object that every
// import reads, so its connect is replaced there, as k6/http's functions
// are. k6/websockets makes its exports anew for every import, so its
// WebSocket cannot be replaced: tracing.WebSocket is the traced one, a
// drop-in (the same arguments, k6's object as the prototype of the one
// returned).
func (mi *ModuleInstance) instrumentWebSockets(arg sobek.Value) error {
	return reportUsageError(mi.vu, mi.instrumentWSModules(arg))
}

func (mi *ModuleInstance) instrumentWSModules(arg sobek.Value) error {
	if mi.vu.State() != nil {
		return fmt.Errorf("instrumentWebSockets: %w: call it at the top level of the script", ErrInitContextOnly)
	}
	if mi.wsTracer != nil {
		return fmt.Errorf("instrumentWebSockets: %w: it can be called only once", ErrAlreadyInstrumented)
	}
	opts, err := options.DecodeHTTP(arg, mi.defaults)
	if err != nil {
		return fmt.Errorf("instrumentWebSockets: %w", err)
	}
	rt := mi.vu.Runtime()
	ws, err := jsvalue.Require(rt, "k6/ws")
	if err != nil {
		return fmt.Errorf("instrumentWebSockets: %w: %w", ErrWSModule, err)
	}
	connect, ok := sobek.AssertFunction(ws.Get("connect"))
	if !ok {
		return fmt.Errorf("instrumentWebSockets: %w: k6/ws has no connect()", ErrWSModule)
	}
	wss, err := jsvalue.Require(rt, "k6/websockets")
	if err != nil {
		return fmt.Errorf("instrumentWebSockets: %w: %w", ErrWSModule, err)
	}
	named, _ := wss.Export().(map[string]any)
	newWebSocket, ok := named["WebSocket"].(goConstructor)
	if !ok {
		return fmt.Errorf("instrumentWebSockets: %w: k6/websockets' WebSocket is a %T, not k6 v2's constructor",
			ErrWSModule, named["WebSocket"])
	}
	t := mi.newTracer(opts)
	if err := ws.Set("connect", t.wsConnect(connect)); err != nil {
		return fmt.Errorf("instrumentWebSockets: %w: %w", ErrWSModule, err)
	}
	mi.wsTracer, mi.k6WebSocket = t, newWebSocket
	return nil
}

// newWebSocket is tracing.WebSocket: k6/websockets' WebSocket, made with a
// copy of its params whose headers carry a new span's trace context, while
// the VU's trace_id metadata names that trace (k6 reads the tags of the
// ws_* samples then), with a session span from the handshake to the
// close (see listenWebSocket).
func (mi *ModuleInstance) newWebSocket(call sobek.ConstructorCall) *sobek.Object {
	rt := mi.vu.Runtime()
	t := mi.wsTracer
	if t == nil {
		if err := reportUsageError(mi.vu, fmt.Errorf("new WebSocket: %w: call tracing.instrumentWebSockets() in the init "+
			"context first, or use k6/websockets' WebSocket for an untraced one", ErrNotInstrumented)); err != nil {
			common.Throw(rt, err)
		}
		return rt.NewObject() // the test is aborted
	}
	if !injectable(call.Argument(2), "headers") {
		return mi.k6WebSocket(call) // k6 says what is wrong with the params
	}
	rawURL := call.Argument(0).String()
	name := nameTag(call.Argument(0), call.Argument(2))
	params, sp := t.injectParams(rt, paramsRequest{params: call.Argument(2), name: func() string { return orURL(name, rawURL) }})
	args := []sobek.Value{call.Argument(0), call.Argument(1), params}
	start := time.Now()
	obj, _, _ := withTraceID(t.vu.State(), t.metadataTraceID(sp), func() (*sobek.Object, error) {
		// k6 throws (panics) for a bad URL or params, before any session.
		return mi.k6WebSocket(sobek.ConstructorCall{This: call.This, Arguments: args, NewTarget: call.NewTarget}), nil
	})
	s := t.newWSSession(sp, rawURL, name, start)
	w, err := s.listenWebSocket(rt, obj)
	if err != nil {
		s.finish(time.Now(), 0, 0, err.Error())
		common.Throw(rt, err)
	}
	t.vu.openSession(s)
	return w
}

// listenWebSocket follows a k6/websockets WebSocket with listeners of its
// own, beside the script's, and returns the object for the script: one
// whose prototype is k6's, with a send of its own that counts the messages
// sent (k6's send can be neither assigned nor redefined). Everything else,
// the on* handlers, readyState, binaryType, addEventListener, close, is
// k6's, whose functions are bound to k6's object; events name k6's
// object as their target.
func (s *wsSession) listenWebSocket(rt *sobek.Runtime, obj *sobek.Object) (*sobek.Object, error) {
	add, ok := sobek.AssertFunction(obj.Get("addEventListener"))
	send, okSend := sobek.AssertFunction(obj.Get("send"))
	if !ok || !okSend {
		return nil, fmt.Errorf("%w: its WebSocket has no addEventListener() or send()", ErrWSModule)
	}
	for event, fn := range map[string]func(sobek.FunctionCall) sobek.Value{
		"open": func(sobek.FunctionCall) sobek.Value { s.opened(101); return sobek.Undefined() },
		"message": func(sobek.FunctionCall) sobek.Value {
			s.countReceived()
			return sobek.Undefined()
		},
		"error": func(call sobek.FunctionCall) sobek.Value {
			s.failed(time.Now(), eventText(call.Argument(0), "error"))
			return sobek.Undefined()
		},
		"close": func(call sobek.FunctionCall) sobek.Value {
			code := 0
			if e, ok := call.Argument(0).(*sobek.Object); ok {
				code = intProperty(e, "code")
			}
			s.finish(time.Now(), 0, code, "")
			return sobek.Undefined()
		},
	} {
		if _, err := add(obj, rt.ToValue(event), rt.ToValue(fn)); err != nil {
			return nil, err
		}
	}
	w := rt.NewObject()
	if err := w.SetPrototype(obj); err != nil {
		return nil, err
	}
	err := w.DefineDataProperty("send", rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
		v, err := send(obj, call.Arguments...)
		if err != nil {
			common.Throw(rt, err)
		}
		s.countSent()
		return v
	}), sobek.FLAG_FALSE, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	return w, err
}

// eventText is the text of an event's key field, "" for none.
func eventText(v sobek.Value, key string) string {
	if e, ok := v.(*sobek.Object); ok {
		if f := e.Get(key); !common.IsNullish(f) {
			return f.String()
		}
	}
	return ""
}

// orURL is name, else the URL.
func orURL(name, rawURL string) string {
	if name != "" {
		return name
	}
	return rawURL
}

// wsConnect returns k6/ws's connect(url, [params], setup), traced: the
// handshake carries the headers of a new span, and the VU's trace_id
// metadata names its trace from the call until the handshake is over
// (k6 reads the tags of the ws_* samples as connect begins); the script's
// setup function gets a socket whose sends are counted; the session span
// ends when connect returns, which is when the session is over.
func (t *tracer) wsConnect(connect sobek.Callable) func(sobek.FunctionCall) sobek.Value {
	return func(call sobek.FunctionCall) sobek.Value {
		rt := t.vu.Runtime()
		args := call.Arguments
		paramsAt, setupAt := 1, 2
		if len(args) == 2 {
			paramsAt, setupAt = -1, 1
		}
		setup, ok := sobek.AssertFunction(argument(args, setupAt))
		state := t.vu.State()
		if !ok || state == nil || !injectable(argument(args, paramsAt), "headers") {
			v, err := connect(sobek.Undefined(), args...) // k6 says what is wrong
			if err != nil {
				common.Throw(rt, err)
			}
			return v
		}
		rawURL := argument(args, 0).String()
		name := nameTag(argument(args, 0), argument(args, paramsAt))
		params, sp := t.injectParams(rt, paramsRequest{params: argument(args, paramsAt), name: func() string { return orURL(name, rawURL) }})
		s := t.newWSSession(sp, rawURL, name, time.Now())
		t.vu.openSession(s)
		restore := setTraceID(state, t.metadataTraceID(sp))
		traced := rt.ToValue(func(fc sobek.FunctionCall) sobek.Value {
			restore() // connected: what the script does now is its own
			s.opened(101)
			v, err := setup(sobek.Undefined(), s.wrapSocket(rt, fc.Argument(0).ToObject(rt)))
			if err != nil {
				common.Throw(rt, err)
			}
			return v
		})
		v, err := connect(sobek.Undefined(), argument(args, 0), params, traced)
		restore()
		status := 0
		if res, ok := v.(*sobek.Object); ok {
			status = intProperty(res, "status")
			if text := eventText(res, "error"); text != "" {
				s.failed(time.Now(), text)
			}
		}
		why := ""
		if err != nil {
			why = err.Error()
		}
		s.finish(time.Now(), status, 0, why)
		if err != nil {
			common.Throw(rt, err)
		}
		return v
	}
}

// wrapSocket returns the socket k6/ws gives the setup function, for the
// script: an object whose prototype is k6's socket (a Go object whose
// methods cannot be replaced), whose sends are counted, and whose
// messages, errors and close are followed by handlers of its own.
func (s *wsSession) wrapSocket(rt *sobek.Runtime, socket *sobek.Object) sobek.Value {
	on, ok := sobek.AssertFunction(socket.Get("on"))
	if !ok {
		return socket
	}
	count := func(sobek.FunctionCall) sobek.Value { s.countReceived(); return sobek.Undefined() }
	for event, fn := range map[string]func(sobek.FunctionCall) sobek.Value{
		"message":       count,
		"binaryMessage": count,
		"error": func(call sobek.FunctionCall) sobek.Value {
			text := call.Argument(0).String()
			if e := eventText(call.Argument(0), "error"); e != "" {
				text = e
			}
			s.failed(time.Now(), text)
			return sobek.Undefined()
		},
	} {
		if _, err := on(socket, rt.ToValue(event), rt.ToValue(fn)); err != nil {
			return socket
		}
	}
	w := rt.NewObject()
	_ = w.SetPrototype(socket)
	for _, method := range []string{"send", "sendBinary"} {
		fn, ok := sobek.AssertFunction(socket.Get(method))
		if !ok {
			continue
		}
		_ = w.Set(method, func(call sobek.FunctionCall) sobek.Value {
			v, err := fn(socket, call.Arguments...)
			if err != nil {
				common.Throw(rt, err)
			}
			s.countSent()
			return v
		})
	}
	return w
}

// setTraceID sets the VU's trace_id metadata to traceID ("" for none)
// until restore is called; restore puts back what was there, once.
func setTraceID(state *lib.State, traceID string) (restore func()) {
	if traceID == "" {
		return func() {}
	}
	var previous string
	var hadPrevious, restored bool
	state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
		previous, hadPrevious = tm.Metadata[TraceIDMetadata]
		tm.SetMetadata(TraceIDMetadata, traceID)
	})
	return func() {
		if restored {
			return
		}
		restored = true
		state.Tags.Modify(func(tm *metrics.TagsAndMeta) {
			if hadPrevious {
				tm.SetMetadata(TraceIDMetadata, previous)
			} else {
				tm.DeleteMetadata(TraceIDMetadata)
			}
		})
	}
}
