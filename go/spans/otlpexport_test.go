package spans

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/mem"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// partialSuccess is the protobuf of an ExportTraceServiceResponse with ps.
func partialSuccess(tb testing.TB, ps *coltracepb.ExportTracePartialSuccess) []byte {
	tb.Helper()
	b, err := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: ps})
	require.NoError(tb, err)
	return b
}

func TestPartialSuccessError(t *testing.T) {
	field := func(b []byte, num protowire.Number, typ protowire.Type, v any) []byte {
		b = protowire.AppendTag(b, num, typ)
		switch v := v.(type) {
		case uint64:
			return protowire.AppendVarint(b, v)
		case []byte:
			return protowire.AppendBytes(b, v)
		case uint32:
			return protowire.AppendFixed32(b, v)
		}
		panic(v)
	}
	ps := func(fields ...[]byte) []byte {
		var inner []byte
		for _, f := range fields {
			inner = append(inner, f...)
		}
		return field(nil, fieldPartialSuccess, protowire.BytesType, inner)
	}
	rejected := func(n uint64) []byte { return field(nil, fieldRejectedSpans, protowire.VarintType, n) }
	message := func(s string) []byte { return field(nil, fieldErrorMessage, protowire.BytesType, []byte(s)) }

	tests := []struct {
		name string
		resp []byte
		want string // "" for no error
	}{
		{"empty", nil, ""},
		{"empty partial success", ps(), ""},
		{"both", partialSuccess(t, &coltracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "too old"}),
			"OTLP partial success: too old (3 spans rejected)"},
		{"rejected only", ps(rejected(2)), "OTLP partial success: no message (2 spans rejected)"},
		{"message only", ps(message("a warning")), "OTLP partial success: a warning (0 spans rejected)"},
		{"negative", partialSuccess(t, &coltracepb.ExportTracePartialSuccess{RejectedSpans: -1}),
			"OTLP partial success: no message (-1 spans rejected)"},
		{"unknown fields are skipped",
			append(field(field(nil, 7, protowire.Fixed32Type, uint32(1)), 9, protowire.BytesType, []byte("x")),
				ps(field(nil, 5, protowire.VarintType, uint64(1)), rejected(4))...),
			"OTLP partial success: no message (4 spans rejected)"},
		{"other wire types are skipped", append(field(nil, fieldPartialSuccess, protowire.VarintType, uint64(5)),
			ps(field(nil, fieldRejectedSpans, protowire.BytesType, []byte{5}), field(nil, fieldErrorMessage, protowire.VarintType, uint64(5)))...), ""},
		{"repeated messages merge", append(ps(rejected(1), message("first")), ps(rejected(6))...),
			"OTLP partial success: first (6 spans rejected)"},
		{"invalid UTF-8 is replaced", ps(message("a\xffb")), "OTLP partial success: a\uFFFDb (0 spans rejected)"},
		{"truncated tag", []byte{0xff}, "decoding the OTLP response: malformed protobuf"},
		{"truncated message", ps(message("abc"))[:4], "decoding the OTLP response: malformed protobuf"},
		{"truncated inner field", ps([]byte{fieldRejectedSpans << 3, 0x80}), "decoding the OTLP response: malformed protobuf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := partialSuccessError(tt.resp)
			if tt.want == "" {
				require.NoError(t, err)
				return
			}
			require.EqualError(t, err, tt.want)
		})
	}
}

// FuzzPartialSuccessError checks the decoding by hand against the
// generated protos': whatever they decode, it decodes alike.
func FuzzPartialSuccessError(f *testing.F) {
	f.Add(partialSuccess(f, &coltracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "too old"}))
	f.Add(partialSuccess(f, &coltracepb.ExportTracePartialSuccess{RejectedSpans: -7}))
	f.Add([]byte{0x0a, 0x02, 0x08, 0x01, 0x0a, 0x03, 0x12, 0x01, 'x'})
	f.Fuzz(func(t *testing.T, resp []byte) {
		var want coltracepb.ExportTraceServiceResponse
		if proto.Unmarshal(resp, &want) != nil {
			return // ours may be more lenient (invalid UTF-8)
		}
		err := partialSuccessError(resp)
		ps := want.GetPartialSuccess()
		if ps.GetRejectedSpans() == 0 && ps.GetErrorMessage() == "" {
			require.NoError(t, err)
			return
		}
		msg := ps.GetErrorMessage()
		if msg == "" {
			msg = "no message"
		}
		require.ErrorIs(t, err, errPartialSuccess)
		require.ErrorContains(t, err, ": "+msg+" (")
		require.True(t, strings.HasSuffix(err.Error(), " ("+strconv.FormatInt(ps.GetRejectedSpans(), 10)+" spans rejected)"), err.Error())
	})
}

