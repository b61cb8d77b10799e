package grpcserver

import (
	"context"
	"maps"
	"slices"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// Call is one call the server received.
type Call struct {
	// Method is the full method name, e.g.
	// "/grpc.testing.TestService/UnaryCall".
	Method string
	// Metadata is the call's incoming metadata, keys in lower case, as
	// metadata.FromIncomingContext has it: what the client sent (the
	// traceparent among it) and what grpc-go adds, such as ":authority",
	// "content-type" and "user-agent".
	Metadata map[string][]string
	// Received is how many request messages the server has read: 1 for a
	// unary call, the number read so far for a stream.
	Received int
}

// Calls returns the calls the server received so far, in the order they
// started, reflection calls included (k6 makes one to connect with
// reflect: true). A call is recorded before its handler runs, and each of
// its messages counted as soon as it is read, so a client that has its
// final response sees its call complete here. A call is recorded only
// once its method is known and, for a unary one, its request decoded: a
// call to an unknown service, or with a malformed request, is not.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Call, len(s.calls))
	for i, c := range s.calls {
		out[i] = *c
		// A deep copy, so that a caller changing the result changes
		// nothing here.
		out[i].Metadata = maps.Clone(c.Metadata)
		for k, v := range out[i].Metadata {
			out[i].Metadata[k] = slices.Clone(v)
		}
	}
	return out
}

// record adds a call of method with ctx's incoming metadata, and returns
// it for its message count to be updated.
func (s *Server) record(ctx context.Context, method string, received int) *Call {
	md, _ := metadata.FromIncomingContext(ctx)
	c := &Call{Method: method, Metadata: md.Copy(), Received: received}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
	return c
}

// received counts one more message read on c.
func (s *Server) received(c *Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c.Received++
}

// recordUnary records a unary call, whose one request grpc-go has already
// decoded when an interceptor runs, and bounds its duration.
func (s *Server) recordUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	s.record(ctx, info.FullMethod, 1)
	ctx, cancel := context.WithTimeout(ctx, maxCallDuration)
	defer cancel()
	return handler(ctx, req)
}

// recordStream records a streaming call, counts its messages as they are
// read, and bounds its duration.
func (s *Server) recordStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	c := s.record(ss.Context(), info.FullMethod, 0)
	ctx, cancel := context.WithTimeout(ss.Context(), maxCallDuration)
	defer cancel()
	return handler(srv, &recordingStream{ServerStream: ss, ctx: ctx, server: s, call: c})
}

// recordingStream is a ServerStream whose context is bounded and whose
// messages read are counted in call.
type recordingStream struct {
	grpc.ServerStream
	ctx    context.Context
	server *Server
	call   *Call
}

func (r *recordingStream) Context() context.Context { return r.ctx }

func (r *recordingStream) RecvMsg(m any) error {
	err := r.ServerStream.RecvMsg(m)
	if err == nil {
		r.server.received(r.call)
	}
	return err
}
