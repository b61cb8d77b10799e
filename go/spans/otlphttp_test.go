package spans

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// fastRetry keeps retry tests short.
var fastRetry = retryPolicy{initial: time.Millisecond, maxInterval: 5 * time.Millisecond, maxElapsed: 10 * time.Second}

// slowRetry is a backoff longer than the waits the tests' endpoints ask
// for (the SDK's).
var slowRetry = retryPolicy{initial: 5 * time.Second, maxInterval: 30 * time.Second, maxElapsed: time.Minute}

// otlpEndpoint is a loopback endpoint whose answers handle makes; it
// counts the requests and keeps the last one's header and body.
type otlpEndpoint struct {
	url      string
	requests atomic.Int32
	header   atomic.Pointer[http.Header]
	body     atomic.Pointer[[]byte]
}

func newOTLPEndpoint(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request)) *otlpEndpoint {
	t.Helper()
	e := &otlpEndpoint{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		header := r.Header.Clone()
		header.Set("X-Test-Method", r.Method)
		header.Set("X-Test-Path", r.URL.Path)
		e.header.Store(&header)
		e.body.Store(&body)
		handle(int(e.requests.Add(1)), w, r)
	}))
	t.Cleanup(srv.Close)
	e.url = srv.URL + "/v1/traces"
	return e
}

func newTestHTTPExporter(t *testing.T, cfg Config) *otlpExporter {
	t.Helper()
	return newTestExporter(t, cfg, newHTTPExporter)
}

// threeClientSpans are three client spans.
func threeClientSpans(t *testing.T) []sdktrace.ReadOnlySpan { return benchClientSpans(t, 3) }

func TestHTTPExporterSendsHeadersAndBody(t *testing.T) {
	ep := newOTLPEndpoint(t, func(int, http.ResponseWriter, *http.Request) {})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url, Headers: map[string]string{
		"Authorization": "Bearer secret",
		"x-scope-orgid": "tenant-1",
		"Content-Type":  "text/plain", // The protocol's wins.
	}})
	spans := threeClientSpans(t)
	require.NoError(t, exp.ExportSpans(context.Background(), spans))

	h := *ep.header.Load()
	require.Equal(t, http.MethodPost, h.Get("X-Test-Method"))
	require.Equal(t, "/v1/traces", h.Get("X-Test-Path"))
	require.Equal(t, "application/x-protobuf", h.Get("Content-Type"))
	require.Equal(t, "Bearer secret", h.Get("Authorization"))
	require.Equal(t, "tenant-1", h.Get("X-Scope-Orgid"))
	require.Contains(t, h.Get("User-Agent"), "xk6-tracing")
	require.NotContains(t, h, "Idempotency-Key", "marks the request for the transport only")
	require.Equal(t, appendExportRequest(nil, spans), *ep.body.Load())

	// The next export reuses the buffer.
	first := &idleBuffer(exp)[0]
	require.NoError(t, exp.ExportSpans(context.Background(), spans[:1]))
	require.Same(t, first, &idleBuffer(exp)[0])
	require.Equal(t, appendExportRequest(nil, spans[:1]), *ep.body.Load())
}

func TestHTTPExporterRetriesUnavailable(t *testing.T) {
	ep := newOTLPEndpoint(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		switch n {
		case 1:
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
		case 2:
			http.Error(w, "slow down", http.StatusTooManyRequests)
		}
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	spans := threeClientSpans(t)
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	require.EqualValues(t, 3, ep.requests.Load())
	require.Equal(t, appendExportRequest(nil, spans), *ep.body.Load(), "every attempt sends the whole body")
}

func TestHTTPExporterHonoursRetryAfter(t *testing.T) {
	var first, waited atomic.Int64
	ep := newOTLPEndpoint(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			first.Store(time.Now().UnixNano())
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		waited.Store(time.Now().UnixNano() - first.Load())
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	exp.retry = slowRetry // its first wait, 2.5 to 7.5 s, is not the one asked for
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	require.GreaterOrEqual(t, time.Duration(waited.Load()), time.Second, "Retry-After is in seconds")
	require.Less(t, time.Duration(waited.Load()), 2*time.Second, "the wait asked for, not the backoff's")
}

func TestHTTPExporterDoesNotRetryBadRequest(t *testing.T) {
	ep := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "  span 3 is malformed  ", http.StatusBadRequest)
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, errExportFailed)
	require.ErrorContains(t, err, ep.url)
	require.ErrorContains(t, err, "400 Bad Request")
	require.ErrorContains(t, err, "(body: span 3 is malformed)")
	require.EqualValues(t, 1, ep.requests.Load())
}