// exportOutcome is what an endpoint does with an export request, over
// either transport.
type exportOutcome int

const (
	accept exportOutcome = iota
	refuse
	rejectSome
	unavailableOnce
)

// outcomeEndpoint is an endpoint over protocol whose answers are outcome's;
// it returns its URL.
func outcomeEndpoint(t *testing.T, protocol Protocol, outcome exportOutcome) string {
	t.Helper()
	if protocol == GRPC {
		return newGRPCCollector(t, func(n int, _ context.Context) (*coltracepb.ExportTraceServiceResponse, error) {
			switch {
			case outcome == refuse:
				return nil, status.Error(codes.InvalidArgument, "no")
			case outcome == rejectSome:
				return &coltracepb.ExportTraceServiceResponse{PartialSuccess: &coltracepb.ExportTracePartialSuccess{RejectedSpans: 1, ErrorMessage: "too old"}}, nil
			case outcome == unavailableOnce && n == 1:
				return nil, status.Error(codes.Unavailable, "busy")
			}
			return &coltracepb.ExportTraceServiceResponse{}, nil
		}).url()
	}
	return newOTLPEndpoint(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		switch {
		case outcome == refuse:
			http.Error(w, "no", http.StatusBadRequest)
		case outcome == rejectSome:
			w.Header().Set("Content-Type", contentTypeProtobuf)
			_, _ = w.Write(partialSuccess(t, &coltracepb.ExportTracePartialSuccess{RejectedSpans: 1, ErrorMessage: "too old"}))
		case outcome == unavailableOnce && n == 1:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	}).url
}

// The provider counts what became of its spans alike over both
// transports: a failed request fails all its spans, and so does a partial
// success, whose error is the one Shutdown returns.
func TestProviderCountsExportsOverEitherTransport(t *testing.T) {
	const spans = 5
	tests := []struct {
		name    string
		outcome exportOutcome
		want    Stats
		err     error
	}{
		{"accepted", accept, Stats{Ended: spans, Exported: spans}, nil},
		{"retried", unavailableOnce, Stats{Ended: spans, Exported: spans}, nil},
		{"refused", refuse, Stats{Ended: spans, Failed: spans}, errExportFailed},
		{"partial success", rejectSome, Stats{Ended: spans, Failed: spans}, errPartialSuccess},
	}
	for _, protocol := range []Protocol{HTTPProtobuf, GRPC} {
		for _, tt := range tests {
			t.Run(protocol.String()+"/"+tt.name, func(t *testing.T) {
				cfg := DefaultConfig()
				cfg.Protocol, cfg.Endpoint = protocol, outcomeEndpoint(t, protocol, tt.outcome)
				exp, err := newExporter(cfg)
				require.NoError(t, err)
				exp.(*otlpExporter).retry = fastRetry
				p := startWith(cfg, exp)
				for range spans {
					_, span := p.Tracer().Start(context.Background(), "GET")
					span.End()
				}
				stats, err := p.Shutdown(context.Background())
				require.Equal(t, tt.want, stats)
				if tt.err == nil {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, tt.err)
			})
		}
	}
}

// discardingEndpoint reads and drops every request, as a collector would

// When the flush timeout ends an export that was retrying a collector
// that is down, Shutdown names the collector's error, over either
// transport, and the spans count as still queued; when it ends an export
// that was only slow, Shutdown says the flush timed out.
func TestShutdownNamesTheFailureTheFlushTimeoutInterrupted(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	down := closed.Addr().String()
	require.NoError(t, closed.Close()) // A port just closed refuses connections.
	slow := newOTLPEndpoint(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }).url

	for _, tt := range []struct {
		name     string
		protocol Protocol
		endpoint string
		refused  bool  // the collector is down: its error is named
		want     error // besides, if not nil
	}{
		{"down over HTTP", HTTPProtobuf, "http://" + down + "/v1/traces", true, nil},
		{"down over gRPC", GRPC, "http://" + down, true, errUnreachable},
		{"slow", HTTPProtobuf, slow, false, ErrFlushTimeout},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Protocol, cfg.Endpoint, cfg.FlushTimeout = tt.protocol, tt.endpoint, 300*time.Millisecond
			p, err := Start(context.Background(), cfg)
			require.NoError(t, err)
			_, span := p.Tracer().Start(context.Background(), "GET")
			span.End()
			stats, err := p.Shutdown(context.Background())
			require.Equal(t, Stats{Ended: 1, FlushTimeout: 1}, stats)
			if tt.want != nil {
				require.ErrorIs(t, err, tt.want)
			}
			if tt.refused {
				require.ErrorContains(t, err, "connection refused")
				require.NotErrorIs(t, err, ErrFlushTimeout)
			}
		})
	}
}

