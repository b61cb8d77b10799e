package spans

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/connectivity"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
)

// grpcCollector is a loopback OTLP/gRPC endpoint: a gRPC server with the
// TraceService of OpenTelemetry's generated protos, whose answers handle
// makes. It counts the requests and keeps each one, decoded, with its
// metadata.
type grpcCollector struct {
	coltracepb.UnimplementedTraceServiceServer
	addr     string
	handle   func(n int, ctx context.Context) (*coltracepb.ExportTraceServiceResponse, error)
	requests atomic.Int32

	mu       sync.Mutex
	received []*coltracepb.ExportTraceServiceRequest
	md       []metadata.MD
}

func newGRPCCollector(t *testing.T, handle func(n int, ctx context.Context) (*coltracepb.ExportTraceServiceResponse, error), opts ...grpc.ServerOption) *grpcCollector {
	t.Helper()
	if handle == nil {
		handle = func(int, context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
			return &coltracepb.ExportTraceServiceResponse{}, nil
		}
	}
	c := &grpcCollector{handle: handle}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer(opts...)
	coltracepb.RegisterTraceServiceServer(srv, c)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(srv.Stop)
	c.addr = ln.Addr().String()
	return c
}

func (c *grpcCollector) Export(ctx context.Context, req *coltracepb.ExportTraceServiceRequest) (*coltracepb.ExportTraceServiceResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	c.mu.Lock()
	c.received = append(c.received, req)
	c.md = append(c.md, md)
	c.mu.Unlock()
	return c.handle(int(c.requests.Add(1)), ctx)
}

// last returns the last request and its metadata.
func (c *grpcCollector) last(t *testing.T) (*coltracepb.ExportTraceServiceRequest, metadata.MD) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	require.NotEmpty(t, c.received, "no request reached the collector")
	return c.received[len(c.received)-1], c.md[len(c.md)-1]
}

// url is the collector's endpoint for Config, over plaintext.
func (c *grpcCollector) url() string { return "http://" + c.addr }

// answer is a handler that answers every request with err (nil: OK).
func answer(err error) func(int, context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
	return func(int, context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
		if err != nil {
			return nil, err
		}
		return &coltracepb.ExportTraceServiceResponse{}, nil
	}
}

func newTestGRPCExporter(t *testing.T, cfg Config) *otlpExporter {
	t.Helper()
	return newTestExporter(t, cfg, newGRPCExporter)
}

// newSDKGRPCExporter is the SDK's exporter that newGRPCExporter replaces,
// without retries.
func newSDKGRPCExporter(tb testing.TB, endpoint string) sdktrace.SpanExporter {
	tb.Helper()
	exp, err := otlptracegrpc.New(context.Background(), otlptracegrpc.WithEndpointURL(endpoint),
		otlptracegrpc.WithRetry(otlptracegrpc.RetryConfig{Enabled: false}))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp
}

// The same spans reach a gRPC collector from the SDK's exporter and from
// ours as the same request, and ours is what the encoder encodes.
func TestGRPCExportRequestMatchesSDK(t *testing.T) {
	for name, spans := range map[string][]sdktrace.ReadOnlySpan{
		"varied":             otlpVariedSpans(t),
		"512 client spans":   benchClientSpans(t, maxExportBatch),
		"shared sets, mixed": sharedSetSpans(),
	} {
		t.Run(name, func(t *testing.T) {
			c := newGRPCCollector(t, nil)
			require.NoError(t, newSDKGRPCExporter(t, c.url()).ExportSpans(context.Background(), spans))
			want, _ := c.last(t)
			require.NoError(t, newTestGRPCExporter(t, Config{Endpoint: c.url()}).ExportSpans(context.Background(), spans))
			got, _ := c.last(t)
			require.EqualValues(t, 2, c.requests.Load())
			require.True(t, proto.Equal(decodeRequest(t, appendExportRequest(nil, spans)), got),
				"the exporter sends what appendExportRequest encodes")
			requireSameRequest(t, want, got)
		})
	}
}

// sharedSetSpans are ended spans with shared attribute sets.
func sharedSetSpans() []sdktrace.ReadOnlySpan {
	url := NewSharedAttributes(everyAttributeType()...)
	return []sdktrace.ReadOnlySpan{endedWithSets(nil, url, nil), nil, endedWithSets(nil, nil, url)}
}

