package otlpsink

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

func startSink(t *testing.T, opts Options) *Sink {
	t.Helper()
	s, err := Start(opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	require.True(t, strings.HasPrefix(s.Endpoint(), "http://127.0.0.1:"), s.Endpoint())
	return s
}

// provider is an SDK tracer provider exporting synchronously to the sink
// with the real OTLP/HTTP exporter, as a service under test would.
func provider(t *testing.T, s *Sink, service string, opts ...otlptracehttp.Option) *sdktrace.TracerProvider {
	t.Helper()
	opts = append([]otlptracehttp.Option{otlptracehttp.WithEndpointURL(s.Endpoint() + "/v1/traces")}, opts...)
	exp, err := otlptracehttp.New(context.Background(), opts...)
	require.NoError(t, err)
	return sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", service))))
}

func TestSDKExporterProtobuf(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		compression otlptracehttp.Compression
	}{
		{"plain", otlptracehttp.NoCompression},
		{"gzip", otlptracehttp.GzipCompression},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := startSink(t, Options{Keep: true})
			tp := provider(t, s, "checkout", otlptracehttp.WithCompression(tc.compression))
			tracer := tp.Tracer("test")

			before := time.Now()
			ctx, root := tracer.Start(context.Background(), "iteration")
			_, client := tracer.Start(ctx, "GET", trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
				attribute.String("url.full", "http://h/x"),
				attribute.Int("http.response.status_code", 503),
				attribute.Bool("retried", true),
				attribute.Float64("ratio", 0.25),
				attribute.StringSlice("tags", []string{"a", "b"}),
			))
			client.SetStatus(codes.Error, "503 Service Unavailable")
			client.End()
			root.End()
			require.NoError(t, tp.Shutdown(context.Background()))

			require.NoError(t, s.WaitCount(2, 5*time.Second))
			require.Equal(t, 2, s.Count())
			got := s.Spans()
			require.Len(t, got, 2)
			c, r := got[0], got[1] // the syncer exports each span as it ends
			rc, cc := root.SpanContext(), client.SpanContext()

			require.Equal(t, rc.TraceID().String(), r.TraceID)
			require.Equal(t, rc.SpanID().String(), r.SpanID)
			require.Empty(t, r.ParentID)
			require.Equal(t, "internal", r.Kind)
			require.Equal(t, "iteration", r.Name)
			require.False(t, r.StatusError)

			require.Equal(t, cc.TraceID().String(), c.TraceID)
			require.Equal(t, cc.SpanID().String(), c.SpanID)
			require.Equal(t, r.SpanID, c.ParentID)
			require.Equal(t, "checkout", c.Service)
			require.Equal(t, "client", c.Kind)
			require.Equal(t, "GET", c.Name)
			require.Equal(t, map[string]string{
				"url.full":                  "http://h/x",
				"http.response.status_code": "503",
				"retried":                   "true",
				"ratio":                     "0.25",
				"tags":                      `["a","b"]`,
			}, c.Attrs)
			require.True(t, c.StatusError)
			require.Equal(t, "503 Service Unavailable", c.StatusMessage)
			require.False(t, c.Start.Before(before.Truncate(time.Microsecond)), "%s before %s", c.Start, before)
			require.False(t, c.End.Before(c.Start))
			require.False(t, r.End.Before(c.End))
		})
	}
}

// jsonExport is an OTLP/JSON request as a JavaScript exporter writes it:
// hex ids, enums as numbers, 64-bit integers as strings or numbers.
const jsonExport = `{"resourceSpans":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"k6"}}]},
  "scopeSpans":[{"scope":{"name":"k6"},"spans":[
    {"traceId":"0AF7651916CD43DD8448EB211C80319C","spanId":"b7ad6b7169203331","parentSpanId":"",
     "name":"GET /checkout","kind":3,
     "startTimeUnixNano":"1700000000000000001","endTimeUnixNano":1700000000012300001,
     "attributes":[{"key":"k6.vu","value":{"intValue":"1"}},{"key":"ok","value":{"boolValue":true}},
                   {"key":"raw","value":{"bytesValue":"AQI="}},
                   {"key":"kv","value":{"kvlistValue":{"values":[{"key":"a","value":{"doubleValue":1.5}}]}}}],
     "status":{"code":2,"message":"boom"},
     "aNewerField":{"x":1}},
    {"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"00f067aa0ba902b7","parentSpanId":"b7ad6b7169203331",
     "name":"child","kind":"SPAN_KIND_SERVER"}
  ]}]}]}`

