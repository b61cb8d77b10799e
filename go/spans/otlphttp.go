package spans

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// Errors of [httpExporter.ExportSpans], besides the context's.
var (
	errExporterShutdown = errors.New("the OTLP exporter is shut down")
	// errExportFailed: the endpoint answered with an error status.
	errExportFailed = errors.New("OTLP export failed")
	// errPartialSuccess: the endpoint accepted the request but rejected
	// some of its spans.
	errPartialSuccess   = errors.New("OTLP partial success")
	errResponseTooLarge = errors.New("OTLP response body too large")
	// errEncoding: a span could not be read.
	errEncoding = errors.New("OTLP encoding failed")
)

const (
	contentTypeProtobuf = "application/x-protobuf"
	// maxResponseBody bounds what is read of a response, as the SDK does
	// after OTLP's recommendation: a misconfigured or hostile endpoint
	// must not make k6 buffer without bound.
	maxResponseBody = 4 << 20
	// maxErrorBody bounds the part of a response body an error quotes.
	maxErrorBody = 1 << 10
	// maxKeptBuffer bounds the request buffer kept for the next export,
	// so that one batch of huge spans does not pin its memory for the
	// rest of the test.
	maxKeptBuffer = 4 << 20
)

// otlpUserAgent names the exporter to the endpoint, as the SDK's does.
var otlpUserAgent = "xk6-tracing OTLP exporter (" + runtime.Version() + ")"

// otlpTransport is the SDK's ourTransport, net/http's DefaultTransport
// settings, which each exporter clones: nothing else that changes
// DefaultTransport affects the export, and the exporter can close its own
// idle connections.
var otlpTransport = &http.Transport{
	Proxy: http.ProxyFromEnvironment,
	DialContext: (&net.Dialer{
		Timeout:   30 * time.Second,
		KeepAlive: 30 * time.Second,
	}).DialContext,
	ForceAttemptHTTP2:     true,
	MaxIdleConns:          100,
	IdleConnTimeout:       90 * time.Second,
	TLSHandshakeTimeout:   10 * time.Second,
	ExpectContinueTimeout: 1 * time.Second,
}

// retryPolicy is an exponential backoff: the first wait is about initial
// (±50%), each next one half as long again, up to maxInterval; no attempt
// starts after maxElapsed.
type retryPolicy struct {
	initial, maxInterval, maxElapsed time.Duration
}

// defaultRetry is the SDK's.
var defaultRetry = retryPolicy{initial: 5 * time.Second, maxInterval: 30 * time.Second, maxElapsed: time.Minute}

// httpExporter sends spans to an OTLP/HTTP endpoint as protobuf, as the
// SDK's otlptracehttp exporter does, but encodes them without its
// intermediate protobuf structs, into a buffer reused from one export to
// the next.
type httpExporter struct {
	url       string
	header    http.Header
	transport *http.Transport
	client    *http.Client
	retry     retryPolicy
	// stopped is cancelled by Shutdown: it interrupts the export in
	// flight and fails later ones.
	stopped context.Context
	stop    context.CancelFunc

	// mu guards the encoder and the buffer. The batch processor exports
	// from one goroutine, but nothing in the exporter's contract says so.
	mu  sync.Mutex
	enc otlpEncoder
	buf []byte
}

var _ sdktrace.SpanExporter = (*httpExporter)(nil)

// newHTTPExporter returns an exporter to cfg.Endpoint, with cfg.Headers;
// cfg.ExportTimeout bounds each request. Nothing connects until the first
// export.
func newHTTPExporter(cfg Config) (*httpExporter, error) {
	if err := checkEndpoint(cfg.Endpoint); err != nil {
		return nil, fmt.Errorf("OTLP endpoint %q: %w", cfg.Endpoint, err)
	}
	header := http.Header{}
	header.Set("User-Agent", otlpUserAgent)
	for k, v := range cfg.Headers {
		header.Set(k, v)
	}
	header.Set("Content-Type", contentTypeProtobuf)
	transport := otlpTransport.Clone()
	stopped, stop := context.WithCancel(context.Background())
	return &httpExporter{
		url:       cfg.Endpoint,
		header:    header,
		transport: transport,
		client:    &http.Client{Transport: transport, Timeout: cfg.ExportTimeout},
		retry:     defaultRetry,
		stopped:   stopped,
		stop:      stop,
	}, nil
}

// ExportSpans sends spans in one request, retrying while the endpoint is
// unavailable or throttles, until ctx's deadline. An export of no spans
// sends nothing.
func (e *httpExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped.Err() != nil {
		return errExporterShutdown
	}
	body, err := e.encode(spans)
	if err != nil || len(body) == 0 {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer context.AfterFunc(e.stopped, func() { cancel(errExporterShutdown) })()
	var bodies requestBodies
	err = e.send(ctx, body, &bodies)
	if bodies.open.Load() == 0 && cap(body) <= maxKeptBuffer {
		e.buf = body
	} else {
		// The transport may still read it: the next export needs a
		// buffer of its own.
		e.buf = nil
	}
	return err
}

// encode returns the request of spans, in the kept buffer. A read-only
// span is an interface anyone may implement; one that panics when read
// fails this export, not k6.
func (e *httpExporter) encode(spans []sdktrace.ReadOnlySpan) (body []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			e.enc, e.buf = otlpEncoder{}, nil // in an unknown state
			err = fmt.Errorf("%w: %v", errEncoding, r)
		}
	}()
	return e.enc.appendExportRequest(e.buf[:0], spans), nil
}

// Shutdown interrupts the export in flight, if any; later exports fail.
func (e *httpExporter) Shutdown(ctx context.Context) error {
	e.stop()
	e.transport.CloseIdleConnections()
	return ctx.Err()
}