func TestGRPCExporterSendsHeadersAsMetadata(t *testing.T) {
	c := newGRPCCollector(t, nil)
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url(), Headers: map[string]string{
		"Authorization": "Bearer secret",
		"X-Scope-OrgID": "tenant-1",
	}})
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	_, md := c.last(t)
	require.Equal(t, []string{"Bearer secret"}, md.Get("authorization"))
	require.Equal(t, []string{"tenant-1"}, md.Get("x-scope-orgid"))
	require.Len(t, md.Get("user-agent"), 1)
	require.Contains(t, md.Get("user-agent")[0], "xk6-tracing")
	require.Equal(t, []string{"application/grpc+proto"}, md.Get("content-type"))

	// Without headers, no metadata of ours.
	c = newGRPCCollector(t, nil)
	require.NoError(t, newTestGRPCExporter(t, Config{Endpoint: c.url()}).ExportSpans(context.Background(), threeClientSpans(t)))
	_, md = c.last(t)
	require.Empty(t, md.Get("authorization"))
}

// The next export reuses the buffer once gRPC freed the message, which a
// buffer of more than 1 KiB tells.
func TestGRPCExporterReusesTheBuffer(t *testing.T) {
	c := newGRPCCollector(t, nil)
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
	spans := benchClientSpans(t, 16)
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	require.Greater(t, cap(idleBuffer(exp)), 1<<10)
	first := &idleBuffer(exp)[0]
	require.NoError(t, exp.ExportSpans(context.Background(), spans[:8]))
	require.Same(t, first, &idleBuffer(exp)[0])
	got, _ := c.last(t)
	require.True(t, proto.Equal(decodeRequest(t, appendExportRequest(nil, spans[:8])), got))
}

// rawCodec holds the request's buffer until gRPC frees the message; a
// buffer too small for gRPC to count its references stays held.
func TestRawCodecHoldsTheBufferUntilFreed(t *testing.T) {
	var holds bodyHolds
	big := &grpcRequest{body: make([]byte, 2<<10), holds: &holds}
	msg, err := rawCodec{}.Marshal(big)
	require.NoError(t, err)
	require.Same(t, &big.body[0], &msg[0].ReadOnlyData()[0], "not copied")
	require.EqualValues(t, 1, holds.n.Load())
	msg.Free()
	require.Zero(t, holds.n.Load())

	small := &grpcRequest{body: make([]byte, 10), holds: &holds}
	msg, err = rawCodec{}.Marshal(small)
	require.NoError(t, err)
	msg.Free()
	require.EqualValues(t, 1, holds.n.Load(), "never released")

	_, err = rawCodec{}.Marshal([]byte("x"))
	require.ErrorIs(t, err, errRawCodec)
	var resp []byte
	require.NoError(t, rawCodec{}.Unmarshal(mem.BufferSlice{mem.SliceBuffer("ok")}, &resp))
	require.Equal(t, []byte("ok"), resp)
	require.ErrorIs(t, rawCodec{}.Unmarshal(nil, new(string)), errRawCodec)
}

func TestGRPCExporterRetriesUnavailable(t *testing.T) {
	c := newGRPCCollector(t, func(n int, _ context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
		if n == 1 {
			return nil, status.Error(codes.Unavailable, "busy")
		}
		return &coltracepb.ExportTraceServiceResponse{}, nil
	})
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
	spans := threeClientSpans(t)
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	require.EqualValues(t, 2, c.requests.Load())
	for _, req := range c.received {
		require.True(t, proto.Equal(decodeRequest(t, appendExportRequest(nil, spans)), req), "every attempt sends the whole request")
	}
}

// withRetryInfo is st with a RetryInfo of delay.
func withRetryInfo(t *testing.T, code codes.Code, delay time.Duration) error {
	t.Helper()
	st, err := status.New(code, "throttled").WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(delay)})
	require.NoError(t, err)
	return st.Err()
}

