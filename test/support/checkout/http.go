package checkout

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/test/support/quickclose"
)

// instrumentationName is the services' tracer (instrumentation scope) name.
const instrumentationName = "github.com/xk6-tracing/xk6-tracing/test/support/checkout"

// maxBodyBytes bounds the request and response bodies a service reads:
// its own are a few dozen bytes.
const maxBodyBytes = 64 << 10

// propagator is what every service extracts and injects: W3C Trace Context
// and Baggage, what an OpenTelemetry SDK uses unless told otherwise. It is
// the services' own rather than the global one, which a test in the same
// process may have set to anything.
var propagator = propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})

// handlerFunc is what a service does for a request of a valid kind, inside
// its SERVER span (in ctx): the status to answer and the JSON body.
type handlerFunc func(ctx context.Context, kind string) (status int, body any)

// service is one of the system's HTTP servers, on a loopback port.
type service struct {
	name    string
	url     string // base URL
	host    string // server.address
	port    int    // server.port
	tracer  trace.Tracer
	ln      net.Listener
	serving *quickclose.Server // nil until serve
}

// listen opens the service's port; serve then answers on it.
func listen(name string, tracer trace.Tracer) (*service, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("checkout: %s: %w", name, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	return &service{
		name:   name,
		url:    "http://" + addr.String(),
		host:   addr.IP.String(),
		port:   addr.Port,
		tracer: tracer,
		ln:     ln,
	}, nil
}

// serve answers method route with h until stop. writeTimeout must exceed
// the longest request, the slow one included.
func (s *service) serve(method, route string, h handlerFunc, writeTimeout time.Duration) {
	s.serving = quickclose.Serve(&http.Server{
		Handler:           s.handler(method, route, h),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}, s.ln)
}

// handler serves method route only, each request in a SERVER span that
// continues the caller's trace, named and attributed as the HTTP server
// semantic conventions say: "{method} {route}", and status Error for a 5xx
// answer only (a 4xx is the client's fault, not the server's).
func (s *service) handler(method, route string, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != route {
			http.NotFound(w, r)
			return
		}
		if r.Method != method {
			w.Header().Set("Allow", method)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		ctx := propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := s.tracer.Start(ctx, method+" "+route,
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				attribute.String("http.request.method", method),
				attribute.String("url.scheme", "http"),
				attribute.String("url.path", r.URL.Path),
				attribute.String("http.route", route),
				attribute.String("server.address", s.host),
				attribute.Int("server.port", s.port),
			))
		// Ended before the handler returns, which is before the response
		// (small, buffered) leaves: the caller's CLIENT span ends after it.
		defer span.End()
		status, body := answer(ctx, w, r, h)
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= http.StatusInternalServerError {
			span.SetAttributes(attribute.String("error.type", strconv.Itoa(status)))
			span.SetStatus(codes.Error, "")
		}
		writeJSON(w, status, body)
	})
}

// answer reads the (bounded) body and the kind, and runs h for a valid one.
func answer(ctx context.Context, w http.ResponseWriter, r *http.Request, h handlerFunc) (int, any) {
	if _, err := io.Copy(io.Discard, http.MaxBytesReader(w, r.Body, maxBodyBytes)); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return http.StatusRequestEntityTooLarge, errorBody("request body too large")
		}
		return http.StatusBadRequest, errorBody("reading request body: " + err.Error())
	}
	kind := r.URL.Query().Get("kind")
	switch kind {
	case KindOK, KindSlow, KindFail:
		return h(ctx, kind)
	default:
		return http.StatusBadRequest, errorBody(fmt.Sprintf("kind must be %q, %q or %q, not %q", KindOK, KindSlow, KindFail, kind))
	}
}

// call POSTs payload to route on the service to, passing kind on, inside a
// CLIENT span whose context goes out in the request's headers. As the HTTP
// client semantic conventions say, the span's status is Error for any 4xx
// or 5xx answer, and for a request that got none. It returns the status
// of the answer, 0 with an error when there was none.
func (s *service) call(ctx context.Context, client *http.Client, to *service, route, kind string, payload any) (int, error) {
	u := to.url + route + "?kind=" + url.QueryEscape(kind)
	ctx, span := s.tracer.Start(ctx, http.MethodPost+" "+route,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(
			attribute.String("http.request.method", http.MethodPost),
			attribute.String("url.full", u),
			attribute.String("server.address", to.host),
			attribute.Int("server.port", to.port),
		))
	defer span.End()
	status, err := post(ctx, client, u, payload)
	switch {
	case err != nil:
		span.RecordError(err)
		span.SetAttributes(attribute.String("error.type", "_OTHER"))
		span.SetStatus(codes.Error, err.Error())
	default:
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= http.StatusBadRequest {
			span.SetAttributes(attribute.String("error.type", strconv.Itoa(status)))
			span.SetStatus(codes.Error, "")
		}
	}
	return status, err
}

// post sends one request with the trace context of ctx, and drains the
// answer so that the connection can be reused.
func post(ctx context.Context, client *http.Client, u string, payload any) (int, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	propagator.Inject(ctx, propagation.HeaderCarrier(req.Header))
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxBodyBytes))
	return resp.StatusCode, nil
}

// stop lets the requests in progress finish, within ctx, then closes
// every connection (quickclose: not waiting for idle ones, as
// http.Server.Shutdown does).
func (s *service) stop(ctx context.Context) error {
	if s.serving == nil {
		return s.ln.Close()
	}
	if err := s.serving.Close(ctx); err != nil {
		return fmt.Errorf("checkout: stopping %s: %w", s.name, err)
	}
	return nil
}

func errorBody(msg string) map[string]any { return map[string]any{"error": msg} }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the caller gone is no error of the service's
}
