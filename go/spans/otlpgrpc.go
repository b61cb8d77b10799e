package spans

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// traceExportMethod is the OTLP/gRPC method that receives spans
// (opentelemetry-proto, collector/trace/v1/trace_service.proto).
const traceExportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"

// grpcSender sends export requests to an OTLP/gRPC endpoint: the bytes
// the encoder wrote, as they are, through a codec that does not encode.
type grpcSender struct {
	// target is the endpoint's host and port.
	target string
	// conns are one connection for each export in flight: a connection
	// writes through one goroutine of its own, which among a thousand VUs
	// gets as little CPU as one of them, so exports that share one go no
	// faster than one at a time.
	conns []*grpc.ClientConn
	next  atomic.Uint32
	// md is cfg.Headers, nil without any.
	md metadata.MD
}

// newGRPCExporter returns an exporter to the OTLP/gRPC endpoint
// cfg.Endpoint, with cfg.Headers as metadata: plaintext for an http://
// endpoint, TLS with the system's roots for an https:// one, as the SDK's
// otlptracegrpc does. Nothing connects until the first export.
func newGRPCExporter(cfg Config) (*otlpExporter, error) {
	s, err := newGRPCSender(cfg, nil)
	if err != nil {
		return nil, err
	}
	return newOTLPExporter(cfg, s), nil
}

// newGRPCSender returns the sender of newGRPCExporter; an https://
// endpoint is verified with tlsConfig (nil: the system's roots).
func newGRPCSender(cfg Config, tlsConfig *tls.Config) (*grpcSender, error) {
	if err := checkEndpoint(cfg.Endpoint); err != nil {
		return nil, fmt.Errorf("OTLP endpoint %q: %w", cfg.Endpoint, err)
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("OTLP endpoint %q: %w", cfg.Endpoint, err)
	}
	creds := insecure.NewCredentials()
	if u.Scheme == "https" {
		creds = credentials.NewTLS(tlsConfig)
	}
	s := &grpcSender{target: u.Host}
	for range cfg.concurrentExports() {
		// A path in the URL is not gRPC's: the SDK ignores it too.
		conn, err := grpc.NewClient(u.Host,
			grpc.WithTransportCredentials(creds),
			grpc.WithUserAgent(otlpUserAgent),
			grpc.WithDefaultCallOptions(
				grpc.ForceCodecV2(rawCodec{}),
				grpc.MaxCallRecvMsgSize(maxResponseBody),
				// An export waits, within its timeout, for a connection
				// that is being made again, rather than fail at once and
				// wait for the exporter's backoff too.
				grpc.WaitForReady(true),
			),
			grpc.WithConnectParams(reconnect),
		)
		if err != nil {
			s.close()
			return nil, fmt.Errorf("OTLP endpoint %q: %w", cfg.Endpoint, err)
		}
		s.conns = append(s.conns, conn)
	}
	if len(cfg.Headers) > 0 {
		s.md = metadata.New(cfg.Headers) // lower-cases the names, as gRPC requires
	}
	return s, nil
}

// reconnect is how often a connection is tried again while the
// collector refuses it: gRPC's default backoff, but at most 2 s apart
// rather than 120 s, so that a collector back from a restart gets the
// exports within 2 s. An export waits for it only within its timeout.
var reconnect = func() grpc.ConnectParams {
	b := backoff.DefaultConfig
	b.MaxDelay = 2 * time.Second
	return grpc.ConnectParams{Backoff: b, MinConnectTimeout: 20 * time.Second} // 20 s: gRPC's default
}()

func (s *grpcSender) close() {
	for _, c := range s.conns {
		_ = c.Close()
	}
}