// The codes OTLP's specification says to retry are retried (the first
// attempt fails, the second succeeds); the others fail the export at once,
// and so does ResourceExhausted unless the status says when to retry.
func TestGRPCExporterRetriesTheSpecificationsCodes(t *testing.T) {
	tests := []struct {
		code      codes.Code
		retryInfo bool
		retried   bool
	}{
		{codes.Canceled, false, true},
		{codes.DeadlineExceeded, false, true},
		{codes.Aborted, false, true},
		{codes.OutOfRange, false, true},
		{codes.Unavailable, false, true},
		{codes.DataLoss, false, true},
		{codes.ResourceExhausted, false, false},
		{codes.ResourceExhausted, true, true},
		{codes.InvalidArgument, false, false},
		{codes.InvalidArgument, true, false},
		{codes.Unknown, false, false},
		{codes.NotFound, false, false},
		{codes.AlreadyExists, false, false},
		{codes.PermissionDenied, false, false},
		{codes.FailedPrecondition, false, false},
		{codes.Unimplemented, false, false},
		{codes.Internal, false, false},
		{codes.Unauthenticated, false, false},
	}
	for _, tt := range tests {
		name := tt.code.String()
		first := status.Error(tt.code, "x")
		if tt.retryInfo {
			name += " with RetryInfo"
			first = withRetryInfo(t, tt.code, 0)
		}
		t.Run(name, func(t *testing.T) {
			c := newGRPCCollector(t, func(n int, _ context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
				if n == 1 {
					return nil, first
				}
				return &coltracepb.ExportTraceServiceResponse{}, nil
			})
			err := newTestGRPCExporter(t, Config{Endpoint: c.url()}).ExportSpans(context.Background(), threeClientSpans(t))
			if tt.retried {
				require.NoError(t, err)
				require.EqualValues(t, 2, c.requests.Load())
				return
			}
			require.ErrorIs(t, err, errExportFailed)
			require.Equal(t, status.Code(first), status.Code(err), "the status is readable from the error")
			require.EqualValues(t, 1, c.requests.Load())
		})
	}
}

func TestGRPCExporterHonoursRetryInfo(t *testing.T) {
	const delay = 700 * time.Millisecond
	for _, code := range []codes.Code{codes.ResourceExhausted, codes.Unavailable} {
		t.Run(code.String(), func(t *testing.T) {
			var first, waited atomic.Int64
			c := newGRPCCollector(t, func(n int, _ context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
				if n == 1 {
					first.Store(time.Now().UnixNano())
					return nil, withRetryInfo(t, code, delay)
				}
				waited.Store(time.Now().UnixNano() - first.Load())
				return &coltracepb.ExportTraceServiceResponse{}, nil
			})
			exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
			exp.retry = slowRetry // its first wait, 2.5 to 7.5 s, is not the one asked for
			require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
			require.GreaterOrEqual(t, time.Duration(waited.Load()), delay)
			require.Less(t, time.Duration(waited.Load()), 2*time.Second, "the wait asked for, not the backoff's")
		})
	}

	t.Run("a delay past the deadline is not waited for", func(t *testing.T) {
		c := newGRPCCollector(t, answer(withRetryInfo(t, codes.ResourceExhausted, 30*time.Second)))
		exp := newTestGRPCExporter(t, Config{Endpoint: c.url(), ExportTimeout: 5 * time.Second})
		exp.retry = defaultRetry
		start := time.Now()
		err := exp.ExportSpans(context.Background(), threeClientSpans(t))
		require.Less(t, time.Since(start), 2*time.Second)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "the next attempt, in 30s, would be too late")
		require.ErrorContains(t, err, "ResourceExhausted (message: throttled)")
		require.EqualValues(t, 1, c.requests.Load())
	})
}

func TestGRPCExporterDoesNotRetryInvalidArgument(t *testing.T) {
	c := newGRPCCollector(t, answer(status.Error(codes.InvalidArgument, "  span 3 is malformed  ")))
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
	exp.retry = defaultRetry
	start := time.Now()
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.Less(t, time.Since(start), 2*time.Second)
	require.ErrorIs(t, err, errExportFailed)
	require.EqualError(t, err, "OTLP export failed: gRPC "+c.addr+": InvalidArgument (message: span 3 is malformed)")
	require.EqualValues(t, 1, c.requests.Load())

	long := newGRPCCollector(t, answer(status.Error(codes.PermissionDenied, strings.Repeat("é", maxErrorBody))))
	err = newTestGRPCExporter(t, Config{Endpoint: long.url()}).ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorContains(t, err, "PermissionDenied (message: "+strings.Repeat("é", maxErrorBody/2)+"…)")

	empty := newGRPCCollector(t, answer(status.Error(codes.NotFound, "")))
	err = newTestGRPCExporter(t, Config{Endpoint: empty.url()}).ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorContains(t, err, "NotFound (message: (empty))")
}

