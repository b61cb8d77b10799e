package spans

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"google.golang.org/protobuf/encoding/protowire"
)

// Errors of [otlpExporter.ExportSpans], besides the context's.
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
	// maxResponseBody bounds what is read of a response, as the SDK does
	// after OTLP's recommendation: a misconfigured or hostile endpoint
	// must not make k6 buffer without bound.
	maxResponseBody = 4 << 20
	// maxErrorBody bounds the part of a response body or status message
	// an error quotes.
	maxErrorBody = 1 << 10
	// maxKeptBuffer bounds the request buffer kept for the next export,
	// so that one batch of huge spans does not pin its memory for the
	// rest of the test.
	maxKeptBuffer = 4 << 20
)

// otlpUserAgent names the exporter to the endpoint, as the SDK's does.
var otlpUserAgent = "xk6-tracing OTLP exporter (" + runtime.Version() + ")"

// retryPolicy is an exponential backoff: the first wait is about initial
// (±50%), each next one half as long again, up to maxInterval; no attempt
// starts after maxElapsed.
type retryPolicy struct {
	initial, maxInterval, maxElapsed time.Duration
}

// defaultRetry is the SDK's, but its first wait is about 1 s (as the Java
// SDK's) rather than 5 s: a batch that waits holds one of the few exports
// in flight while the queue fills, and a collector back from a restart
// then gets it sooner (docs/performance.md).
var defaultRetry = retryPolicy{initial: time.Second, maxInterval: 30 * time.Second, maxElapsed: time.Minute}

// sender makes one attempt at delivering an encoded export request over
// one transport: OTLP/HTTP ([httpSender]) or OTLP/gRPC ([grpcSender]).
type sender interface {
	// send returns nil when the endpoint accepted every span, a
	// *retryableError when another attempt may succeed, and any other
	// error when none will. A transport that may read body after send
	// returns holds it, and releases it when done.
	send(ctx context.Context, body []byte, holds *bodyHolds) error
	// close drops the sender's connections.
	close()
}

// otlpExporter sends spans to an OTLP endpoint, as the SDK's otlptrace
// exporters do, but encodes them without their intermediate protobuf
// structs, into a buffer reused from one export to the next, and sends
// them over either transport with one retry policy.
type otlpExporter struct {
	sender sender
	// timeout bounds an export, its retries included.
	timeout time.Duration
	retry   retryPolicy
	// stopped is cancelled by Shutdown: it interrupts the export in
	// flight and fails later ones.
	stopped context.Context
	stop    context.CancelFunc

	// encoders are the idle encoders, each with its request buffer: an
	// export takes one, or makes one when every one is busy, so that
	// several exports run at once (see [exportQueue]) without a lock.
	encoders chan *encodeState
}

// encodeState is an encoder and the request buffer it writes into, kept
// from one export to the next.
type encodeState struct {
	enc otlpEncoder
	buf []byte
}

var _ sdktrace.SpanExporter = (*otlpExporter)(nil)

// newOTLPExporter returns an exporter that sends through s, each export
// within cfg.ExportTimeout.
func newOTLPExporter(cfg Config, s sender) *otlpExporter {
	stopped, stop := context.WithCancel(context.Background())
	return &otlpExporter{
		sender:  s,
		timeout: cfg.ExportTimeout,
		retry:   defaultRetry,
		stopped: stopped,
		stop:    stop,
		// One idle encoder for each export the provider has in flight.
		encoders: make(chan *encodeState, cfg.concurrentExports()),
	}
}

// ExportSpans sends spans in one request, retrying while the endpoint is
// unavailable or throttles, until the export timeout or ctx's deadline,
// whichever comes first. An export of no spans sends nothing.
func (e *otlpExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	if e.stopped.Err() != nil {
		return errExporterShutdown
	}
	var st *encodeState
	select {
	case st = <-e.encoders:
	default:
		st = &encodeState{}
	}
	defer func() {
		select {
		case e.encoders <- st:
		default: // enough idle ones
		}
	}()
	body, err := st.encode(spans)
	if err != nil || len(body) == 0 {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	defer context.AfterFunc(e.stopped, func() { cancel(errExporterShutdown) })()
	if e.timeout > 0 {
		var cancelTimeout context.CancelFunc
		ctx, cancelTimeout = context.WithTimeoutCause(ctx, e.timeout,
			fmt.Errorf("%w: the export timeout of %v passed", context.DeadlineExceeded, e.timeout))
		defer cancelTimeout()
	}
	var holds bodyHolds
	err = e.deliver(ctx, body, &holds)
	if holds.n.Load() == 0 && cap(body) <= maxKeptBuffer {
		st.buf = body
	} else {
		// The transport may still read it: the next export needs a
		// buffer of its own.
		st.buf = nil
	}
	return err
}

// encode returns the request of spans, in the kept buffer. A read-only
// span is an interface anyone may implement; one that panics when read
// fails this export, not k6.
func (st *encodeState) encode(spans []sdktrace.ReadOnlySpan) (body []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			st.enc, st.buf = otlpEncoder{}, nil // in an unknown state
			err = fmt.Errorf("%w: %v", errEncoding, r)
		}
	}()
	return st.enc.appendExportRequest(st.buf[:0], spans), nil
}

// Shutdown interrupts the export in flight, if any; later exports fail.
func (e *otlpExporter) Shutdown(ctx context.Context) error {
	e.stop()
	e.sender.close()
	return ctx.Err()
}

