package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	Out          propagation.Context // the child context; meaningful when In.Valid
	OutHeader    string              // header sent to the backend, "" when none
	Status       int                 // the backend's status, 0 on error
	Err          string
}

// service is a loopback HTTP server that records what it receives.
type service struct {
	URL string
	srv *http.Server

	mu    sync.Mutex
	front []frontRecord
	back  []backRecord
}

// startService serves h on a free 127.0.0.1 port until shutdown.
func startService(h func(*service) http.Handler) (*service, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &service{URL: "http://" + ln.Addr().String()}
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

// backendHandler records each request and answers 200 with a small JSON body.
func backendHandler(s *service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		rec := backRecord{
			Method: r.Method, Path: r.URL.Path,
			Traceparent: r.Header.Get(propagation.TraceparentHeader),
			UberTraceID: r.Header.Get(propagation.UberTraceIDHeader),
			In:          readContext(r.Header),
		}
		s.mu.Lock()
		s.back = append(s.back, rec)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"service": "backend", "method": r.Method, "path": r.URL.Path})
	})
}

// frontendHandler continues the incoming trace to the backend at the same
// method and path: same trace id and sampled flag, a new span id of its own,
// in the header format that arrived. Without a valid incoming header it
// starts no trace and forwards without one.
func frontendHandler(backendURL string) func(*service) http.Handler {
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{Proxy: nil}, // loopback only, never a proxy
	}
	src := propagation.NewSource() // ChaCha8 is not safe for concurrent use
	var srcMu sync.Mutex
	newSpanID := func() trace.SpanID {
		srcMu.Lock()
		defer srcMu.Unlock()
		return propagation.NewSpanID(src)
	}
	return func(s *service) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := frontRecord{Method: r.Method, Path: r.URL.Path, In: readContext(r.Header)}
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			out, err := http.NewRequestWithContext(r.Context(), r.Method, backendURL+r.URL.RequestURI(), bytes.NewReader(body))
			if err == nil {
				if ct := r.Header.Get("Content-Type"); ct != "" {
					out.Header.Set("Content-Type", ct)
				}
				if rec.In.Valid {
					rec.Out = rec.In.Ctx
					for rec.Out.SpanID == rec.In.Ctx.SpanID {
						rec.Out.SpanID = newSpanID()
					}
					rec.OutHeader = rec.In.Header
					out.Header.Set(rec.OutHeader, formatOf(rec.OutHeader).format(rec.Out))
				}
				err = callBackend(client, out, &rec)
			}
			if err != nil {
				rec.Err = err.Error()
			}
			s.mu.Lock()
			s.front = append(s.front, rec)
			s.mu.Unlock()
			if err != nil {
				writeJSON(w, http.StatusBadGateway, map[string]any{"service": "frontend", "error": err.Error()})
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"service": "frontend", "backend_status": rec.Status})
		})
	}
}

func callBackend(client *http.Client, req *http.Request, rec *frontRecord) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	rec.Status = resp.StatusCode
	if resp.StatusCode != http.StatusOK {
		return errors.New("backend answered " + resp.Status)
	}
	return nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		fmt.Fprintln(os.Stderr, "demo: writing response:", err)
	}
}