func post(t *testing.T, url, contentType, encoding string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if encoding != "" {
		req.Header.Set("Content-Encoding", encoding)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestJSON(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{Keep: true})
	for _, encoding := range []string{"", "gzip"} {
		body := []byte(jsonExport)
		if encoding == "gzip" {
			body = gzipped(t, body)
		}
		resp := post(t, s.Endpoint()+"/v1/traces", "application/json; charset=utf-8", encoding, body)
		b, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, resp.StatusCode, string(b))
		require.Equal(t, "application/json", resp.Header.Get("Content-Type"))
		require.JSONEq(t, `{}`, string(b), "an empty ExportTraceServiceResponse")
	}

	got := s.Spans()
	require.Len(t, got, 4)
	require.Equal(t, got[:2], got[2:], "gzip changes nothing")
	k6, child := got[0], got[1]
	require.Equal(t, Span{
		TraceID: "0af7651916cd43dd8448eb211c80319c", SpanID: "b7ad6b7169203331",
		Service: "k6", Name: "GET /checkout", Kind: "client",
		Start: time.Unix(1700000000, 1), End: time.Unix(1700000000, 12300001),
		Attrs:       map[string]string{"k6.vu": "1", "ok": "true", "raw": "0102", "kv": `{"a":"1.5"}`},
		StatusError: true, StatusMessage: "boom",
	}, k6)
	require.Equal(t, k6.SpanID, child.ParentID)
	require.Equal(t, "server", child.Kind)
	require.True(t, child.Start.IsZero(), "an unset time stays zero")
}

func TestProtobufResponse(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{})
	resp := post(t, s.Endpoint()+"/v1/traces", "application/x-protobuf", "", nil)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "application/x-protobuf", resp.Header.Get("Content-Type"))
	require.Empty(t, b, "an empty message encodes to no bytes")
	require.Zero(t, s.Count(), "an empty export counts nothing")

	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close twice")
	_, err = http.Post(s.Endpoint()+"/v1/traces", "application/x-protobuf", nil) //nolint:noctx // a test
	require.Error(t, err, "closed")
}

// TestCountOnly sends from several exporters at once: without Keep the
// sink counts every span and keeps none.
func TestCountOnly(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{})
	const exporters, spansEach = 4, 25
	var wg sync.WaitGroup
	for i := range exporters {
		tp := provider(t, s, "svc", otlptracehttp.WithCompression(otlptracehttp.GzipCompression))
		wg.Go(func() {
			tracer := tp.Tracer("test")
			for range spansEach {
				_, span := tracer.Start(context.Background(), "op", trace.WithAttributes(attribute.Int("exporter", i)))
				span.End()
			}
			_ = tp.Shutdown(context.Background())
		})
	}
	require.NoError(t, s.WaitCount(exporters*spansEach, 10*time.Second))
	wg.Wait()
	require.Equal(t, exporters*spansEach, s.Count())
	require.Empty(t, s.Spans())
}

func TestWaitCountTimesOut(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{Keep: true})
	start := time.Now()
	err := s.WaitCount(1, 50*time.Millisecond)
	require.EqualError(t, err, "otlpsink: 0 of 1 spans received after 50ms")
	require.GreaterOrEqual(t, time.Since(start), 50*time.Millisecond)
	require.NoError(t, s.WaitCount(0, 0), "nothing to wait for")
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	s := startSink(t, Options{Keep: true})
	s.maxBody = 1 << 10
	big := gzipped(t, make([]byte, 2<<10)) // small on the wire, over the limit once unzipped
	tests := []struct {
		name, method, path, contentType, encoding string
		body                                      []byte
		want                                      int
		wantBody                                  string
	}{
		{"GET", http.MethodGet, "/v1/traces", "", "", nil, http.StatusMethodNotAllowed, "POST"},
		{"another path", http.MethodPost, "/v1/metrics", "application/x-protobuf", "", nil, http.StatusNotFound, ""},
		{"a sub-path", http.MethodPost, "/v1/traces/x", "application/x-protobuf", "", nil, http.StatusNotFound, ""},
		{"no content type", http.MethodPost, "/v1/traces", "", "", nil, http.StatusUnsupportedMediaType, "Content-Type"},
		{"text", http.MethodPost, "/v1/traces", "text/plain", "", []byte("x"), http.StatusUnsupportedMediaType, "Content-Type"},
		{"brotli", http.MethodPost, "/v1/traces", "application/json", "br", []byte("{}"), http.StatusUnsupportedMediaType, "Content-Encoding"},
		{"bad protobuf", http.MethodPost, "/v1/traces", "application/x-protobuf", "", []byte{0xff, 0xff}, http.StatusBadRequest, "protobuf"},
		{"bad JSON", http.MethodPost, "/v1/traces", "application/json", "", []byte(`{"resourceSpans":`), http.StatusBadRequest, "JSON"},
		{"wrong JSON field type", http.MethodPost, "/v1/traces", "application/json", "", []byte(`{"resourceSpans":{}}`), http.StatusBadRequest, "JSON"},
		{"not gzip", http.MethodPost, "/v1/traces", "application/json", "gzip", []byte("{}"), http.StatusBadRequest, "gzip"},
		{"too big", http.MethodPost, "/v1/traces", "application/json", "", make([]byte, 2<<10), http.StatusRequestEntityTooLarge, "over 1024 bytes"},
		{"too big unzipped", http.MethodPost, "/v1/traces", "application/x-protobuf", "gzip", big, http.StatusRequestEntityTooLarge, "over 1024 bytes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(context.Background(), tc.method, s.Endpoint()+tc.path, bytes.NewReader(tc.body))
			require.NoError(t, err)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			if tc.encoding != "" {
				req.Header.Set("Content-Encoding", tc.encoding)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			require.Equal(t, tc.want, resp.StatusCode, string(b))
			require.Contains(t, string(b)+resp.Header.Get("Allow"), tc.wantBody)
		})
	}
	require.Zero(t, s.Count())
}
