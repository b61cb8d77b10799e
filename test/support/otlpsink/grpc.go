package otlpsink

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	_ "google.golang.org/grpc/encoding/gzip" // OTLP/gRPC exporters may gzip
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
)

// traceService is OTLP/gRPC's TraceService, its one method taking and
// returning raw protobuf, so that the sink reads a gRPC request as it
// reads an OTLP/HTTP protobuf body: counted from the wire format, or
// decoded when kept.
var traceService = grpc.ServiceDesc{
	ServiceName: "opentelemetry.proto.collector.trace.v1.TraceService",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Export",
		Handler: func(srv any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			var body []byte
			if err := dec(&body); err != nil {
				return nil, err
			}
			if err := srv.(*Sink).receive(contentProtobuf, body); err != nil {
				return nil, status.Error(codes.InvalidArgument, err.Error())
			}
			return &[]byte{}, nil // an empty ExportTraceServiceResponse
		},
	}},
}

// rawCodec passes protobuf through as a *[]byte.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("otlpsink: cannot send a %T", v)
	}
	return mem.BufferSlice{mem.SliceBuffer(*b)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("otlpsink: cannot receive a %T", v)
	}
	*b = data.Materialize()
	return nil
}

func (rawCodec) Name() string { return "proto" }

// startGRPC serves OTLP/gRPC on a free loopback port.
func (s *Sink) startGRPC() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("otlpsink: %w", err)
	}
	s.grpcSrv = grpc.NewServer(grpc.ForceServerCodecV2(rawCodec{}), grpc.MaxRecvMsgSize(int(s.maxBody)))
	s.grpcSrv.RegisterService(&traceService, s)
	s.grpcEndpoint = "http://" + ln.Addr().String()
	s.grpcServed = make(chan error, 1)
	go func() { s.grpcServed <- s.grpcSrv.Serve(ln) }()
	return nil
}

// closeGRPC stops the gRPC server after the calls in progress, or after
// 5 seconds.
func (s *Sink) closeGRPC() error {
	stopped := make(chan struct{})
	go func() {
		s.grpcSrv.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		s.grpcSrv.Stop()
		<-stopped
	}
	if err := <-s.grpcServed; err != nil && !errors.Is(err, grpc.ErrServerStopped) {
		return err
	}
	return nil
}
