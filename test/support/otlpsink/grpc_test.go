package otlpsink

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// grpcProvider is provider over OTLP/gRPC.
func grpcProvider(t *testing.T, s *Sink, service string, opts ...otlptracegrpc.Option) *sdktrace.TracerProvider {
	t.Helper()
	opts = append([]otlptracegrpc.Option{otlptracegrpc.WithEndpointURL(s.GRPCEndpoint())}, opts...)
	exp, err := otlptracegrpc.New(context.Background(), opts...)
	require.NoError(t, err)
	return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
}

func TestGRPC(t *testing.T) {
	t.Parallel()
	require.Empty(t, startSink(t, Options{}).GRPCEndpoint(), "no gRPC unless asked")
	for _, tc := range []struct {
		name string
		opts []otlptracegrpc.Option
		keep bool
	}{
		{"kept", nil, true},
		{"counted", nil, false},
		{"gzip", []otlptracegrpc.Option{otlptracegrpc.WithCompressor("gzip")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSink(t, Options{Keep: tc.keep, GRPC: true})
			require.Regexp(t, `^http://127\.0\.0\.1:\d+$`, s.GRPCEndpoint())
			tp := grpcProvider(t, s, "svc", tc.opts...)
			for _, name := range []string{"a", "b", "c"} {
				_, span := tp.Tracer("test").Start(context.Background(), name)
				span.End()
			}
			require.NoError(t, tp.Shutdown(context.Background()))
			require.NoError(t, s.WaitCount(3, 5*time.Second))
			require.Equal(t, 3, s.Count())
			if !tc.keep {
				require.Empty(t, s.Spans())
				return
			}
			var names []string
			for _, sp := range s.Spans() {
				require.Equal(t, "svc", sp.Service)
				names = append(names, sp.Name)
			}
			require.Equal(t, []string{"a", "b", "c"}, names)
		})
	}
}

// A request whose protobuf does not parse is refused as InvalidArgument,
// which exporters do not retry.
func TestGRPCRefusesMalformedRequests(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{GRPC: true})
	u, err := url.Parse(s.GRPCEndpoint())
	require.NoError(t, err)
	conn, err := grpc.NewClient(u.Host, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	var resp []byte
	err = conn.Invoke(context.Background(), "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
		&[]byte{0x0a, 0x05, 0x01}, &resp, grpc.ForceCodecV2(rawCodec{}))
	require.Equal(t, codes.InvalidArgument, status.Code(err), err)
	require.Zero(t, s.Count())
}
