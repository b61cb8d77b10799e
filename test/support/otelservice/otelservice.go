// Package otelservice is the OpenTelemetry SDK of the test services
// (test/support/checkout, grpcserver, wsserver), set up as a real service
// sets it up: spans batched over OTLP/HTTP under a service.name.
package otelservice

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// NewTracerProvider exports the spans of service to otlpEndpoint, a base
// URL (/v1/traces is appended), in batches every batchTimeout (0 for the
// SDK's default, 5 s, or OTEL_BSP_SCHEDULE_DELAY). The resource is built
// from the service name alone, so that OTEL_SERVICE_NAME or
// OTEL_RESOURCE_ATTRIBUTES in the environment cannot rename the service a
// test looks for. Shutdown flushes.
func NewTracerProvider(ctx context.Context, service, otlpEndpoint string, batchTimeout time.Duration) (*sdktrace.TracerProvider, error) {
	exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(strings.TrimSuffix(otlpEndpoint, "/")+"/v1/traces"))
	if err != nil {
		return nil, err
	}
	var bsp []sdktrace.BatchSpanProcessorOption
	if batchTimeout > 0 {
		bsp = append(bsp, sdktrace.WithBatchTimeout(batchTimeout))
	}
	return sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(exp, bsp...),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))),
	), nil
}
