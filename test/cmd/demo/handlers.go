package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	otelprop "go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// serverSpan continues the incoming trace, in the format it arrived in,
// with a SERVER span; without a valid incoming header it starts none and
// returns a no-op span, since the demo traces k6's requests only.
func (s *service) serverSpan(r *http.Request, in received) (context.Context, trace.Span) {
	ctx := r.Context()
	if !in.Valid {
		return ctx, trace.SpanFromContext(ctx)
	}
	ctx = formatOf(in.Header).otel.Extract(ctx, otelprop.HeaderCarrier(r.Header))
	return s.tracer.Start(ctx, r.Method+" "+r.URL.Path, trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("http.request.method", r.Method),
			attribute.String("url.path", r.URL.Path),
			attribute.String("http.route", r.URL.Path),
		))
}

// endSpan records the response status on a span and ends it.
func endSpan(span trace.Span, status int, err error) {
	if status != 0 {
		span.SetAttributes(attribute.Int("http.response.status_code", status))
	}
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}

// backendHandler records each request, in a SERVER span too, and answers
// 200 with a small JSON body.
func backendHandler(s *service) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := backRecord{
			Method: r.Method, Path: r.URL.Path,
			Traceparent: r.Header.Get(propagation.TraceparentHeader),
			UberTraceID: r.Header.Get(propagation.UberTraceIDHeader),
			In:          readContext(r.Header),
		}
		_, span := s.serverSpan(r, rec.In)
		defer endSpan(span, http.StatusOK, nil)
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, 1<<20))
		s.mu.Lock()
		s.back = append(s.back, rec)
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"service": "backend", "method": r.Method, "path": r.URL.Path})
	})
}

// frontendHandler serves the shop page of the browser journey (shop.go),
// and continues any other incoming trace to the backend at the same
// method and path, as an OpenTelemetry-instrumented service does: a SERVER
// span whose parent is the caller's span, and a CLIENT span, child of it,
// for the backend call, whose context goes out in the header format that
// arrived (same trace id and sampled flag, the CLIENT span's id). Without a
// valid incoming header it starts no trace and forwards without one.
func frontendHandler(backendURL string) func(*service) http.Handler {
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{Proxy: nil}, // loopback only, never a proxy
	}
	return func(s *service) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && isShopAsset(r.URL.Path) {
				s.serveShopAsset(w, r)
				return
			}
			rec := frontRecord{Method: r.Method, Path: r.URL.Path, In: readContext(r.Header)}
			ctx, server := s.serverSpan(r, rec.In)
			body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			err := s.callBackend(ctx, client, backendURL, r, body, &rec)
			if err != nil {
				rec.Err = err.Error()
			}
			s.mu.Lock()
			s.front = append(s.front, rec)
			s.mu.Unlock()
			status, resp := http.StatusOK, map[string]any{"service": "frontend", "backend_status": rec.Status}
			if err != nil {
				status, resp = http.StatusBadGateway, map[string]any{"service": "frontend", "error": err.Error()}
			}
			writeJSON(w, status, resp)
			endSpan(server, status, err)
		})
	}
}

// callBackend sends the request on to the backend; when the frontend is in
// a trace, inside a CLIENT span whose context it injects.
func (s *service) callBackend(ctx context.Context, client *http.Client, backendURL string, in *http.Request, body []byte, rec *frontRecord) error {
	out, err := http.NewRequestWithContext(ctx, in.Method, backendURL+in.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	if ct := in.Header.Get("Content-Type"); ct != "" {
		out.Header.Set("Content-Type", ct)
	}
	if !rec.In.Valid {
		return send(client, out, rec)
	}
	ctx, span := s.tracer.Start(ctx, in.Method+" "+in.URL.Path, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("http.request.method", in.Method),
			attribute.String("url.full", out.URL.String()),
			attribute.String("server.address", out.URL.Hostname()),
			attribute.String("server.port", out.URL.Port()),
		))
	rec.Out, rec.OutHeader = contextOf(span.SpanContext()), rec.In.Header
	formatOf(rec.OutHeader).otel.Inject(ctx, otelprop.HeaderCarrier(out.Header))
	err = send(client, out, rec)
	endSpan(span, rec.Status, err)
	return err
}

// send does one backend call and records its status.
func send(client *http.Client, req *http.Request, rec *frontRecord) error {
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
