package options

import (
	"errors"
	"math"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// Span is what the options of startSpan, withSpan and group say.
type Span struct {
	Kind       trace.SpanKind
	Attributes []attribute.KeyValue
}

// spanNames are the keys of startSpan's and withSpan's options.
var spanNames = []string{"attributes", "kind"}

// DecodeSpan reads startSpan's or withSpan's options.
func DecodeSpan(v sobek.Value) (Span, error) {
	opts := Span{Kind: trace.SpanKindInternal}
	if common.IsNullish(v) {
		return opts, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return opts, InvalidOptions(v, `an object such as { kind: "internal", attributes: { "user.id": 42 } }, or nothing`)
	}
	for _, key := range obj.Keys() {
		var err error
		switch key {
		case "attributes":
			opts.Attributes, err = DecodeAttributes("attributes", obj.Get(key))
		case "kind":
			opts.Kind, err = decodeSpanKind(obj.Get(key))
		default:
			err = Unknown(key, spanNames)
		}
		if err != nil {
			return opts, err
		}
	}
	return opts, nil
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

const allowedAttribute = `a string, a number, a boolean, or an array of one of these`

// DecodeAttributes reads an object of span attributes, as OpenTelemetry
// JS takes them; name is the option or argument, for errors.
func DecodeAttributes(name string, v sobek.Value) ([]attribute.KeyValue, error) {
	if common.IsNullish(v) {
		return nil, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, Invalid(name, jsvalue.Describe(v)+` is not an object such as { "user.id": 42 }`, "")
	}
	attrs := make([]attribute.KeyValue, 0, len(obj.Keys()))
	for _, key := range obj.Keys() {
		kv, err := DecodeAttribute(key, obj.Get(key))
		if err != nil {
			return nil, invalidBecause(name+"."+key, err)
		}
		attrs = append(attrs, kv)
	}
	return attrs, nil
}

// DecodeAttribute reads one attribute value: a string, a number (an
// integer when it is one), a boolean, or a homogeneous array of these.
// Its error says what is wrong and what is allowed, for the caller to
// name the attribute.
func DecodeAttribute(key string, v sobek.Value) (attribute.KeyValue, error) {
	if key == "" {
		return attribute.KeyValue{}, errors.New("an attribute needs a non-empty key")
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
	return attribute.KeyValue{}, errors.New(jsvalue.Describe(v) + " is not an attribute value; allowed: " + allowedAttribute)
}

func decodeAttributeArray(key string, v sobek.Value, items []any) (attribute.KeyValue, error) {
	if len(items) == 0 {
		return attribute.StringSlice(key, nil), nil
	}
	if out, ok := sliceOf(items, func(x any) (string, bool) { s, ok := x.(string); return s, ok }); ok {
		return attribute.StringSlice(key, out), nil
	}
	if out, ok := sliceOf(items, func(x any) (bool, bool) { b, ok := x.(bool); return b, ok }); ok {
		return attribute.BoolSlice(key, out), nil
	}
	if out, ok := sliceOf(items, jsvalue.Number); ok {
		return attribute.Float64Slice(key, out), nil
	}
	return attribute.KeyValue{}, errors.New(jsvalue.Describe(v) + " is not an attribute value; allowed: " +
		allowedAttribute + ", all of one type")
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
