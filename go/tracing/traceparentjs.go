package tracing

import (
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/grafana/sobek"

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
				return nil, fmt.Errorf("traceparent.parse: %s is not a string; allowed: a traceparent header value", describe(v))
			}
			c, ok := propagation.ParseTraceparent(s)
			if !ok {
				return sobek.Null(), nil
			}
			return mi.traceparentObject(s[:2], c), nil
		},
		"make": func(options sobek.Value) (sobek.Value, error) {
			c, err := mi.makeTraceparent(options)
			if err != nil {
				return nil, fmt.Errorf("traceparent.make: %w", err)
			}
			return mi.traceparentObject("00", c), nil
		},
	}
}

// makeTraceparent decodes traceparent.make's options; missing ids are new.
func (mi *ModuleInstance) makeTraceparent(options sobek.Value) (propagation.Context, error) {
	mi.genLock.Lock()
	c := propagation.NewGenerator(mi.src, mi.code, propagation.NewSampler(1)).NewTrace()
	mi.genLock.Unlock()
	if isNullish(options) {
		return c, nil
	}
	obj, ok := plainObject(options)
	if !ok {
		return c, fmt.Errorf("%w: %s is not an object; allowed: { traceId, parentId, sampled, random }, or nothing",
			ErrInvalidOptions, describe(options))
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
			c.Sampled, err = decodeBool(key, v)
		case "random":
			c.Random, err = decodeBool(key, v)
		default:
			err = unknownOption(key, traceparentMakeOptions)
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
		return fmt.Errorf("%w %q: %s is not a valid id; allowed: %d lower-case hex digits, not all zero",
			ErrInvalidOption, name, describe(v), 2*len(dst))
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
		mi.genLock.Lock()
		child := c
		child.SpanID = propagation.NewSpanID(mi.src)
		mi.genLock.Unlock()
		return mi.traceparentObject("00", child)
	})
	_ = obj.Set("toString", func() string { return propagation.FormatTraceparent(c) })
	return obj
}
