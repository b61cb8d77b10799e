package grpcserver

import (
	"context"
	"errors"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/metadata"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// The trace context the test's calls carry, set by hand in the outgoing
// metadata as k6 sets it.
const (
	traceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	parentID    = "00f067aa0ba902b7"
	traceparent = "00-" + traceID + "-" + parentID + "-01"
)

// The full methods of the calls.
const (
	methodUnary      = "/grpc.testing.TestService/UnaryCall"
	methodStreamOut  = "/grpc.testing.TestService/StreamingOutputCall"
	methodFullDuplex = "/grpc.testing.TestService/FullDuplexCall"
	methodStreamIn   = "/grpc.testing.TestService/StreamingInputCall"
	methodReflection = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"
)

func dial(t *testing.T, addr string) testpb.TestServiceClient {
	t.Helper()
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return testpb.NewTestServiceClient(conn)
}

func stopServer(t *testing.T, s *Server) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	})
}

func echo(code codes.Code, msg string) *testpb.EchoStatus {
	return &testpb.EchoStatus{Code: int32(code), Message: msg}
}

func sizes(n ...int32) []*testpb.ResponseParameters {
	out := make([]*testpb.ResponseParameters, len(n))
	for i, size := range n {
		out[i] = &testpb.ResponseParameters{Size: size}
	}
	return out
}

// recvAll reads a stream's responses up to its end, and returns their
// payload sizes and the error that ended it (nil for OK).
func recvAll(recv func() (*testpb.StreamingOutputCallResponse, error)) ([]int, error) {
	var got []int
	for {
		resp, err := recv()
		if errors.Is(err, io.EOF) {
			return got, nil
		}
		if err != nil {
			return got, err
		}
		got = append(got, len(resp.GetPayload().GetBody()))
	}
}

