package tracing

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

var traceparentMakeOptions = []string{"traceId", "parentId", "sampled", "random"}

// traceparentHelpers is the traceparent export: parse and make W3C
// traceparent values as objects, for scripts that handle trace context
// themselves.
func (mi *ModuleInstance) traceparentHelpers() map[string]any {
	return map[string]any{
		"parse": func(v sobek.Value) (sobek.Value, error) {
			s, ok := v.Export().(string)
			if !ok {
				return nil, fmt.Errorf("traceparent.parse: %s is not a string; allowed: a traceparent header value", jsvalue.Describe(v))
			}
			c, ok := propagation.ParseTraceparent(s)
			if !ok {
				return sobek.Null(), nil
			}
			return mi.traceparentObject(s[:2], c), nil
		},
		"make": func(arg sobek.Value) (sobek.Value, error) {
			c, err := mi.makeTraceparent(arg)
			if err != nil {
				return nil, fmt.Errorf("traceparent.make: %w", err)
			}
			return mi.traceparentObject("00", c), nil
		},
	}
}

// makeTraceparent decodes traceparent.make's options; missing ids are new.
func (mi *ModuleInstance) makeTraceparent(arg sobek.Value) (propagation.Context, error) {
	c := mi.vu.ids.newTrace(propagation.LayoutK6, propagation.NewSampler(1))
	if common.IsNullish(arg) {
		return c, nil
	}
	obj, ok := jsvalue.PlainObject(arg)
	if !ok {
		return c, options.InvalidOptions(arg, "{ traceId, parentId, sampled, random }, or nothing")
	}
	for _, key := range obj.Keys() {
		v := obj.Get(key)
		var err error
		switch key {
		case "traceId":
			err = decodeHexID(key, v, c.TraceID[:])
		case "parentId":
			err = decodeHexID(key, v, c.SpanID[:])
		case "sampled":
			c.Sampled, err = options.Bool(key, v)
		case "random":
			c.Random, err = options.Bool(key, v)
		default:
			err = options.Unknown(key, traceparentMakeOptions)
		}
		if err != nil {
			return c, err
		}
	}
	return c, nil
}

// decodeHexID decodes an id option: lower-case hex of the id's exact
// length, not all zero, as traceparent requires.
func decodeHexID(name string, v sobek.Value, dst []byte) error {
	s, _ := v.Export().(string)
	id, err := hex.DecodeString(s)
	nonZero := slices.ContainsFunc(id, func(b byte) bool { return b != 0 })
	if err != nil || len(id) != len(dst) || strings.ToLower(s) != s || !nonZero {
		return options.Invalid(name, jsvalue.Describe(v)+" is not a valid id",
			fmt.Sprintf("%d lower-case hex digits, not all zero", 2*len(dst)))
	}
	copy(dst, id)
	return nil
}

// traceparentObject returns the JS object of a parsed or made traceparent.
func (mi *ModuleInstance) traceparentObject(version string, c propagation.Context) *sobek.Object {
	rt := mi.vu.Runtime()
	obj := rt.NewObject()
	_ = obj.Set("version", version)
	_ = obj.Set("traceId", propagation.FormatTraceID(c.TraceID))
	_ = obj.Set("parentId", c.SpanID.String())
	_ = obj.Set("flags", int(c.Flags()))
	_ = obj.Set("sampled", c.Sampled)
	_ = obj.Set("child", func() *sobek.Object {
		return mi.traceparentObject("00", mi.vu.ids.child(c))
	})
	_ = obj.Set("toString", func() string { return propagation.FormatTraceparent(c) })
	return obj
}

// memberList is what the tracestate and baggage helpers share: an ordered
// list of key-value members with the rules of its header.
type memberList interface {
	Get(key string) (string, bool)
	Set(key, value string) error
	Delete(key string) bool
	Len() int
	Keys() []string
	String() string
}

// listHelpers returns the parse and make functions of one list header.
// parse returns null for a value the specification says to discard; make
// takes an object of members and throws on an invalid one. setMovesToFront
// says that the list's set puts a key first (tracestate), so make adds the
// members last to first to keep the object's order.
func listHelpers(
	vu modules.VU, header string, setMovesToFront bool, parse func(string) (memberList, bool), empty func() memberList,
) map[string]any {
	return map[string]any{
		"parse": func(v sobek.Value) (sobek.Value, error) {
			s, ok := v.Export().(string)
			if !ok {
				return nil, fmt.Errorf("%s.parse: %s is not a string; allowed: a %s header value", header, jsvalue.Describe(v), header)
			}
			l, ok := parse(s)
			if !ok {
				return sobek.Null(), nil
			}
			return listObject(vu.Runtime(), header, l), nil
		},
		"make": func(init sobek.Value) (sobek.Value, error) {
			l := empty()
			if !common.IsNullish(init) {
				obj, ok := jsvalue.PlainObject(init)
				if !ok {
					return nil, fmt.Errorf("%s.make: %s is not an object; allowed: an object of members such as { key: \"value\" }",
						header, jsvalue.Describe(init))
				}
				keys := obj.Keys()
				if setMovesToFront {
					slices.Reverse(keys)
				}
				for _, key := range keys {
					if err := setMember(l, key, obj.Get(key)); err != nil {
						return nil, fmt.Errorf("%s.make: %w", header, err)
					}
				}
			}
			return listObject(vu.Runtime(), header, l), nil
		},
	}
}

func setMember(l memberList, key string, v sobek.Value) error {
	s, ok := v.Export().(string)
	if !ok {
		return options.Invalid(key, jsvalue.Describe(v)+" is not a string", "a string value")
	}
	return l.Set(key, s)
}

// listObject returns the JS object over l: get, set (chainable), delete,
// keys, size and toString.
func listObject(rt *sobek.Runtime, header string, l memberList) *sobek.Object {
	obj := rt.NewObject()
	_ = obj.Set("get", func(key string) sobek.Value {
		if v, ok := l.Get(key); ok {
			return rt.ToValue(v)
		}
		return sobek.Undefined()
	})
	_ = obj.Set("set", func(key string, value sobek.Value) *sobek.Object {
		if err := setMember(l, key, value); err != nil {
			common.Throw(rt, fmt.Errorf("%s.set: %w", header, err))
		}
		return obj
	})
	_ = obj.Set("delete", l.Delete)
	_ = obj.Set("keys", l.Keys)
	_ = obj.Set("toString", l.String)
	_ = obj.DefineAccessorProperty("size", rt.ToValue(l.Len), nil, sobek.FLAG_FALSE, sobek.FLAG_TRUE)
	return obj
}

func tracestateHelpers(vu modules.VU) map[string]any {
	return listHelpers(vu, propagation.TracestateHeader, true,
		func(s string) (memberList, bool) {
			ts, ok := propagation.ParseTraceState(s)
			return &ts, ok
		},
		func() memberList { return &propagation.TraceState{} })
}

func baggageHelpers(vu modules.VU) map[string]any {
	return listHelpers(vu, propagation.BaggageHeader, false,
		func(s string) (memberList, bool) {
			b, ok := propagation.ParseBaggage(s)
			return b, ok
		},
		func() memberList { return &propagation.Baggage{} })
}
