package tracing

import (
	"fmt"
	"math"

	"github.com/grafana/sobek"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
)

const allowedAttribute = `allowed: a string, a number, a boolean, or an array of one of these`

// decodeAttributes reads an object of span attributes, as OpenTelemetry
// JS takes them; name is the option or argument, for errors.
func decodeAttributes(name string, v sobek.Value) ([]attribute.KeyValue, error) {
	if isNullish(v) {
		return nil, nil
	}
	obj, ok := plainObject(v)
	if !ok {
		return nil, fmt.Errorf(`%w %q: %s is not an object such as { "user.id": 42 }`, ErrInvalidOption, name, describe(v))
	}
	attrs := make([]attribute.KeyValue, 0, len(obj.Keys()))
	for _, key := range obj.Keys() {
		kv, err := decodeAttribute(key, obj.Get(key))
		if err != nil {
			return nil, fmt.Errorf(`%w "%s.%s": %w`, ErrInvalidOption, name, key, err)
		}
		attrs = append(attrs, kv)
	}
	return attrs, nil
}

// decodeAttribute reads one attribute value: a string, a number (an
// integer when it is one), a boolean, or a homogeneous array of these.
func decodeAttribute(key string, v sobek.Value) (attribute.KeyValue, error) {
	if key == "" {
		return attribute.KeyValue{}, fmt.Errorf("an attribute needs a non-empty key")
	}
	switch x := v.Export().(type) {
	case string:
		return attribute.String(key, x), nil
	case bool:
		return attribute.Bool(key, x), nil
	case int64:
		return attribute.Int64(key, x), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return attribute.Int64(key, int64(x)), nil
		}
		return attribute.Float64(key, x), nil
	case []any:
		return decodeAttributeArray(key, v, x)
	}
	return attribute.KeyValue{}, fmt.Errorf("%s is not an attribute value; %s", describe(v), allowedAttribute)
}

func decodeAttributeArray(key string, v sobek.Value, items []any) (attribute.KeyValue, error) {
	bad := fmt.Errorf("%s is not an attribute value; %s, all of one type", describe(v), allowedAttribute)
	if len(items) == 0 {
		return attribute.StringSlice(key, nil), nil
	}
	if out, ok := sliceOf(items, func(x any) (string, bool) { s, ok := x.(string); return s, ok }); ok {
		return attribute.StringSlice(key, out), nil
	}
	if out, ok := sliceOf(items, func(x any) (bool, bool) { b, ok := x.(bool); return b, ok }); ok {
		return attribute.BoolSlice(key, out), nil
	}
	if out, ok := sliceOf(items, jsNumber); ok {
		return attribute.Float64Slice(key, out), nil
	}
	return attribute.KeyValue{}, bad
}

// sliceOf converts every item with as, false when one does not convert.
func sliceOf[T any](items []any, as func(any) (T, bool)) ([]T, bool) {
	out := make([]T, len(items))
	for i, item := range items {
		v, ok := as(item)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// spanKinds are the names startSpan's kind option takes.
var spanKinds = map[string]trace.SpanKind{
	"internal": trace.SpanKindInternal,
	"server":   trace.SpanKindServer,
	"client":   trace.SpanKindClient,
	"producer": trace.SpanKindProducer,
	"consumer": trace.SpanKindConsumer,
}

func decodeSpanKind(v sobek.Value) (trace.SpanKind, error) {
	kind, err := decodeChoice("kind", v, spanKinds, "a span kind",
		`"internal" (the default), "server", "client", "producer" or "consumer"`)
	if err == nil && kind == trace.SpanKindUnspecified {
		kind = trace.SpanKindInternal
	}
	return kind, err
}