// send posts body until an attempt succeeds, fails for good, or the next
// one would start after ctx's deadline or the retry policy's end.
func (e *httpExporter) send(ctx context.Context, body []byte, bodies *requestBodies) error {
	start := time.Now()
	interval := e.retry.initial
	for {
		err := e.post(ctx, body, bodies)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", context.Cause(ctx), err)
		}
		// post returns it unwrapped; one wrapped deeper is not a
		// decision of post's to retry.
		retryable, ok := err.(*retryableError) //nolint:errorlint // See above.
		if !ok {
			return err
		}
		delay := max(jittered(interval), retryable.after)
		interval = min(interval*3/2, e.retry.maxInterval)
		if time.Since(start)+delay > e.retry.maxElapsed {
			return fmt.Errorf("giving up after retrying for %v: %w", e.retry.maxElapsed, err)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// Waiting would only hold up the batch processor.
			return fmt.Errorf("%w: the next attempt, in %v, would be too late: %w",
				context.DeadlineExceeded, delay.Round(time.Millisecond), err)
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w: %w", context.Cause(ctx), err)
		case <-timer.C:
		}
	}
}

// post makes one attempt. It returns a *retryableError when another
// attempt may succeed.
func (e *httpExporter) post(ctx context.Context, body []byte, bodies *requestBodies) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, nil)
	if err != nil {
		return err
	}
	req.Header = e.header.Clone()
	req.ContentLength = int64(len(body))
	req.Body = bodies.reader(body)
	req.GetBody = func() (io.ReadCloser, error) { return bodies.reader(body), nil }
	resp, err := e.client.Do(req)
	if err != nil {
		// Temporary is deprecated, but it is what the SDK retries on.
		var urlErr *url.Error
		if errors.As(err, &urlErr) && urlErr.Temporary() { //nolint:staticcheck // See above.
			return &retryableError{err: err}
		}
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := readOTLPResponse(resp.Body)
	if err != nil {
		return err
	}
	switch code := resp.StatusCode; {
	case code >= 200 && code <= 299:
		return partialSuccessError(resp.Header, data)
	case code == http.StatusTooManyRequests, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return &retryableError{err: e.statusError(resp, data), after: retryAfterDelay(resp.Header)}
	default:
		return e.statusError(resp, data)
	}
}

// readOTLPResponse reads a response body of at most maxResponseBody bytes.
func readOTLPResponse(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxResponseBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the OTLP response: %w", err)
	}
	if len(data) > maxResponseBody {
		return nil, fmt.Errorf("%w: more than %d bytes", errResponseTooLarge, maxResponseBody)
	}
	return data, nil
}

// partialSuccessError is the error a successful response reports, if any: the
// spans it rejected, and why.
func partialSuccessError(header http.Header, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(header.Get("Content-Type")); err != nil || mt != contentTypeProtobuf {
		return nil
	}
	var resp coltracepb.ExportTraceServiceResponse
	if err := proto.Unmarshal(data, &resp); err != nil {
		return fmt.Errorf("decoding the OTLP response: %w", err)
	}
	ps := resp.GetPartialSuccess()
	if ps.GetRejectedSpans() == 0 && ps.GetErrorMessage() == "" {
		return nil
	}
	msg := ps.GetErrorMessage()
	if msg == "" {
		msg = "no message"
	}
	return fmt.Errorf("%w: %s (%d spans rejected)", errPartialSuccess, msg, ps.GetRejectedSpans())
}

// statusError names the URL, the status and the start of the body.
func (e *httpExporter) statusError(resp *http.Response, data []byte) error {
	body := strings.TrimSpace(string(data))
	if len(body) > maxErrorBody {
		body = strings.ToValidUTF8(body[:maxErrorBody], "") + "…"
	}
	if body == "" {
		body = "(empty)"
	}
	return fmt.Errorf("%w: POST %s: %s (body: %s)", errExportFailed, e.url, resp.Status, body)
}

// retryAfterDelay is the wait a Retry-After header asks for, in seconds (its
// HTTP-date form is not supported, as in the SDK).
func retryAfterDelay(h http.Header) time.Duration {
	s, err := strconv.Atoi(strings.TrimSpace(h.Get("Retry-After")))
	if err != nil || s <= 0 {
		return 0
	}
	// An hour is past any export deadline; it also keeps the product
	// from overflowing.
	return time.Duration(min(s, 3600)) * time.Second
}

// jittered is d randomized by ±50%, as the SDK's backoff does, so that k6
// instances that failed together do not all retry together.
func jittered(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return d/2 + rand.N(d+1)
}

// retryableError is a failure another attempt may not repeat.
type retryableError struct {
	err error
	// after is the wait the endpoint asked for, if any.
	after time.Duration
}

func (e *retryableError) Error() string { return e.err.Error() }
func (e *retryableError) Unwrap() error { return e.err }

// requestBodies counts the request bodies over an export's buffer that
// the transport has not closed yet. A transport may read a body after the
// response has come (a server may answer before it read the request), so
// the buffer is reused only once every body over it is closed.
type requestBodies struct{ open atomic.Int32 }

// reader returns a new body over buf.
func (b *requestBodies) reader(buf []byte) io.ReadCloser {
	b.open.Add(1)
	return &requestBody{Reader: bytes.NewReader(buf), bodies: b}
}

// requestBody is one of requestBodies' bodies; its first Close counts.
type requestBody struct {
	*bytes.Reader
	bodies *requestBodies
	closed atomic.Bool
}

func (r *requestBody) Close() error {
	if r.closed.CompareAndSwap(false, true) {
		r.bodies.open.Add(-1)
	}
	return nil
}