// at best: the benchmarks measure the exporters' side.
func discardingEndpoint(b *testing.B) string {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	b.Cleanup(srv.Close)
	return srv.URL + "/v1/traces"
}

// discardCodec receives a message without decoding it and sends an empty
// one.
type discardCodec struct{}

func (discardCodec) Marshal(any) (mem.BufferSlice, error) { return nil, nil }
func (discardCodec) Unmarshal(mem.BufferSlice, any) error { return nil }
func (discardCodec) Name() string                         { return "proto" }

// discardingGRPCEndpoint is discardingEndpoint over gRPC: it answers every
// call with an empty message, without decoding the request.
func discardingGRPCEndpoint(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(b, err)
	srv := grpc.NewServer(grpc.ForceServerCodecV2(discardCodec{}),
		grpc.UnknownServiceHandler(func(_ any, stream grpc.ServerStream) error {
			var msg struct{}
			if err := stream.RecvMsg(&msg); err != nil {
				return err
			}
			return stream.SendMsg(&msg)
		}))
	go func() { _ = srv.Serve(ln) }()
	b.Cleanup(srv.Stop)
	return "http://" + ln.Addr().String()
}

// BenchmarkExport is one export of 512 client spans to a loopback
// endpoint that discards them (its own allocations count too), over each
// transport, by our exporter and by the SDK's that it replaces.
func BenchmarkExport(b *testing.B) {
	ours := func(newExp func(Config) (*otlpExporter, error), endpoint func(*testing.B) string) func(b *testing.B) {
		return func(b *testing.B) {
			exp, err := newExp(Config{Endpoint: endpoint(b), ExportTimeout: 10 * time.Second})
			require.NoError(b, err)
			b.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
			benchmarkExport(b, exp)
		}
	}
	b.Run("transport=http/exporter=ours", ours(newHTTPExporter, discardingEndpoint))
	b.Run("transport=http/exporter=sdk", func(b *testing.B) {
		benchmarkExport(b, newSDKExporter(b, discardingEndpoint(b)))
	})
	b.Run("transport=grpc/exporter=ours", ours(newGRPCExporter, discardingGRPCEndpoint))
	b.Run("transport=grpc/exporter=sdk", func(b *testing.B) {
		benchmarkExport(b, newSDKGRPCExporter(b, discardingGRPCEndpoint(b)))
	})
}

func benchmarkExport(b *testing.B, exp sdktrace.SpanExporter) {
	spans := benchClientSpans(b, maxExportBatch)
	ctx := context.Background()
	require.NoError(b, exp.ExportSpans(ctx, spans)) // Connect first.
	b.ReportAllocs()
	for b.Loop() {
		if err := exp.ExportSpans(ctx, spans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(spans)), "ns/span")
}

// requireShutdownInterrupts checks an exporter whose collector holds the
// first export until it is cancelled, telling arrived when it came:
// Shutdown interrupts the export in flight, later exports fail without
// being sent (requests counts what the collector received), and a second
// Shutdown is harmless.
func requireShutdownInterrupts(t *testing.T, exp sdktrace.SpanExporter, arrived <-chan struct{}, requests func() int32) {
	t.Helper()
	spans := threeClientSpans(t)
	done := make(chan error, 1)
	go func() { done <- exp.ExportSpans(context.Background(), spans) }()
	<-arrived
	require.NoError(t, exp.Shutdown(context.Background()))
	select {
	case err := <-done:
		require.ErrorIs(t, err, errExporterShutdown, "the request in flight is interrupted")
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not interrupt the export in flight")
	}
	require.ErrorIs(t, exp.ExportSpans(context.Background(), spans), errExporterShutdown)
	require.EqualValues(t, 1, requests(), "nothing is sent after Shutdown")
	require.NoError(t, exp.Shutdown(context.Background()), "a second Shutdown is harmless")
}

// newTestExporter returns an exporter made by newExporter, with fast
// retries and a 10-second export timeout unless cfg sets one, shut down
// when the test ends.
func newTestExporter(t *testing.T, cfg Config, newExporter func(Config) (*otlpExporter, error)) *otlpExporter {
	t.Helper()
	if cfg.ExportTimeout == 0 {
		cfg.ExportTimeout = 10 * time.Second
	}
	exp, err := newExporter(cfg)
	require.NoError(t, err)
	exp.retry = fastRetry
	t.Cleanup(func() { _ = exp.Shutdown(context.Background()) })
	return exp
}

// idleBuffer returns the request buffer of the encoder the next export
// takes, nil for none; the encoder stays idle.
func idleBuffer(e *otlpExporter) []byte {
	select {
	case st := <-e.encoders:
		e.encoders <- st
		return st.buf
	default:
		return nil
	}
}
