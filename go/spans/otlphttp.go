package spans

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

const contentTypeProtobuf = "application/x-protobuf"

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

// httpSender posts export requests to an OTLP/HTTP endpoint.
type httpSender struct {
	url       string
	header    http.Header
	transport *http.Transport
	client    *http.Client
}

// newHTTPExporter returns an exporter to the OTLP/HTTP endpoint
// cfg.Endpoint, with cfg.Headers. Nothing connects until the first
// export.
func newHTTPExporter(cfg Config) (*otlpExporter, error) {
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
	return newOTLPExporter(cfg, &httpSender{
		url:       cfg.Endpoint,
		header:    header,
		transport: transport,
		client:    &http.Client{Transport: transport},
	}), nil
}

func (s *httpSender) close() { s.transport.CloseIdleConnections() }

// send posts body once.
func (s *httpSender) send(ctx context.Context, body []byte, holds *bodyHolds) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, nil)
	if err != nil {
		return err
	}
	req.Header = s.header.Clone()
	req.ContentLength = int64(len(body))
	req.Body = newRequestBody(body, holds)
	req.GetBody = func() (io.ReadCloser, error) { return newRequestBody(body, holds), nil }
	// A nil Idempotency-Key is sent as no header, and tells the transport
	// that the request may be sent again: it then retries at once, on a
	// new connection, an export written to a kept-alive connection that
	// the collector closed meanwhile (as one does when it restarts).
	req.Header["Idempotency-Key"] = nil
	resp, err := s.client.Do(req)
	if err != nil {
		if retryableTransportError(err) {
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
		if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != contentTypeProtobuf {
			return nil // only a protobuf body is decoded
		}
		return partialSuccessError(data)
	case code == http.StatusTooManyRequests, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		return &retryableError{err: s.statusError(resp, data), after: retryAfterDelay(resp.Header)}
	default:
		return s.statusError(resp, data)
	}
}

// retryableTransportError says whether another attempt may succeed after
// the transport failed with err, before any response. OTLP asks to retry
// when the client cannot connect and when the server disconnects without
// a response (https://opentelemetry.io/docs/specs/otlp/#otlphttp-connection):
// a collector that restarts loses no export that outlasts its restart. A
// certificate the client refused, or an endpoint that does not speak TLS,
// fails again. (The SDK's exporter retries only the errors that say they
// are temporary, not a refused connection.)
func retryableTransportError(err error) bool {
	var (
		certificate *tls.CertificateVerificationError
		record      tls.RecordHeaderError
	)
	return !errors.As(err, &certificate) && !errors.As(err, &record) && !errors.Is(err, http.ErrSchemeMismatch)
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

// statusError names the URL, the status and the start of the body.
func (s *httpSender) statusError(resp *http.Response, data []byte) error {
	body := strings.TrimSpace(string(data))
	if len(body) > maxErrorBody {
		body = strings.ToValidUTF8(body[:maxErrorBody], "") + "…"
	}
	if body == "" {
		body = "(empty)"
	}
	return fmt.Errorf("%w: POST %s: %s (body: %s)", errExportFailed, s.url, resp.Status, body)
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

// requestBody is a request body over an export's buffer, which holds
// the buffer until its first Close.
type requestBody struct {
	*bytes.Reader
	holds  *bodyHolds
	closed atomic.Bool
}

func newRequestBody(buf []byte, holds *bodyHolds) *requestBody {
	holds.hold()
	return &requestBody{Reader: bytes.NewReader(buf), holds: holds}
}

func (r *requestBody) Close() error {
	if r.closed.CompareAndSwap(false, true) {
		r.holds.release()
	}
	return nil
}