func TestGRPCExporterPartialSuccess(t *testing.T) {
	export := func(ps *coltracepb.ExportTracePartialSuccess) error {
		c := newGRPCCollector(t, func(int, context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
			return &coltracepb.ExportTraceServiceResponse{PartialSuccess: ps}, nil
		})
		return newTestGRPCExporter(t, Config{Endpoint: c.url()}).ExportSpans(context.Background(), threeClientSpans(t))
	}
	err := export(&coltracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "too old"})
	require.ErrorIs(t, err, errPartialSuccess)
	require.ErrorContains(t, err, "too old (3 spans rejected)")
	require.ErrorContains(t, export(&coltracepb.ExportTracePartialSuccess{RejectedSpans: 2}), "no message (2 spans rejected)")
	require.ErrorContains(t, export(&coltracepb.ExportTracePartialSuccess{ErrorMessage: "a warning"}), "a warning (0 spans rejected)")
	require.NoError(t, export(&coltracepb.ExportTracePartialSuccess{}), "an empty partial success is a success")
	require.NoError(t, export(nil))
}

func TestGRPCExporterRefusesAHugeResponse(t *testing.T) {
	huge := &coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{
		ErrorMessage: strings.Repeat("x", maxResponseBody),
	}}
	c := newGRPCCollector(t, func(int, context.Context) (*coltracepb.ExportTraceServiceResponse, error) { return huge, nil })
	err := newTestGRPCExporter(t, Config{Endpoint: c.url()}).ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, errExportFailed)
	require.Equal(t, codes.ResourceExhausted, status.Code(err))
	require.EqualValues(t, 1, c.requests.Load(), "not retried")
}

// A collector that is down or does not answer costs an export no more
// than the export timeout, retries included.
func TestGRPCExporterTimeoutBoundsAnExport(t *testing.T) {
	const timeout = 500 * time.Millisecond
	// Room for a loaded machine; without the bound, an export would wait
	// for a collector that is down (it waits for a connection) or does not
	// answer, forever.
	const slack = 1500 * time.Millisecond

	t.Run("down", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		require.NoError(t, ln.Close()) // A port just closed refuses connections.
		exp := newTestGRPCExporter(t, Config{Endpoint: "http://" + ln.Addr().String(), ExportTimeout: timeout})
		exp.retry = defaultRetry
		start := time.Now()
		err = exp.ExportSpans(context.Background(), threeClientSpans(t))
		require.Less(t, time.Since(start), timeout+slack)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "connection refused", "the error says why")
	})

	t.Run("slow", func(t *testing.T) {
		c := newGRPCCollector(t, func(_ int, ctx context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(timeout + 2*slack):
				return &coltracepb.ExportTraceServiceResponse{}, nil
			}
		})
		exp := newTestGRPCExporter(t, Config{Endpoint: c.url(), ExportTimeout: timeout})
		exp.retry = defaultRetry
		start := time.Now()
		err := exp.ExportSpans(context.Background(), threeClientSpans(t))
		require.Less(t, time.Since(start), timeout+slack)
		require.GreaterOrEqual(t, time.Since(start), timeout)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.EqualValues(t, 1, c.requests.Load())
	})

	t.Run("through the provider", func(t *testing.T) {
		c := newGRPCCollector(t, func(_ int, ctx context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		})
		cfg := DefaultConfig()
		cfg.Protocol, cfg.Endpoint, cfg.ExportTimeout, cfg.FlushTimeout = GRPC, c.url(), timeout, time.Minute
		p, err := Start(context.Background(), cfg)
		require.NoError(t, err)
		_, span := p.Tracer().Start(context.Background(), "GET")
		span.End()
		start := time.Now()
		stats, err := p.Shutdown(context.Background())
		require.Less(t, time.Since(start), timeout+slack)
		require.ErrorContains(t, err, "export timeout")
		require.ErrorContains(t, err, "DeadlineExceeded")
		require.Equal(t, Stats{Ended: 1, Failed: 1}, stats)
	})
}

