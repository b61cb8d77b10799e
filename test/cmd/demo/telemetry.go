package main

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// newTracerProvider is one demo service's OpenTelemetry SDK, as a real
// service would set it up: spans batched to endpoint over OTLP/HTTP under
// the given service.name. Shutdown flushes them. The resource is built
// from the name alone so that OTEL_SERVICE_NAME in the caller's
// environment cannot rename the services the demo checks for.
func newTracerProvider(ctx context.Context, service, endpoint string) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(endpoint+"/v1/traces"))
	if err != nil {
		return nil, err
	}
	return sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))),
	), nil
}

// contextOf is a span's context as this module's parser would read it
// from the header the span's propagator writes.
func contextOf(sc trace.SpanContext) propagation.Context {
	return propagation.Context{
		TraceID: sc.TraceID(),
		SpanID:  sc.SpanID(),
		Sampled: sc.IsSampled(),
		Random:  sc.TraceFlags()&trace.FlagsRandom != 0,
	}
}
