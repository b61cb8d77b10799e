// Package interop reads the trace headers of a recorded request with
// reference implementations that share no code with go/propagation, so
// that a test can check what the real k6 binary sent: OpenTelemetry Go's
// propagators where one exists, and for Datadog and Google Cloud, which
// OpenTelemetry Go does not cover, small decoders written from the vendors'
// documentation (reference.go); Jaeger baggage, which OpenTelemetry's
// Jaeger propagator ignores, is read as jaeger-client-go reads it.
// ExtractJS (js.go, otel-js.mjs) reads the same headers with JavaScript
// implementations: OpenTelemetry JS's propagators, Google's and dd-trace.
package interop

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"go.opentelemetry.io/contrib/propagators/aws/xray"
	"go.opentelemetry.io/contrib/propagators/b3"
	"go.opentelemetry.io/contrib/propagators/jaeger"
	"go.opentelemetry.io/contrib/propagators/ot"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// Errors of [Extract], wrapped with the format's name.
var (
	ErrUnknownFormat = errors.New("unknown format")
	ErrNoContext     = errors.New("no valid trace context")
	ErrNoBaggage     = errors.New("no valid baggage")
)

// Result is what a reference extractor read.
type Result struct {
	// TraceID is 32 lower-case hex digits; a 64-bit id is left-padded.
	TraceID string
	// SpanID is 16 lower-case hex digits: the span that sent the request.
	SpanID  string
	Sampled bool
	// Baggage holds the decoded members, for the formats whose reference
	// reads baggage (w3c, baggage, ot); nil when there are none.
	Baggage map[string]string
}

// otelPropagators are OpenTelemetry Go's propagators, by our format names
// and OTEL_PROPAGATORS' names. OpenTelemetry's Jaeger propagator ignores
// uberctx-* baggage headers, so Jaeger results carry no baggage.
var otelPropagators = map[string]propagation.TextMapPropagator{
	"w3c":          propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
	"tracecontext": propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
	"b3":           b3.New(),
	"b3multi":      b3.New(b3.WithInjectEncoding(b3.B3MultipleHeader)),
	"jaeger":       jaeger.Jaeger{},
	"ot":           ot.OT{},
	"ottrace":      ot.OT{},
	"xray":         xray.Propagator{},
}

// referenceDecoders read the formats OpenTelemetry Go has no propagator for.
var referenceDecoders = map[string]func(http.Header) (Result, error){
	"datadog": extractDatadog,
	"gcp":     extractCloudTraceContext,
}

// Extract reads h in the named format: "w3c" (traceparent, tracestate and
// baggage), "baggage" (the baggage header alone), "b3", "b3multi",
// "jaeger", "ot", "xray", "datadog" or "gcp". It fails with
// [ErrNoContext] when the reference finds no valid trace context (for
// "baggage": [ErrNoBaggage] when it finds no member), and with
// [ErrUnknownFormat] for any other name.
func Extract(format string, h http.Header) (Result, error) {
	switch format {
	case "baggage":
		r := Result{Baggage: members(baggage.FromContext(
			propagation.Baggage{}.Extract(context.Background(), propagation.HeaderCarrier(h))))}
		if r.Baggage == nil {
			return Result{}, fmt.Errorf("%s: %w", format, ErrNoBaggage)
		}
		return r, nil
	}
	if decode, ok := referenceDecoders[format]; ok {
		r, err := decode(h)
		if err != nil {
			return Result{}, fmt.Errorf("%s: %w", format, err)
		}
		return r, nil
	}
	p, ok := otelPropagators[format]
	if !ok {
		return Result{}, fmt.Errorf("%w %q", ErrUnknownFormat, format)
	}
	ctx := p.Extract(context.Background(), propagation.HeaderCarrier(h))
	sc := trace.SpanContextFromContext(ctx)
	if !sc.IsValid() {
		return Result{}, fmt.Errorf("%s: %w", format, ErrNoContext)
	}
	r := Result{
		TraceID: sc.TraceID().String(),
		SpanID:  sc.SpanID().String(),
		Sampled: sc.IsSampled(),
		Baggage: members(baggage.FromContext(ctx)),
	}
	if format == "jaeger" {
		r.Baggage = uberctxBaggage(h)
	}
	return r, nil
}

// uberctxBaggage reads the uberctx-* headers as jaeger-client-go's HTTP
// header propagator does (the key after the prefix, the value
// url.QueryUnescape'd); OpenTelemetry's Jaeger propagator ignores them.
func uberctxBaggage(h http.Header) map[string]string {
	var m map[string]string
	for name, values := range h {
		key, ok := strings.CutPrefix(strings.ToLower(name), "uberctx-")
		if !ok || len(values) == 0 {
			continue
		}
		value, err := url.QueryUnescape(values[0])
		if err != nil {
			continue
		}
		if m == nil {
			m = map[string]string{}
		}
		m[key] = value
	}
	return m
}

// members returns the members of b as a map, nil when there are none.
func members(b baggage.Baggage) map[string]string {
	if b.Len() == 0 {
		return nil
	}
	m := make(map[string]string, b.Len())
	for _, member := range b.Members() {
		m[member.Key()] = member.Value()
	}
	return m
}