// deliver sends body until an attempt succeeds, fails for good, or the
// next one would start after ctx's deadline or the retry policy's end.
func (e *otlpExporter) deliver(ctx context.Context, body []byte, holds *bodyHolds) error {
	start := time.Now()
	interval := e.retry.initial
	// failure is the error of the last attempt that failed by itself, not
	// because ctx ended.
	var failure error
	for {
		err := e.sender.send(ctx, body, holds)
		if err == nil {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
			// gRPC times a call out by the deadline itself, and may return
			// just before ctx says so: wait for ctx, whose cause (the batch
			// processor's export timeout, or ours) says what ran out.
			<-ctx.Done()
		}
		if ctx.Err() != nil {
			if errors.Is(err, errUnreachable) {
				failure = err // it waited for a connection that never came
			}
			return &interruptedError{err: withCause(ctx, err), failure: failure}
		}
		failure = err
		// send returns it unwrapped; one wrapped deeper is not a
		// decision of send's to retry.
		retryable, ok := err.(*retryableError) //nolint:errorlint // See above.
		if !ok {
			return err
		}
		delay := jittered(interval)
		if retryable.after > 0 {
			// OTLP: the client SHOULD honour the wait the endpoint asks
			// for, rather than its own backoff, which would wait longer
			// (the SDK waits for the longer of the two) while the queue
			// fills.
			delay = retryable.after
		}
		interval = min(interval*3/2, e.retry.maxInterval)
		if time.Since(start)+delay > e.retry.maxElapsed {
			return fmt.Errorf("giving up after retrying for %v: %w", e.retry.maxElapsed, err)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
			// Waiting would only hold up the export queue.
			return fmt.Errorf("%w: the next attempt, in %v, would be too late: %w",
				context.DeadlineExceeded, delay.Round(time.Millisecond), err)
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return &interruptedError{err: withCause(ctx, err), failure: failure}
		case <-timer.C:
		}
	}
}

// errUnreachable marks an attempt that ctx ended while it waited for a
// connection to the collector that could not be made.
var errUnreachable = errors.New("the collector could not be reached")

// interruptedError is an export that its context ended: the export
// timeout, the flush timeout or the shutdown. failure is the error of its
// last attempt that failed, nil when none did: the flush timeout may end
// an export that was only slow, or one that was retrying a collector that
// is down, and the report at the end tells them apart.
type interruptedError struct {
	err, failure error
}

func (e *interruptedError) Error() string { return e.err.Error() }
func (e *interruptedError) Unwrap() error { return e.err }

// withCause returns err of an attempt that ctx ended, saying why ctx
// ended: the export timeout, the flush timeout or the shutdown. The HTTP
// client's error already wraps that cause, and says it; gRPC's status
// does not.
func withCause(ctx context.Context, err error) error {
	cause := context.Cause(ctx)
	if errors.Is(err, cause) {
		return err
	}
	return fmt.Errorf("%w: %w", cause, err)
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

// bodyHolds counts the holds a transport took on an export's buffer and
// has not released yet. A transport may read the request after the
// response has come (an HTTP server may answer before it read the
// request; gRPC writes a message's frames from its own goroutine), so the
// buffer is reused only once every hold is released.
type bodyHolds struct{ n atomic.Int32 }

func (h *bodyHolds) hold()    { h.n.Add(1) }
func (h *bodyHolds) release() { h.n.Add(-1) }

// The fields of an ExportTraceServiceResponse that the exporters read
// (opentelemetry-proto, collector/trace/v1/trace_service.proto).
const (
	fieldPartialSuccess = 1 // ExportTraceServiceResponse.partial_success
	fieldRejectedSpans  = 1 // ExportTracePartialSuccess.rejected_spans
	fieldErrorMessage   = 2 // ExportTracePartialSuccess.error_message
)

// errMalformedResponse is a response whose protobuf does not parse.
var errMalformedResponse = errors.New("malformed protobuf")

// partialSuccessError is the error an accepted export's response reports,
// if any: the spans it rejected, and why. The response is decoded by hand,
// as a protobuf decoder would: fields of other numbers or wire types are
// skipped, and a repeated partial_success merges into the first.
func partialSuccessError(resp []byte) error {
	var (
		rejected int64
		msg      string
	)
	err := eachResponseField(resp, func(num protowire.Number, typ protowire.Type, v []byte) error {
		if num != fieldPartialSuccess || typ != protowire.BytesType {
			return nil
		}
		return eachResponseField(v, func(num protowire.Number, typ protowire.Type, v []byte) error {
			switch {
			case num == fieldRejectedSpans && typ == protowire.VarintType:
				n, _ := protowire.ConsumeVarint(v)
				rejected = int64(n)
			case num == fieldErrorMessage && typ == protowire.BytesType:
				msg = strings.ToValidUTF8(string(v), "\uFFFD")
			}
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("decoding the OTLP response: %w", err)
	}
	if rejected == 0 && msg == "" {
		return nil
	}
	if msg == "" {
		msg = "no message"
	}
	return fmt.Errorf("%w: %s (%d spans rejected)", errPartialSuccess, msg, rejected)
}

// eachResponseField calls fn with each field of the protobuf message msg:
// its number, its wire type, and its value (a varint's bytes, or a
// length-delimited field's contents).
func eachResponseField(msg []byte, fn func(protowire.Number, protowire.Type, []byte) error) error {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return errMalformedResponse
		}
		msg = msg[n:]
		n = protowire.ConsumeFieldValue(num, typ, msg)
		if n < 0 {
			return errMalformedResponse
		}
		v := msg[:n]
		if typ == protowire.BytesType {
			v, _ = protowire.ConsumeBytes(v)
		}
		if err := fn(num, typ, v); err != nil {
			return err
		}
		msg = msg[n:]
	}
	return nil
}
