// Package wsserver is a WebSocket echo server for integration tests of
// k6's WebSocket tracing. It answers a handshake on any path, and its
// paths say what the outcome is, so that a test knows it in advance:
//
//	any path   upgrade (101), then echo every text and binary message
//	/reject    refuse the handshake with 403
//	/close     upgrade, then close at once with 1008 "policy"
//
// A test can check both what the server saw (Sessions: paths, handshake
// headers, message counts, handshake statuses) and the spans it exported.
// The server is instrumented with the OpenTelemetry Go SDK as a real
// service would be: each handshake is an HTTP request with a SERVER span
// that continues the trace context of its headers, exported over
// OTLP/HTTP under service.name "ws-server".
//
// wsserver.go starts and stops the server and its tracer provider;
// handler.go is what it does with a handshake and a session; record.go
// records the sessions.
package wsserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/xk6-tracing/xk6-tracing/test/support/otelservice"
	"github.com/xk6-tracing/xk6-tracing/test/support/quickclose"
)

// ServiceName is the service.name of the server's spans.
const ServiceName = "ws-server"

// instrumentationName is the server's tracer (instrumentation scope) name.
const instrumentationName = "github.com/xk6-tracing/xk6-tracing/test/support/wsserver"

// batchTimeout is the batch span processor's schedule delay: short, so
// that spans reach the receiver soon after the handshakes, not 5 s later.
const batchTimeout = 100 * time.Millisecond

// stopGrace is how long Stop lets the clients of open sessions answer its
// close frame before it cuts their connections: a client that reads the
// server's close before the connection drops sees a clean close (1001),
// not an abnormal one.
const stopGrace = time.Second

// propagator is what the server extracts from a handshake's headers: W3C
// Trace Context and Baggage, what an OpenTelemetry SDK uses unless told
// otherwise. It is the server's own rather than the global one, which a
// test in the same process may have set to anything.
var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// Server is a running WebSocket echo server on a loopback port.
type Server struct {
	// URL is the server's base URL, e.g. "ws://127.0.0.1:41234"; a session
	// is opened at URL + a path, such as URL + "/echo" or URL + RejectPath.
	URL string

	tp      *sdktrace.TracerProvider // nil when untraced
	tracer  trace.Tracer             // a no-op one when untraced
	serving *quickclose.Server

	// mu guards what follows and the sessions' counts, since the
	// handlers update them while a test reads them.
	mu       sync.Mutex
	sessions []*Session
	conns    map[*websocket.Conn]bool // the upgraded connections still open
	closed   bool                     // Stop has begun: no new session
	handlers sync.WaitGroup           // handlers running, added to under mu while !closed

	stopOnce sync.Once
	stopErr  error
}

// Start serves on a free 127.0.0.1 port until Stop. The SERVER spans go
// over OTLP/HTTP to otlpEndpoint, a base URL such as
// "http://127.0.0.1:4318" to which the traces path /v1/traces is
// appended; with "" the server is not instrumented at all, and neither
// extracts a trace context nor exports anything. ctx bounds the setup
// only.
func Start(ctx context.Context, otlpEndpoint string) (*Server, error) {
	s := &Server{conns: map[*websocket.Conn]bool{}, tracer: noop.NewTracerProvider().Tracer(instrumentationName)}
	if otlpEndpoint != "" {
		tp, err := otelservice.NewTracerProvider(ctx, ServiceName, otlpEndpoint, batchTimeout)
		if err != nil {
			return nil, fmt.Errorf("wsserver: %w", err)
		}
		s.tp, s.tracer = tp, tp.Tracer(instrumentationName)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("wsserver: %w", err), s.shutdownProvider(context.Background()))
	}
	s.URL = "ws://" + ln.Addr().String()
	// The timeouts bound the handshake only: gorilla clears the
	// connection's deadlines when it upgrades, and the session sets its
	// own (handler.go).
	s.serving = quickclose.Serve(&http.Server{
		Handler:           http.HandlerFunc(s.serveHTTP),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}, ln)
	return s, nil
}

// Stop ends the open sessions, stops serving, then flushes and shuts down
// the tracer provider, so that the span of every handshake has been
// exported when it returns. Each open session gets a close frame (1001
// "server stopping") and up to a second for its client to answer it
// before its connection is cut; a handshake in progress may finish until
// ctx ends, and a new one is refused with 503. ctx bounds all of it; the
// error says whether handshakes or sessions were cut off (ctx's error) or
// spans could not be exported. A second Stop returns the first one's
// result.
func (s *Server) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() { s.stopErr = s.stop(ctx) })
	return s.stopErr
}

func (s *Server) stop(ctx context.Context) error {
	var errs []error
	s.mu.Lock()
	s.closed = true // from here on, no handler is added: Wait is safe
	open := s.openConns()
	s.mu.Unlock()

	grace := time.Now().Add(stopGrace)
	for _, c := range open {
		sendClose(c, websocket.CloseGoingAway, "server stopping", grace)
	}
	if err := s.serving.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("wsserver: handshakes still in progress were cut off: %w", err))
	}

	handlersDone := make(chan struct{})
	go func() {
		s.handlers.Wait()
		close(handlersDone)
	}()
	timer := time.NewTimer(time.Until(grace))
	defer timer.Stop()
	select {
	case <-handlersDone:
	case <-timer.C:
	case <-ctx.Done():
	}
	// The clients that have not answered the close frame by now are cut
	// off; their handlers' reads then fail at once.
	s.mu.Lock()
	for _, c := range s.openConns() {
		_ = c.Close()
	}
	s.mu.Unlock()
	select {
	case <-handlersDone:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("wsserver: sessions still open: %w", ctx.Err()))
	}

	errs = append(errs, s.shutdownProvider(ctx))
	return errors.Join(errs...)
}

// openConns lists the open sessions' connections; mu must be held.
func (s *Server) openConns() []*websocket.Conn {
	out := make([]*websocket.Conn, 0, len(s.conns))
	for c := range s.conns {
		out = append(out, c)
	}
	return out
}

// shutdownProvider flushes and shuts down the tracer provider, if any.
func (s *Server) shutdownProvider(ctx context.Context) error {
	if s.tp == nil {
		return nil
	}
	if err := s.tp.Shutdown(ctx); err != nil {
		return fmt.Errorf("wsserver: tracer provider: %w", err)
	}
	return nil
}
