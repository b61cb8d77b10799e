package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// received is the trace context a service found on an incoming request.
type received struct {
	Header string // "traceparent", "uber-trace-id", or "" when neither was sent
	Value  string // the raw header value
	Ctx    propagation.Context
	Valid  bool
}

// readContext reads the incoming trace context: traceparent first, then
// uber-trace-id. A header that is present but invalid is kept, with Valid
// false, so that the report can show what arrived.
func readContext(h http.Header) received {
	var first received
	for _, f := range demoFormats {
		v := h.Get(f.header)
		if v == "" {
			continue
		}
		if c, ok := f.parse(v); ok {
			return received{Header: f.header, Value: v, Ctx: c, Valid: true}
		}
		if first.Header == "" {
			first = received{Header: f.header, Value: v}
		}
	}
	return first
}

// backRecord is what the backend saw of one request.
type backRecord struct {
	Method, Path             string
	Traceparent, UberTraceID string
	In                       received
}

// frontRecord is what the frontend saw of one request and what it sent on.
type frontRecord struct {
	Method, Path string
	In           received
	Out          propagation.Context // its CLIENT span's context, sent on; meaningful when In.Valid
	OutHeader    string              // header sent to the backend, "" when none
	Status       int                 // the backend's status, 0 on error
	Err          string
}

// service is a loopback HTTP server that records what it receives.
type service struct {
	URL    string
	srv    *http.Server
	tracer trace.Tracer // its OpenTelemetry SDK

	mu    sync.Mutex
	front []frontRecord
	back  []backRecord
}

// startService serves h on a free 127.0.0.1 port until shutdown; h
// records its spans with tracer.
func startService(tracer trace.Tracer, h func(*service) http.Handler) (*service, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &service{URL: "http://" + ln.Addr().String(), tracer: tracer}
	s.srv = &http.Server{
		Handler:           h(s),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       30 * time.Second,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *service) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

func (s *service) frontRecords() []frontRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]frontRecord(nil), s.front...)
}

func (s *service) backRecords() []backRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]backRecord(nil), s.back...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "demo: writing response:", err)
	}
}
