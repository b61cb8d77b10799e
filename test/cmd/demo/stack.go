package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// scope is the instrumentation scope of the services' spans.
const scope = "github.com/xk6-tracing/xk6-tracing/test/cmd/demo"

// stack is what k6 runs against: the OTLP sink, and the frontend and the
// backend, each with its own OpenTelemetry SDK exporting to the sink.
type stack struct {
	sink              *otlpsink.Sink
	frontend, backend *service
	providers         []*sdktrace.TracerProvider
}

// withStack runs fn with a new stack and a context that ends after
// timeout, and stops the stack after it.
func withStack(timeout time.Duration, fn func(context.Context, *stack) error) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	st, err := startStack(ctx)
	if err != nil {
		return err
	}
	defer st.close()
	return fn(ctx, st)
}

// startStack starts the sink, then the backend, then the frontend that
// calls it. On error, what started is stopped.
func startStack(ctx context.Context) (st *stack, err error) {
	st = &stack{}
	defer func() {
		if err != nil {
			st.close()
		}
	}()
	if st.sink, err = otlpsink.Start(otlpsink.Options{Keep: true}); err != nil {
		return nil, err
	}
	if st.backend, err = st.startService(ctx, backendService, backendHandler); err != nil {
		return nil, err
	}
	if st.frontend, err = st.startService(ctx, frontendService, frontendHandler(st.backend.URL)); err != nil {
		return nil, err
	}
	return st, nil
}

func (st *stack) startService(ctx context.Context, name string, h func(*service) http.Handler) (*service, error) {
	tp, err := newTracerProvider(ctx, name, st.sink.Endpoint())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	st.providers = append(st.providers, tp)
	s, err := startService(tp.Tracer(scope), h)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// stop shuts both services down, so that their records are complete and
// final, then flushes their spans to the sink. The sink keeps running:
// its spans stay readable.
func (st *stack) stop(ctx context.Context) error {
	err := errors.Join(st.frontend.shutdown(), st.backend.shutdown())
	for _, tp := range st.providers {
		err = errors.Join(err, tp.Shutdown(ctx))
	}
	if err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// close stops everything, after stop or instead of it; a second shutdown
// of a server or a tracer provider does nothing.
func (st *stack) close() {
	for _, s := range []*service{st.frontend, st.backend} {
		if s != nil {
			_ = s.shutdown()
		}
	}
	for _, tp := range st.providers {
		_ = tp.Shutdown(context.Background())
	}
	if st.sink != nil {
		_ = st.sink.Close()
	}
}