// send calls Export once with body. Its retryable errors are those the
// OTLP specification names for gRPC.
func (s *grpcSender) send(ctx context.Context, body []byte, holds *bodyHolds) error {
	if s.md != nil {
		ctx = metadata.NewOutgoingContext(ctx, s.md)
	}
	var resp []byte
	conn := s.conns[int(s.next.Add(1))%len(s.conns)]
	err := conn.Invoke(ctx, traceExportMethod, &grpcRequest{body: body, holds: holds}, &resp)
	if err == nil {
		return partialSuccessError(resp)
	}
	st := status.Convert(err)
	serr := &grpcStatusError{target: s.target, status: st}
	if ctx.Err() != nil && conn.GetState() != connectivity.Ready {
		// The call waited for a connection (WaitForReady) that was not
		// made before ctx ended.
		return fmt.Errorf("%w: %w", errUnreachable, serr)
	}
	if retry, after := grpcRetryable(st); retry {
		return &retryableError{err: serr, after: after}
	}
	return serr
}

// grpcRetryable says whether another attempt may succeed after st, and
// how long the endpoint asked to wait: the codes of OTLP's specification,
// and ResourceExhausted only when the endpoint says with RetryInfo when
// it may recover.
// https://opentelemetry.io/docs/specs/otlp/#failures
func grpcRetryable(st *status.Status) (bool, time.Duration) {
	switch st.Code() {
	case codes.Canceled, codes.DeadlineExceeded, codes.Aborted, codes.OutOfRange,
		codes.Unavailable, codes.DataLoss:
		_, after := retryInfo(st)
		return true, after
	case codes.ResourceExhausted:
		return retryInfo(st)
	}
	return false, 0
}

// retryInfo returns the RetryInfo detail's retry_delay, if st has one.
func retryInfo(st *status.Status) (bool, time.Duration) {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			// An hour is past any export deadline, as for Retry-After.
			return true, min(max(ri.GetRetryDelay().AsDuration(), 0), time.Hour)
		}
	}
	return false, 0
}

// grpcStatusError is a status other than OK: it names the endpoint, the
// code and the start of the message.
type grpcStatusError struct {
	target string
	status *status.Status
}

func (e *grpcStatusError) Error() string {
	msg := strings.TrimSpace(e.status.Message())
	if len(msg) > maxErrorBody {
		msg = strings.ToValidUTF8(msg[:maxErrorBody], "") + "…"
	}
	if msg == "" {
		msg = "(empty)"
	}
	return fmt.Sprintf("%v: gRPC %s: %s (message: %s)", errExportFailed, e.target, e.status.Code(), msg)
}

func (e *grpcStatusError) Unwrap() error { return errExportFailed }

// GRPCStatus makes the status readable by [status.FromError].
func (e *grpcStatusError) GRPCStatus() *status.Status { return e.status }

// grpcRequest is an encoded export request, for [rawCodec]. gRPC frees
// the message it marshalled when it no longer reads it, which releases
// the hold on the buffer: grpcRequest is the buffer's [mem.BufferPool].
type grpcRequest struct {
	body  []byte
	holds *bodyHolds
}

// Get is not called: gRPC gets buffers from the pool of the buffer it
// frees only to copy a message, which it does not with these.
func (r *grpcRequest) Get(n int) *[]byte {
	b := make([]byte, n)
	return &b
}

// Put is the free of the message's buffer.
func (r *grpcRequest) Put(*[]byte) { r.holds.release() }

// errRawCodec: the codec was given something else than its types.
var errRawCodec = errors.New("the OTLP gRPC codec encodes only its own types")

// rawCodec sends a *grpcRequest's bytes as they are and receives a
// response's bytes into a *[]byte: the exporter encodes and decodes.
type rawCodec struct{}

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	r, ok := v.(*grpcRequest)
	if !ok {
		return nil, fmt.Errorf("%w: %T", errRawCodec, v)
	}
	r.holds.hold()
	// gRPC does not count the references of a buffer under its pooling
	// threshold (1 KiB) and never frees it: its hold is never released,
	// and the exporter does not reuse so small a buffer.
	return mem.BufferSlice{mem.NewBuffer(&r.body, r)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("%w: %T", errRawCodec, v)
	}
	*b = data.Materialize()
	return nil
}

// Name is the content-subtype: the bytes are protobuf.
func (rawCodec) Name() string { return "proto" }