func TestHTTPExporterQuotesTheStartOfALongBody(t *testing.T) {
	ep := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, strings.Repeat("é", maxErrorBody))
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorContains(t, err, "401 Unauthorized (body: "+strings.Repeat("é", maxErrorBody/2)+"…)")

	empty := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	})
	exp = newTestHTTPExporter(t, Config{Endpoint: empty.url})
	require.ErrorContains(t, exp.ExportSpans(context.Background(), threeClientSpans(t)), "404 Not Found (body: (empty))")
}

func TestHTTPExporterDeadlineBoundsRetries(t *testing.T) {
	ep := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "down", http.StatusBadGateway)
	})

	t.Run("the next attempt would be too late", func(t *testing.T) {
		exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
		exp.retry = defaultRetry
		// The first wait is jittered, 2.5s to 7.5s: a deadline sooner
		// than that is always too soon for a second attempt.
		ctx, cancel := context.WithTimeout(context.Background(), defaultRetry.initial/2-100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := exp.ExportSpans(ctx, threeClientSpans(t))
		require.Less(t, time.Since(start), 2*time.Second, "no waiting for a retry past the deadline")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.ErrorContains(t, err, "would be too late")
		require.ErrorContains(t, err, "502 Bad Gateway")
	})

	t.Run("the deadline passes while waiting", func(t *testing.T) {
		exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
		exp.retry = retryPolicy{initial: 40 * time.Millisecond, maxInterval: 40 * time.Millisecond, maxElapsed: time.Minute}
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := exp.ExportSpans(ctx, threeClientSpans(t))
		require.Less(t, time.Since(start), 3*time.Second)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Greater(t, ep.requests.Load(), int32(1))
	})

	t.Run("the policy's end", func(t *testing.T) {
		exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
		exp.retry = retryPolicy{initial: 10 * time.Millisecond, maxInterval: 10 * time.Millisecond, maxElapsed: 50 * time.Millisecond}
		err := exp.ExportSpans(context.Background(), threeClientSpans(t))
		require.ErrorContains(t, err, "giving up after retrying for 50ms")
		require.ErrorIs(t, err, errExportFailed)
	})
}

func TestHTTPExporterDeadlineInterruptsASlowRequest(t *testing.T) {
	ep := newOTLPEndpoint(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := exp.ExportSpans(ctx, threeClientSpans(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 3*time.Second)
}

func TestHTTPExporterPartialSuccess(t *testing.T) {
	respond := func(body []byte, contentType string) *otlpEndpoint {
		return newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write(body)
		})
	}
	marshal := func(ps *coltracepb.ExportTracePartialSuccess) []byte {
		b, err := proto.Marshal(&coltracepb.ExportTraceServiceResponse{PartialSuccess: ps})
		require.NoError(t, err)
		return b
	}
	export := func(ep *otlpEndpoint) error {
		return newTestHTTPExporter(t, Config{Endpoint: ep.url}).ExportSpans(context.Background(), threeClientSpans(t))
	}

	err := export(respond(marshal(&coltracepb.ExportTracePartialSuccess{RejectedSpans: 3, ErrorMessage: "too old"}), "application/x-protobuf"))
	require.ErrorIs(t, err, errPartialSuccess)
	require.ErrorContains(t, err, "too old (3 spans rejected)")

	err = export(respond(marshal(&coltracepb.ExportTracePartialSuccess{RejectedSpans: 2}), "application/x-protobuf"))
	require.ErrorContains(t, err, "(2 spans rejected)")

	err = export(respond(marshal(&coltracepb.ExportTracePartialSuccess{ErrorMessage: "a warning"}), "application/x-protobuf; charset=binary"))
	require.ErrorContains(t, err, "a warning (0 spans rejected)")

	require.NoError(t, export(respond(marshal(&coltracepb.ExportTracePartialSuccess{}), "application/x-protobuf")),
		"an empty partial success is a success")
	require.NoError(t, export(respond(nil, "application/x-protobuf")))
	require.NoError(t, export(respond([]byte("ok"), "text/plain")), "only a protobuf body is decoded")
	require.ErrorContains(t, export(respond([]byte{0xff}, "application/x-protobuf")), "decoding the OTLP response")
}

