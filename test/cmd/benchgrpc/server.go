package main

import (
	"context"
	"net"
	"sync/atomic"

	"google.golang.org/grpc"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/reflection"
)

// server is the benchmark's gRPC server: grpc-go's interop TestService,
// whose UnaryCall answers an empty response, with reflection for k6's
// connect(addr, { reflect: true }). Unlike test/support/grpcserver, which
// keeps every call's metadata for the tests to read (memory and a mutex
// per call, growing with the run), it only counts the calls, and those
// that carry a traceparent, so that the driver can check which side was
// traced. onCall, when set before the first call, sees each call's number.
type server struct {
	testpb.UnimplementedTestServiceServer
	addr   string
	srv    *grpc.Server
	calls  atomic.Int64 // UnaryCall calls
	traced atomic.Int64 // of which with a traceparent
	onCall func(n int64)
}

// startServer serves on a free loopback port until stop.
func startServer(onCall func(n int64)) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &server{addr: ln.Addr().String(), srv: grpc.NewServer(), onCall: onCall}
	testpb.RegisterTestServiceServer(s.srv, s)
	reflection.Register(s.srv)
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *server) stop() { s.srv.Stop() }

// counts returns the calls so far, and those with a traceparent.
func (s *server) counts() (calls, traced int64) { return s.calls.Load(), s.traced.Load() }

func (s *server) UnaryCall(ctx context.Context, _ *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if len(metadata.ValueFromIncomingContext(ctx, "traceparent")) > 0 {
		s.traced.Add(1)
	}
	n := s.calls.Add(1)
	if s.onCall != nil {
		s.onCall(n)
	}
	return &testpb.SimpleResponse{}, nil
}