func TestGRPCExporterShutdown(t *testing.T) {
	arrived := make(chan struct{}, 1)
	c := newGRPCCollector(t, func(_ int, ctx context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
		arrived <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	})
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
	requireShutdownInterrupts(t, exp, arrived, c.requests.Load)
}

func TestGRPCExporterSendsNothingWithoutSpans(t *testing.T) {
	c := newGRPCCollector(t, nil)
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url()})
	require.NoError(t, exp.ExportSpans(context.Background(), nil))
	require.NoError(t, exp.ExportSpans(context.Background(), []sdktrace.ReadOnlySpan{nil}))
	require.Zero(t, c.requests.Load())
}

func TestNewGRPCExporterChecksTheEndpoint(t *testing.T) {
	for _, endpoint := range []string{"", "localhost:4317", "ftp://collector:4317", "http://"} {
		_, err := newGRPCExporter(Config{Endpoint: endpoint})
		require.Error(t, err, endpoint)
	}
}

// selfSigned is a certificate for 127.0.0.1, and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "otlp test collector"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool
}

// An https:// endpoint is reached over TLS, verified with the system's
// roots (here, a root of the test's); an http:// one in plaintext.
func TestGRPCExporterTLS(t *testing.T) {
	cert, roots := selfSigned(t)
	tlsCollector := newGRPCCollector(t, nil, grpc.Creds(credentials.NewTLS(&tls.Config{Certificates: []tls.Certificate{cert}})))
	plain := newGRPCCollector(t, nil)
	export := func(endpoint string, roots *x509.CertPool) error {
		cfg := Config{Endpoint: endpoint, ExportTimeout: time.Second}
		var tlsConfig *tls.Config
		if roots != nil {
			tlsConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
		}
		s, err := newGRPCSender(cfg, tlsConfig)
		require.NoError(t, err)
		exp := newOTLPExporter(cfg, s)
		defer func() { _ = exp.Shutdown(context.Background()) }()
		return exp.ExportSpans(context.Background(), threeClientSpans(t))
	}

	require.NoError(t, export("https://"+tlsCollector.addr, roots))
	require.EqualValues(t, 1, tlsCollector.requests.Load())

	err := export("https://"+tlsCollector.addr, nil)
	require.ErrorContains(t, err, "x509: certificate signed by unknown authority", "the system's roots do not trust the test's")

	err = export("https://"+plain.addr, nil)
	require.ErrorContains(t, err, "tls: first record does not look like a TLS handshake")
	require.Zero(t, plain.requests.Load())

	require.Error(t, export("http://"+tlsCollector.addr, nil), "no plaintext to a TLS endpoint")
	require.EqualValues(t, 1, tlsCollector.requests.Load())
}

// Each export in flight has a connection of its own: a gRPC connection
// writes through one goroutine, which among a thousand VUs gets as little
// CPU as one of them.
func TestGRPCExporterSpreadsExportsOverItsConnections(t *testing.T) {
	c := newGRPCCollector(t, nil)
	exp := newTestGRPCExporter(t, Config{Endpoint: c.url(), ConcurrentExports: 3})
	conns := exp.sender.(*grpcSender).conns
	require.Len(t, conns, 3)
	for range len(conns) {
		require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	}
	for i, conn := range conns {
		require.Equal(t, connectivity.Ready, conn.GetState(), "connection %d was used", i)
	}
}

// TestGRPCExporterWaitsForACollectorThatRestarts: an export that begins
// while the collector is down (its port refuses connections) waits for
// it within the export timeout, without a retry of the exporter's, rather
// than fail at once: a collector that restarts loses no export.
func TestGRPCExporterWaitsForACollectorThatRestarts(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	exp := newTestGRPCExporter(t, Config{Endpoint: "http://" + addr, ExportTimeout: 10 * time.Second})
	exp.retry = retryPolicy{} // no second attempt

	c := &grpcCollector{handle: answer(nil)}
	back := make(chan struct{})
	go func() {
		defer close(back)
		time.Sleep(300 * time.Millisecond) // the first connection is refused
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("listening on %s again: %v", addr, err)
			return
		}
		srv := grpc.NewServer()
		coltracepb.RegisterTraceServiceServer(srv, c)
		t.Cleanup(srv.Stop)
		go func() { _ = srv.Serve(ln) }()
	}()
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	<-back
	require.EqualValues(t, 1, c.requests.Load())
}
