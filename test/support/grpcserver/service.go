package grpcserver

import (
	"context"
	"fmt"
	"io"
	"time"

	"google.golang.org/grpc/codes"
	testpb "google.golang.org/grpc/interop/grpc_testing"
	"google.golang.org/grpc/status"
)

// Bounds of what a request can ask for.
const (
	// maxPayloadBytes caps a response payload's size.
	maxPayloadBytes = 1 << 20
	// maxResponses caps the responses one request asks for; a request
	// asking for more is refused with InvalidArgument.
	maxResponses = 1000
	// maxInterval caps the wait before one streamed response.
	maxInterval = time.Second
)

// testService is grpc-go's interop TestService, answering as each request
// says, the way the interop tests use it:
//
//   - EmptyCall answers Empty.
//   - UnaryCall fails with the request's ResponseStatus when its code is
//     not OK, and otherwise answers a payload of ResponseSize zero bytes.
//   - StreamingOutputCall sends one response per ResponseParameters entry,
//     of its Size, after waiting its IntervalUs, then fails with the
//     ResponseStatus when its code is not OK.
//   - FullDuplexCall answers each request as StreamingOutputCall does,
//     with one empty response for a request without ResponseParameters
//     and no ResponseStatus, and ends when the client half-closes, or
//     with the first ResponseStatus whose code is not OK.
//   - The other methods are Unimplemented.
//
// Sizes, counts and intervals are capped (maxPayloadBytes, maxResponses,
// maxInterval); the call's context, bounded by the interceptors, bounds
// the waits.
type testService struct {
	testpb.UnimplementedTestServiceServer
}

func (testService) EmptyCall(context.Context, *testpb.Empty) (*testpb.Empty, error) {
	return &testpb.Empty{}, nil
}

func (testService) UnaryCall(_ context.Context, req *testpb.SimpleRequest) (*testpb.SimpleResponse, error) {
	if err := echoStatus(req.GetResponseStatus()); err != nil {
		return nil, err
	}
	return &testpb.SimpleResponse{Payload: payload(req.GetResponseSize())}, nil
}

func (testService) StreamingOutputCall(req *testpb.StreamingOutputCallRequest, stream testpb.TestService_StreamingOutputCallServer) error {
	return answer(stream.Context(), stream, req, false)
}

func (testService) FullDuplexCall(stream testpb.TestService_FullDuplexCallServer) error {
	ctx := stream.Context()
	// Received in a goroutine of their own, so that a client that neither
	// sends nor half-closes cannot hold the call past ctx: Recv waits on
	// the stream alone. The goroutine's last Recv returns when the call
	// ends, which cancels the stream.
	type received struct {
		req *testpb.StreamingOutputCallRequest
		err error
	}
	requests := make(chan received)
	go func() {
		for {
			req, err := stream.Recv()
			select {
			case requests <- received{req, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	for {
		var r received
		select {
		case r = <-requests:
		case <-ctx.Done():
			return status.FromContextError(ctx.Err()).Err()
		}
		if r.err == io.EOF {
			return nil
		}
		if r.err != nil {
			return r.err
		}
		if err := answer(ctx, stream, r.req, true); err != nil {
			return err
		}
	}
}

// sender is the sending half of both streaming calls.
type sender interface {
	Send(*testpb.StreamingOutputCallResponse) error
}

// answer sends the responses req asks for, waiting each one's interval,
// then returns its ResponseStatus as an error if its code is not OK. With
// emptyIfNone, a request asking for no response and no error gets one
// empty response: FullDuplexCall answers every request.
func answer(ctx context.Context, stream sender, req *testpb.StreamingOutputCallRequest, emptyIfNone bool) error {
	params := req.GetResponseParameters()
	if len(params) > maxResponses {
		return status.Errorf(codes.InvalidArgument, "%d response parameters, more than the %d allowed", len(params), maxResponses)
	}
	fail := echoStatus(req.GetResponseStatus())
	if len(params) == 0 && fail == nil && emptyIfNone {
		return stream.Send(&testpb.StreamingOutputCallResponse{})
	}
	for _, p := range params {
		if err := wait(ctx, time.Duration(p.GetIntervalUs())*time.Microsecond); err != nil {
			return err
		}
		if err := stream.Send(&testpb.StreamingOutputCallResponse{Payload: payload(p.GetSize())}); err != nil {
			return err
		}
	}
	return fail
}

// wait sleeps d, at most maxInterval, unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(min(d, maxInterval))
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

// payload is size zero bytes, size capped to [0, maxPayloadBytes].
func payload(size int32) *testpb.Payload {
	n := min(max(int(size), 0), maxPayloadBytes)
	return &testpb.Payload{Type: testpb.PayloadType_COMPRESSABLE, Body: make([]byte, n)}
}

// echoStatus is the error a request asks for: nil for none or OK. A code
// outside gRPC's (0 to 16) becomes Unknown, the code a client makes of
// one it does not know.
func echoStatus(s *testpb.EchoStatus) error {
	code := s.GetCode()
	switch {
	case code == 0:
		return nil
	case code < 0 || code > int32(codes.Unauthenticated):
		return status.Error(codes.Unknown, fmt.Sprintf("code %d: %s", code, s.GetMessage()))
	default:
		return status.Error(codes.Code(code), s.GetMessage())
	}
}
