package otlpsink

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"google.golang.org/grpc"

	"github.com/xk6-tracing/xk6-tracing/test/support/quickclose"
)

// tracesPath is where OTLP/HTTP exporters send spans: the endpoint plus
// this path, as OTEL_EXPORTER_OTLP_ENDPOINT prescribes.
const tracesPath = "/v1/traces"

// Options configure a Sink.
type Options struct {
	// Keep stores the decoded spans for Spans (demos, tests); without it
	// the sink only counts them (benchmarks): a protobuf request is walked
	// to its spans, not decoded, and one whose framing is broken is still
	// refused.
	Keep bool
	// GRPC also serves OTLP/gRPC, on a port of its own (GRPCEndpoint).
	GRPC bool
}

// Sink is a running OTLP/HTTP trace receiver on 127.0.0.1.
type Sink struct {
	opts     Options
	endpoint string
	maxBody  int64 // maxBodyBytes; smaller in tests
	srv      *http.Server
	serving  *quickclose.Server

	// With Options.GRPC: the gRPC server, its endpoint and Serve's result.
	grpcSrv      *grpc.Server
	grpcEndpoint string
	grpcServed   chan error

	closeOnce sync.Once
	closeErr  error

	mu      sync.Mutex
	count   int
	spans   []Span
	changed chan struct{} // closed, then replaced, whenever count grows
}

// Start listens on a free loopback port and serves POST /v1/traces until
// Close.
func Start(opts Options) (*Sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("otlpsink: %w", err)
	}
	s := &Sink{
		opts:     opts,
		maxBody:  maxBodyBytes,
		endpoint: "http://" + ln.Addr().String(),
		changed:  make(chan struct{}),
	}
	mux := http.NewServeMux()
	mux.HandleFunc(tracesPath, s.serveTraces)
	s.srv = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second, // a 64 MiB body on a busy machine
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	if opts.GRPC {
		if err := s.startGRPC(); err != nil {
			_ = ln.Close()
			return nil, err
		}
	}
	s.serving = quickclose.Serve(s.srv, ln)
	return s, nil
}

// Endpoint is the sink's base URL, e.g. "http://127.0.0.1:41234", for
// OTEL_EXPORTER_OTLP_ENDPOINT (exporters append /v1/traces).
func (s *Sink) Endpoint() string { return s.endpoint }

// GRPCEndpoint is, with Options.GRPC, the sink's OTLP/gRPC endpoint, e.g.
// "http://127.0.0.1:41235"; "" without.
func (s *Sink) GRPCEndpoint() string { return s.grpcEndpoint }

// Count is the number of spans received so far.
func (s *Sink) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// WaitCount waits until at least n spans were received, or fails after
// timeout saying how many arrived.
func (s *Sink) WaitCount(n int, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		s.mu.Lock()
		count, changed := s.count, s.changed
		s.mu.Unlock()
		if count >= n {
			return nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return fmt.Errorf("otlpsink: %d of %d spans received after %s", s.Count(), n, timeout)
		}
	}
}

// Spans returns a copy of the received spans in arrival order; it is
// empty unless Options.Keep is set.
func (s *Sink) Spans() []Span {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Span(nil), s.spans...)
}

// Close stops the server: requests in progress get up to 5 seconds to
// finish, then every connection is closed (quickclose). Received spans
// stay readable; a second Close returns the first one's result.
func (s *Sink) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.serving.Close(ctx); !errors.Is(err, context.DeadlineExceeded) {
			s.closeErr = err // requests still in progress after 5 s are cut, not an error
		}
		if s.grpcSrv != nil {
			s.closeErr = errors.Join(s.closeErr, s.closeGRPC())
		}
	})
	return s.closeErr
}

// serveTraces handles one export request: the spans are counted (and
// kept) before the response, so an exporter whose flush returned has
// been counted.
func (s *Sink) serveTraces(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed: OTLP/HTTP exports with POST", http.StatusMethodNotAllowed)
		return
	}
	mt, err := mediaType(r)
	var body []byte
	if err == nil {
		body, err = readBody(w, r, s.maxBody)
	}
	if err == nil {
		err = s.receive(mt, body)
	}
	if err != nil {
		status := http.StatusBadRequest
		var he *httpError
		if errors.As(err, &he) {
			status = he.status
		}
		http.Error(w, err.Error(), status)
		return
	}
	w.Header().Set("Content-Type", mt)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(encodeResponse(mt))
}

// receive decodes a body and records its spans. Without Keep, a
// protobuf body is only walked to count its spans (see
// [countProtobufSpans]): a benchmark's sink should cost its exporter's
// machine as little as it can.
func (s *Sink) receive(mt string, body []byte) error {
	var (
		spans []Span
		n     int
	)
	switch {
	case !s.opts.Keep && mt == contentProtobuf:
		count, err := countProtobufSpans(body)
		if err != nil {
			return err
		}
		n = count
	default:
		req, err := decode(mt, body)
		if err != nil {
			return err
		}
		if s.opts.Keep {
			spans = flatten(req.GetResourceSpans())
		}
		for _, rs := range req.GetResourceSpans() {
			for _, ss := range rs.GetScopeSpans() {
				n += len(ss.GetSpans())
			}
		}
	}
	if n == 0 {
		return nil // an empty export is valid and changes nothing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count += n
	s.spans = append(s.spans, spans...)
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}
