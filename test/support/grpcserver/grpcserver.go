// Package grpcserver is a gRPC server for integration tests of k6's gRPC
// tracing. It serves grpc-go's interop TestService (grpc.testing), whose
// requests say what the answer is: payload sizes, how many streamed
// responses, which status to fail with. A test therefore knows the outcome
// of every call in advance, and can check both what the server received
// (Calls: methods, metadata, message counts) and the spans it exported.
//
// The server also serves reflection, so that k6 can
// connect(addr, { plaintext: true, reflect: true }) without .proto files,
// and is instrumented with otelgrpc's server stats handler, exporting its
// SERVER spans over OTLP/HTTP under service.name "grpc-server", as a real
// instrumented service would.
//
// grpcserver.go starts and stops the server and its tracer provider;
// service.go is what the TestService methods do; record.go records the
// calls.
package grpcserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	noopmetric "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/reflection"

	"github.com/xk6-tracing/xk6-tracing/test/support/otelservice"
)

// ServiceName is the service.name of the server's spans.
const ServiceName = "grpc-server"

// Bounds of what the server accepts and does, so that a wrong test cannot
// make it hang or exhaust memory.
const (
	// maxRecvMsgBytes bounds a received message.
	maxRecvMsgBytes = 4 << 20
	// maxCallDuration bounds a call: its context is cancelled after it, so
	// that a stream a client never closes ends anyway.
	maxCallDuration = 30 * time.Second
	// batchTimeout is the batch span processor's schedule delay: short, so
	// that spans reach the receiver soon after the calls, not 5 s later.
	batchTimeout = 100 * time.Millisecond
)

// propagator is what the server extracts from the incoming metadata: W3C
// Trace Context and Baggage, what an OpenTelemetry SDK uses unless told
// otherwise. It is the server's own rather than the global one, which a
// test in the same process may have set to anything.
var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// Server is a running gRPC server on a loopback port.
type Server struct {
	// Addr is where the server listens, host:port, e.g. "127.0.0.1:41234":
	// what k6's client.connect and grpc.NewClient take.
	Addr string

	srv    *grpc.Server
	served chan error               // Serve's result
	tp     *sdktrace.TracerProvider // nil when untraced

	mu    sync.Mutex
	calls []*Call

	stopOnce sync.Once
	stopErr  error
}

// Start serves the TestService and reflection on a free 127.0.0.1 port
// until Stop. The SERVER spans go over OTLP/HTTP to otlpEndpoint, a base
// URL such as "http://127.0.0.1:4318" to which the traces path /v1/traces
// is appended; with "" the server is not instrumented at all, and neither
// extracts a trace context nor exports anything. ctx bounds the setup only.
func Start(ctx context.Context, otlpEndpoint string) (*Server, error) {
	s := &Server{served: make(chan error, 1)}
	opts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(maxRecvMsgBytes),
		grpc.ChainUnaryInterceptor(s.recordUnary),
		grpc.ChainStreamInterceptor(s.recordStream),
	}
	if otlpEndpoint != "" {
		tp, err := otelservice.NewTracerProvider(ctx, ServiceName, otlpEndpoint, batchTimeout)
		if err != nil {
			return nil, fmt.Errorf("grpcserver: %w", err)
		}
		s.tp = tp
		opts = append(opts, grpc.StatsHandler(otelgrpc.NewServerHandler(
			otelgrpc.WithTracerProvider(tp),
			otelgrpc.WithPropagators(propagator),
			// Spans only: without it otelgrpc records metrics with the
			// global meter provider, which a test may have set.
			otelgrpc.WithMeterProvider(noopmetric.NewMeterProvider()),
		)))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("grpcserver: %w", err), s.shutdownProvider(context.Background()))
	}
	s.Addr = ln.Addr().String()
	s.srv = grpc.NewServer(opts...)
	testpb.RegisterTestServiceServer(s.srv, testService{})
	reflection.Register(s.srv)
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

// Stop stops serving: the calls in progress may finish until ctx ends,
// then every connection is closed. It then flushes and shuts down the
// tracer provider, so that the span of every finished call has been
// exported when it returns. ctx bounds both; the error says whether calls
// were cut off (ctx's error) or spans could not be exported. A second
// Stop returns the first one's result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		var errs []error
		stopped := make(chan struct{})
		go func() {
			s.srv.GracefulStop()
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("grpcserver: calls still in progress were cut off: %w", ctx.Err()))
			s.srv.Stop()
			<-stopped
		}
		if err := <-s.served; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			errs = append(errs, fmt.Errorf("grpcserver: %w", err))
		}
		errs = append(errs, s.shutdownProvider(ctx))
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

// shutdownProvider flushes and shuts down the tracer provider, if any.
func (s *Server) shutdownProvider(ctx context.Context) error {
	if s.tp == nil {
		return nil
	}
	if err := s.tp.Shutdown(ctx); err != nil {
		return fmt.Errorf("grpcserver: tracer provider: %w", err)
	}
	return nil
}