func TestHTTPExporterRefusesAHugeResponse(t *testing.T) {
	huge := bytes.Repeat([]byte{'x'}, maxResponseBody+1)
	ep := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(huge)
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, errResponseTooLarge)

	limit := newOTLPEndpoint(t, func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write(huge[:maxResponseBody])
	})
	exp = newTestHTTPExporter(t, Config{Endpoint: limit.url})
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)), "4 MiB is allowed")
}

func TestHTTPExporterShutdown(t *testing.T) {
	arrived := make(chan struct{}, 1)
	ep := newOTLPEndpoint(t, func(_ int, _ http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	requireShutdownInterrupts(t, exp, arrived, ep.requests.Load)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, exp.Shutdown(ctx), context.Canceled)
}

func TestHTTPExporterSendsNothingWithoutSpans(t *testing.T) {
	ep := newOTLPEndpoint(t, func(int, http.ResponseWriter, *http.Request) {})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	require.NoError(t, exp.ExportSpans(context.Background(), nil))
	require.NoError(t, exp.ExportSpans(context.Background(), []sdktrace.ReadOnlySpan{nil}))
	require.Zero(t, ep.requests.Load())
}

// TestHTTPExporterRetriesARefusedConnection: a collector that restarts
// refuses connections for a while; the export reaches it once it is back,
// as OTLP asks (the SDK gives up at once).
func TestHTTPExporterRetriesARefusedConnection(t *testing.T) {
	// A port that was just closed refuses connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	exp := newTestHTTPExporter(t, Config{Endpoint: "http://" + addr + "/v1/traces"})
	exp.retry = retryPolicy{initial: 100 * time.Millisecond, maxInterval: 100 * time.Millisecond, maxElapsed: 10 * time.Second}

	var requests atomic.Int32
	back := make(chan struct{})
	go func() {
		defer close(back)
		time.Sleep(300 * time.Millisecond) // a few refused attempts
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Errorf("listening on %s again: %v", addr, err)
			return
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { requests.Add(1) })}
		t.Cleanup(func() { _ = srv.Close() })
		go func() { _ = srv.Serve(ln) }()
	}()
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	<-back
	require.EqualValues(t, 1, requests.Load())
}

// TestHTTPExporterRetriesWhenTheCollectorHangsUp: a collector that closes
// the connection without an answer gets the export again, as OTLP asks.
func TestHTTPExporterRetriesWhenTheCollectorHangsUp(t *testing.T) {
	ep := newOTLPEndpoint(t, func(n int, w http.ResponseWriter, _ *http.Request) {
		if n == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}
	})
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url})
	spans := threeClientSpans(t)
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	require.EqualValues(t, 2, ep.requests.Load())
	require.Equal(t, appendExportRequest(nil, spans), *ep.body.Load())
}

