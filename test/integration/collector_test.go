//go:build integration

package integration

import (
	"compress/gzip"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	_ "google.golang.org/grpc/encoding/gzip" // OTLP/gRPC exporters may gzip
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

// fault is how a faultCollector misbehaves, as a collector in trouble
// does; the zero fault answers every export at once.
type fault struct {
	// delay: each export is answered after delay (an overloaded
	// collector).
	delay time.Duration
	// throttle: every other export is refused, asking the exporter to
	// retry after throttle (whole seconds): over HTTP with 429 and 503 in
	// turn and a Retry-After header, over gRPC with ResourceExhausted and
	// Unavailable in turn and a RetryInfo detail.
	throttle time.Duration
	// flap: the collector is up for flap, then down for flap, and so on
	// (a collector restarting): its port refuses connections while down.
	// Going down, it answers the exports it has begun, as a graceful
	// shutdown does, and no other.
	flap time.Duration
}

// faultCollector is a loopback OTLP traces endpoint, over HTTP/protobuf or
// gRPC, with a fault. It decodes every export, and counts by span id the
// spans of those it answered with success, and only those: they are what
// the exporter counts as delivered.
type faultCollector struct {
	// URL is the endpoint to give k6: the traces URL over HTTP,
	// http://host:port over gRPC.
	URL string

	overGRPC bool
	fault    fault
	addr     string        // the port, kept while the collector flaps
	quit     chan struct{} // closed at the test's end
	flapped  chan struct{} // closed when the flapping goroutine returned
	answered atomic.Int64  // exports answered so far, for throttle's turns

	mu       sync.Mutex
	spanIDs  map[string]int // hex span id: how many times it was delivered
	exports  int            // answered with success
	refusals int            // answered with a throttling status
	downs    int            // times the collector went down
	largest  int            // spans in the largest export delivered
	flapErr  error          // why the collector could not come back up
}

// maxExportBody bounds what one export request may make the server read.
const maxExportBody = 64 << 20

// startCollector starts a collector with fault, over gRPC when overGRPC
// and HTTP otherwise, that stops with the test.
func startCollector(t *testing.T, overGRPC bool, f fault) *faultCollector {
	t.Helper()
	require.Zero(t, f.throttle%time.Second, "Retry-After takes whole seconds")
	c := &faultCollector{overGRPC: overGRPC, fault: f, quit: make(chan struct{}), spanIDs: map[string]int{}}
	stop, err := c.serve("127.0.0.1:0")
	require.NoError(t, err)
	if overGRPC {
		c.URL = "http://" + c.addr
	} else {
		c.URL = "http://" + c.addr + "/v1/traces"
	}
	if f.flap > 0 {
		c.flapped = make(chan struct{})
		go c.flapFrom(stop)
	}
	t.Cleanup(func() {
		close(c.quit) // first: a stop waits for the handlers
		if c.flapped != nil {
			<-c.flapped
		} else {
			stop()
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		require.NoError(t, c.flapErr)
	})
	return c
}

// serve listens on addr and serves until the returned stop, which answers
// the exports under way first.
func (c *faultCollector) serve(addr string) (stop func(), err error) {
	ln, err := listenAgain(addr)
	if err != nil {
		return nil, err
	}
	c.addr = ln.Addr().String()
	if c.overGRPC {
		srv := grpc.NewServer(grpc.MaxRecvMsgSize(maxExportBody))
		coltracepb.RegisterTraceServiceServer(srv, grpcTraces{c: c})
		go func() { _ = srv.Serve(ln) }()
		return srv.GracefulStop, nil
	}
	srv := &http.Server{Handler: http.HandlerFunc(c.serveHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// listenAgain listens on addr, retrying for a second: the port of a
// collector that went down is free again at once (Go listens with
// SO_REUSEADDR), unless a connection took it as its local port meanwhile.
func listenAgain(addr string) (net.Listener, error) {
	deadline := time.Now().Add(time.Second)
	for {
		ln, err := net.Listen("tcp", addr)
		if err == nil || time.Now().After(deadline) {
			return ln, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// flapFrom takes the collector down and up again every c.fault.flap until
// the test ends; stop stops the server that is up.
func (c *faultCollector) flapFrom(stop func()) {
	defer close(c.flapped)
	for {
		select {
		case <-c.quit:
			stop()
			return
		case <-time.After(c.fault.flap):
		}
		stop()
		c.mu.Lock()
		c.downs++
		c.mu.Unlock()
		select {
		case <-c.quit:
			return
		case <-time.After(c.fault.flap):
		}
		var err error
		if stop, err = c.serve(c.addr); err != nil {
			c.mu.Lock()
			c.flapErr = fmt.Errorf("the collector cannot listen on %s again: %w", c.addr, err)
			c.mu.Unlock()
			return // down for good: the test fails at its end
		}
	}
}

// errGaveUp: the exporter or the test ended an export before its answer.
var errGaveUp = errors.New("the export ended before its answer")

// answer answers an export as the fault says, over either protocol: a
// throttling status to retry after retryAfter (refuse: which of the two
// statuses, 0 or 1), errGaveUp, or success, when req's spans are counted.
func (c *faultCollector) answer(ctx context.Context, req *coltracepb.ExportTraceServiceRequest) (refuse int, retryAfter time.Duration, err error) {
	if c.fault.throttle > 0 {
		// Odd turns are refused; among them, 429 and 503 in turn.
		if n := c.answered.Add(1); n%2 == 1 {
			c.mu.Lock()
			c.refusals++
			c.mu.Unlock()
			return int(n/2) % 2, c.fault.throttle, nil
		}
	}
	select {
	case <-time.After(c.fault.delay):
	case <-ctx.Done():
		return -1, 0, errGaveUp
	case <-c.quit:
		return -1, 0, errGaveUp
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exports++
	n := 0
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.spanIDs[hex.EncodeToString(s.GetSpanId())]++
				n++
			}
		}
	}
	c.largest = max(c.largest, n)
	return -1, 0, nil
}

func (c *faultCollector) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		http.NotFound(w, r)
		return
	}
	var body io.Reader = io.LimitReader(r.Body, maxExportBody)
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = gz
	}
	raw, err := io.ReadAll(body)
	var req coltracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	refuse, after, err := c.answer(r.Context(), &req)
	switch {
	case err != nil:
		return // nothing was delivered
	case refuse >= 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(after/time.Second)))
		http.Error(w, "throttled", []int{http.StatusTooManyRequests, http.StatusServiceUnavailable}[refuse])
		return
	}
	resp, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

// grpcTraces is the collector's OTLP/gRPC TraceService.
type grpcTraces struct {
	coltracepb.UnimplementedTraceServiceServer
	c *faultCollector
}

func (g grpcTraces) Export(ctx context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	refuse, after, err := g.c.answer(ctx, req)
	switch {
	case err != nil:
		return nil, status.Error(codes.Canceled, err.Error())
	case refuse >= 0:
		st := status.New([]codes.Code{codes.ResourceExhausted, codes.Unavailable}[refuse], "throttled")
		st, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(after)})
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		return nil, st.Err()
	}
	return &coltracepb.ExportTraceServiceResponse{}, nil
}

// collected is what a collector received.
type collected struct {
	spanIDs                           map[string]int // span id: how many times delivered
	exports, refusals, downs, largest int
}

// received returns what the collector received so far.
func (c *faultCollector) received() collected {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := collected{spanIDs: make(map[string]int, len(c.spanIDs)),
		exports: c.exports, refusals: c.refusals, downs: c.downs, largest: c.largest}
	for id, n := range c.spanIDs {
		out.spanIDs[id] = n
	}
	return out
}
