package tracing

import (
	"fmt"
	"slices"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

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
				return nil, fmt.Errorf("%s.parse: %s is not a string; allowed: a %s header value", header, describe(v), header)
			}
			l, ok := parse(s)
			if !ok {
				return sobek.Null(), nil
			}
			return listObject(vu.Runtime(), header, l), nil
		},
		"make": func(init sobek.Value) (sobek.Value, error) {
			l := empty()
			if !isNullish(init) {
				obj, ok := plainObject(init)
				if !ok {
					return nil, fmt.Errorf("%s.make: %s is not an object; allowed: an object of members such as { key: \"value\" }",
						header, describe(init))
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
		return fmt.Errorf("%w %q: %s is not a string; allowed: a string value", ErrInvalidOption, key, describe(v))
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