// TestHTTPExporterDoesNotRetryATLSMismatch: an https:// endpoint that
// answers in plain HTTP will again; the error says so at once.
func TestHTTPExporterDoesNotRetryATLSMismatch(t *testing.T) {
	ep := newOTLPEndpoint(t, func(int, http.ResponseWriter, *http.Request) {})
	exp := newTestHTTPExporter(t, Config{Endpoint: strings.Replace(ep.url, "http://", "https://", 1)})
	exp.retry = defaultRetry
	start := time.Now()
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, http.ErrSchemeMismatch)
	require.Less(t, time.Since(start), 2*time.Second)
}

func TestNewHTTPExporterChecksTheEndpoint(t *testing.T) {
	for _, endpoint := range []string{"", "localhost:4318", "ftp://collector/v1/traces", "http:///v1/traces"} {
		_, err := newHTTPExporter(Config{Endpoint: endpoint})
		require.Error(t, err, endpoint)
	}
}

// lateClosing is a transport that answers at once and closes the request
// body later, as a transport may when a server answers before it has read
// the request.
type lateClosing struct{ closed chan struct{} }

func (l *lateClosing) RoundTrip(req *http.Request) (*http.Response, error) {
	go func() {
		time.Sleep(50 * time.Millisecond)
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
		close(l.closed)
	}()
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

func TestHTTPExporterKeepsNoBufferTheTransportStillReads(t *testing.T) {
	exp := newTestHTTPExporter(t, Config{Endpoint: "http://127.0.0.1:1/v1/traces"})
	late := &lateClosing{closed: make(chan struct{})}
	exp.sender.(*httpSender).client.Transport = late
	require.NoError(t, exp.ExportSpans(context.Background(), threeClientSpans(t)))
	require.Nil(t, idleBuffer(exp), "the buffer is the transport's until it closes the body")
	<-late.closed
}

// brokenSpan is a read-only span that panics when its name is read.
type brokenSpan struct{ sdktrace.ReadOnlySpan }

func (brokenSpan) Name() string { panic("broken span") }

// A span that panics when read fails its export, not k6, and the
// exporter goes on.
func TestHTTPExporterSurvivesABrokenSpan(t *testing.T) {
	endpoint := newOTLPEndpoint(t, func(int, http.ResponseWriter, *http.Request) {})
	exp := newTestHTTPExporter(t, Config{Endpoint: endpoint.url})
	spans := threeClientSpans(t)
	broken := append([]sdktrace.ReadOnlySpan{}, spans...)
	broken[1] = brokenSpan{spans[1]}
	err := exp.ExportSpans(context.Background(), broken)
	require.ErrorIs(t, err, errEncoding)
	require.ErrorContains(t, err, "broken span")
	require.Zero(t, endpoint.requests.Load())
	require.NoError(t, exp.ExportSpans(context.Background(), spans))
	require.Equal(t, int32(1), endpoint.requests.Load())
	require.Equal(t, appendExportRequest(nil, spans), *endpoint.body.Load())
}

// The export timeout is named once: the HTTP client's error already
// carries it as its context's cause.
func TestHTTPExporterNamesTheExportTimeoutOnce(t *testing.T) {
	ep := newOTLPEndpoint(t, func(_ int, _ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	exp := newTestHTTPExporter(t, Config{Endpoint: ep.url, ExportTimeout: 200 * time.Millisecond})
	err := exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Equal(t, 1, strings.Count(err.Error(), "the export timeout of 200ms passed"), err.Error())
}

func TestHTTPExporterNamesTheExportTimeoutOnceToAHungCollector(t *testing.T) {
	// A listener never accepted from: the kernel completes the connection
	// and nothing ever answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	exp := newTestHTTPExporter(t, Config{Endpoint: "http://" + ln.Addr().String() + "/v1/traces", ExportTimeout: 200 * time.Millisecond})
	err = exp.ExportSpans(context.Background(), threeClientSpans(t))
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Equal(t, 1, strings.Count(err.Error(), "the export timeout of 200ms passed"), err.Error())
}
