package tracing

import (
	"fmt"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// scriptSpan is a span the script started with startSpan or withSpan. JS sees
// its exported methods and fields under their js names. It always has
// ids, so that requests can be its children; it records only when spans
// are on and it is sampled.
type scriptSpan struct {
	// TraceID, SpanID and Sampled identify the span to the script.
	TraceID string `js:"traceId"`
	SpanID  string `js:"spanId"`
	Sampled bool   `js:"sampled"`

	tracer *tracer
	ctx    propagation.Context
	otel   trace.Span // nil when the span is not recorded
	ended  bool
}

func newScriptSpan(t *tracer, ctx propagation.Context, otel trace.Span) *scriptSpan {
	return &scriptSpan{
		TraceID: propagation.FormatTraceID(ctx.TraceID), SpanID: ctx.SpanID.String(), Sampled: ctx.Sampled,
		tracer: t, ctx: ctx, otel: otel,
	}
}

// IsRecording reports whether the span will be exported: spans are on,
// it is sampled and not ended.
func (s *scriptSpan) IsRecording() bool { return s.otel != nil && !s.ended }

// SetAttribute sets one attribute; it returns the span, for chaining.
func (s *scriptSpan) SetAttribute(key, value sobek.Value) (*scriptSpan, error) {
	if common.IsNullish(key) {
		return nil, s.usage(fmt.Errorf(`span.setAttribute: %w: the key is %s, not a string`, ErrInvalidArgument, jsvalue.Describe(key)))
	}
	kv, err := options.DecodeAttribute(key.String(), value)
	if err != nil {
		return nil, s.usage(fmt.Errorf(`span.setAttribute: %w %q: %w`, ErrInvalidArgument, key.String(), err))
	}
	if s.IsRecording() {
		s.otel.SetAttributes(kv)
	}
	return s, nil
}

// SetAttributes sets the attributes of an object.
func (s *scriptSpan) SetAttributes(attrs sobek.Value) (*scriptSpan, error) {
	kvs, err := options.DecodeAttributes("attributes", attrs)
	if err != nil {
		return nil, s.usage(fmt.Errorf("span.setAttributes: %w", err))
	}
	if s.IsRecording() {
		s.otel.SetAttributes(kvs...)
	}
	return s, nil
}

// AddEvent adds a timed event, with optional attributes.
func (s *scriptSpan) AddEvent(name, attrs sobek.Value) (*scriptSpan, error) {
	n, err := spanName("span.addEvent", name)
	if err != nil {
		return nil, s.usage(err)
	}
	kvs, err := options.DecodeAttributes("attributes", attrs)
	if err != nil {
		return nil, s.usage(fmt.Errorf("span.addEvent: %w", err))
	}
	if s.IsRecording() {
		s.otel.AddEvent(n, trace.WithAttributes(kvs...))
	}
	return s, nil
}

// RecordError records an exception event, as OpenTelemetry's
// recordException does: the error's name, message and stack, when the
// value is an Error. It does not change the status; setStatus("error")
// does, and withSpan does both for a function that throws.
func (s *scriptSpan) RecordError(err sobek.Value) *scriptSpan {
	if s.IsRecording() {
		s.otel.AddEvent("exception", trace.WithAttributes(exceptionAttributes(err)...))
	}
	return s
}

// SetStatus sets the status: "ok", "error" (with a description) or
// "unset".
func (s *scriptSpan) SetStatus(code, description sobek.Value) (*scriptSpan, error) {
	c, ok := statusCodes[code.String()]
	if common.IsNullish(code) || !ok {
		return nil, s.usage(fmt.Errorf("span.setStatus: %w", options.Invalid("status",
			jsvalue.Describe(code)+" is not a status code", `"ok", "error" or "unset"`)))
	}
	if s.IsRecording() {
		text := ""
		if !common.IsNullish(description) {
			text = description.String()
		}
		s.otel.SetStatus(c, text)
	}
	return s, nil
}

// statusCodes are the names setStatus takes.
var statusCodes = map[string]codes.Code{"unset": codes.Unset, "ok": codes.Ok, "error": codes.Error}

// UpdateName renames the span.
func (s *scriptSpan) UpdateName(name sobek.Value) (*scriptSpan, error) {
	n, err := spanName("span.updateName", name)
	if err != nil {
		return nil, s.usage(err)
	}
	if s.IsRecording() {
		s.otel.SetName(n)
	}
	return s, nil
}

// End ends the span now; later calls do nothing, as in OpenTelemetry.
// An active span stops being active.
func (s *scriptSpan) End() {
	s.end(time.Now())
}

func (s *scriptSpan) end(at time.Time) {
	if s.ended {
		return
	}
	s.ended = true
	s.tracer.vu.scope.remove(s)
	if s.otel != nil {
		s.otel.End(trace.WithTimestamp(at))
	}
}

// fail records err on the span and sets the error status, as withSpan does
// when its function throws or its promise rejects.
func (s *scriptSpan) fail(err sobek.Value) {
	if !s.IsRecording() {
		return
	}
	s.RecordError(err)
	s.otel.SetStatus(codes.Error, exceptionMessage(err))
}

// usage reports a bad argument: aborting the test in VU code.
func (s *scriptSpan) usage(err error) error {
	return reportUsageError(s.tracer.vu, err)
}

// spanName reads a span or event name: a non-empty string.
func spanName(what string, v sobek.Value) (string, error) {
	if s, ok := v.Export().(string); ok && s != "" {
		return s, nil
	}
	return "", fmt.Errorf(`%s: %w: the name is %s, not a non-empty string`, what, ErrInvalidArgument, jsvalue.Describe(v))
}

// exceptionAttributes are the semantic conventions' exception attributes
// of a thrown JS value.
func exceptionAttributes(err sobek.Value) []attribute.KeyValue {
	attrs := []attribute.KeyValue{attribute.String("exception.message", exceptionMessage(err))}
	if obj, ok := err.(*sobek.Object); ok {
		if name := obj.Get("name"); !common.IsNullish(name) {
			attrs = append(attrs, attribute.String("exception.type", name.String()))
		}
		if stack := obj.Get("stack"); !common.IsNullish(stack) {
			attrs = append(attrs, attribute.String("exception.stacktrace", stack.String()))
		}
	}
	return attrs
}

// exceptionMessage is an Error's message, or any other thrown value as
// text.
func exceptionMessage(err sobek.Value) string {
	if obj, ok := err.(*sobek.Object); ok {
		if msg := obj.Get("message"); !common.IsNullish(msg) {
			return msg.String()
		}
	}
	if common.IsNullish(err) {
		return "undefined"
	}
	return err.String()
}