func TestServer(t *testing.T) {
	t.Parallel()
	sink, err := otlpsink.Start(otlpsink.Options{Keep: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sink.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, sink.Endpoint())
	require.NoError(t, err)
	stopServer(t, srv)
	client := dial(t, srv.Addr)
	callCtx := metadata.AppendToOutgoingContext(ctx, "traceparent", traceparent)

	// Unary: a payload of the size asked for, or the status asked for.
	resp, err := client.UnaryCall(callCtx, &testpb.SimpleRequest{ResponseSize: 10})
	require.NoError(t, err)
	require.Len(t, resp.GetPayload().GetBody(), 10)

	_, err = client.UnaryCall(callCtx, &testpb.SimpleRequest{ResponseStatus: echo(codes.NotFound, "no such thing")})
	require.Equal(t, codes.NotFound, status.Code(err))
	require.Equal(t, "no such thing", status.Convert(err).Message())

	_, err = client.UnaryCall(callCtx, &testpb.SimpleRequest{ResponseStatus: echo(codes.Internal, "broken")})
	require.Equal(t, codes.Internal, status.Code(err))

	// Server streaming: one response per parameter, sizes as asked.
	out, err := client.StreamingOutputCall(callCtx, &testpb.StreamingOutputCallRequest{
		ResponseParameters: []*testpb.ResponseParameters{{Size: 1}, {Size: 2, IntervalUs: 1000}, {Size: 3}},
	})
	require.NoError(t, err)
	got, err := recvAll(out.Recv)
	require.NoError(t, err)
	require.Equal(t, []int{1, 2, 3}, got)

	// Bidirectional: one response per request here (an empty one for a
	// request without parameters), then OK on the half-close.
	duplex, err := client.FullDuplexCall(callCtx)
	require.NoError(t, err)
	require.NoError(t, duplex.Send(&testpb.StreamingOutputCallRequest{}))
	require.NoError(t, duplex.Send(&testpb.StreamingOutputCallRequest{ResponseParameters: sizes(5)}))
	require.NoError(t, duplex.CloseSend())
	got, err = recvAll(duplex.Recv)
	require.NoError(t, err)
	require.Equal(t, []int{0, 5}, got)

	// Reflection, as k6 uses it to connect without .proto files.
	conn, err := grpc.NewClient(srv.Addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	refl, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
	require.NoError(t, err)
	require.NoError(t, refl.Send(&reflectionpb.ServerReflectionRequest{
		MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{},
	}))
	reflResp, err := refl.Recv()
	require.NoError(t, err)
	var services []string
	for _, s := range reflResp.GetListServicesResponse().GetService() {
		services = append(services, s.GetName())
	}
	require.Contains(t, services, "grpc.testing.TestService")
	require.NoError(t, refl.CloseSend())
	_, err = refl.Recv()
	require.ErrorIs(t, err, io.EOF)

	calls := srv.Calls()
	var methods []string
	for _, c := range calls {
		methods = append(methods, c.Method)
	}
	require.Equal(t, []string{methodUnary, methodUnary, methodUnary, methodStreamOut, methodFullDuplex, methodReflection}, methods)
	for i, want := range []int{1, 1, 1, 1, 2, 1} {
		require.Equal(t, want, calls[i].Received, "call %d, %s", i, calls[i].Method)
	}
	for _, c := range calls[:5] {
		require.Equal(t, []string{traceparent}, c.Metadata["traceparent"], c.Method)
	}
	require.NotContains(t, calls[5].Metadata, "traceparent")

	// The result is a copy.
	calls[0].Metadata["traceparent"][0] = "changed"
	require.Equal(t, traceparent, srv.Calls()[0].Metadata["traceparent"][0])

	stopCtx, stopCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopCancel()
	require.NoError(t, srv.Stop(stopCtx))
	require.NoError(t, srv.Stop(stopCtx), "a second Stop")

	// Stop flushed the provider: every span is in the sink.
	var spans []otlpsink.Span
	for _, s := range sink.Spans() {
		if s.Service == ServiceName && s.Kind == "server" {
			spans = append(spans, s)
		}
	}
	require.Len(t, spans, 6)
	byStatus := map[string]otlpsink.Span{}
	var names []string
	for _, s := range spans {
		names = append(names, s.Name)
		if s.Name == "grpc.reflection.v1.ServerReflection/ServerReflectionInfo" {
			require.Empty(t, s.ParentID, "the reflection call carried no trace context")
			continue
		}
		require.Equal(t, traceID, s.TraceID, s.Name)
		require.Equal(t, parentID, s.ParentID, s.Name)
		if s.Name == "grpc.testing.TestService/UnaryCall" {
			byStatus[s.Attrs["rpc.response.status_code"]] = s
		}
	}
	slices.Sort(names)
	require.Equal(t, []string{
		"grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
		"grpc.testing.TestService/FullDuplexCall",
		"grpc.testing.TestService/StreamingOutputCall",
		"grpc.testing.TestService/UnaryCall",
		"grpc.testing.TestService/UnaryCall",
		"grpc.testing.TestService/UnaryCall",
	}, names)
	require.Len(t, byStatus, 3)
	require.False(t, byStatus["OK"].StatusError)
	// As the RPC semantic conventions say, and otelgrpc does: a server
	// span's status is Error for the codes that are the server's fault
	// only; NOT_FOUND is the client's.
	require.False(t, byStatus["NOT_FOUND"].StatusError)
	require.True(t, byStatus["INTERNAL"].StatusError)
	require.Equal(t, "broken", byStatus["INTERNAL"].StatusMessage)
}

func TestServerStreamsFail(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, "")
	require.NoError(t, err)
	stopServer(t, srv)
	client := dial(t, srv.Addr)

	// The responses asked for, then the status.
	out, err := client.StreamingOutputCall(ctx, &testpb.StreamingOutputCallRequest{
		ResponseParameters: sizes(1, 2),
		ResponseStatus:     echo(codes.Unavailable, "later"),
	})
	require.NoError(t, err)
	got, err := recvAll(out.Recv)
	require.Equal(t, codes.Unavailable, status.Code(err))
	require.Equal(t, []int{1, 2}, got)

	// A request with a status gets no implicit empty response, as the
	// interop status_code_and_message test expects.
	duplex, err := client.FullDuplexCall(ctx)
	require.NoError(t, err)
	require.NoError(t, duplex.Send(&testpb.StreamingOutputCallRequest{ResponseParameters: sizes(3)}))
	require.NoError(t, duplex.Send(&testpb.StreamingOutputCallRequest{ResponseStatus: echo(codes.Aborted, "stop")}))
	got, err = recvAll(duplex.Recv)
	require.Equal(t, codes.Aborted, status.Code(err))
	require.Equal(t, []int{3}, got)

	// Sizes are capped.
	resp, err := client.UnaryCall(ctx, &testpb.SimpleRequest{ResponseSize: maxPayloadBytes + 1})
	require.NoError(t, err)
	require.Len(t, resp.GetPayload().GetBody(), maxPayloadBytes)

	// A code outside gRPC's is Unknown.
	_, err = client.UnaryCall(ctx, &testpb.SimpleRequest{ResponseStatus: echo(99, "odd")})
	require.Equal(t, codes.Unknown, status.Code(err))

	// Unimplemented methods are recorded too.
	in, err := client.StreamingInputCall(ctx)
	require.NoError(t, err)
	_, err = in.CloseAndRecv()
	require.Equal(t, codes.Unimplemented, status.Code(err))

	calls := srv.Calls()
	require.Len(t, calls, 5)
	require.Equal(t, methodStreamOut, calls[0].Method)
	require.Equal(t, 1, calls[0].Received)
	require.Equal(t, methodFullDuplex, calls[1].Method)
	require.Equal(t, 2, calls[1].Received)
	require.Equal(t, methodStreamIn, calls[4].Method)
	require.NotContains(t, calls[0].Metadata, "traceparent")
}

// TestStopBounded checks that a call the client never ends cannot hold
// Stop past its context.
func TestStopBounded(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, "")
	require.NoError(t, err)
	client := dial(t, srv.Addr)

	duplex, err := client.FullDuplexCall(ctx)
	require.NoError(t, err)
	require.NoError(t, duplex.Send(&testpb.StreamingOutputCallRequest{}))
	_, err = duplex.Recv() // the call is being served
	require.NoError(t, err)

	stopCtx, stopCancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer stopCancel()
	start := time.Now()
	err = srv.Stop(stopCtx)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 5*time.Second)
	require.ErrorIs(t, srv.Stop(context.Background()), context.DeadlineExceeded, "a second Stop returns the first one's result")

	_, err = duplex.Recv()
	require.Error(t, err)
}
