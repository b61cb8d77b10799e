package tracing

import (
	"net/url"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

// wsSession is a traced WebSocket session: one CLIENT span from the
// handshake to the close, with the handshake's status, the messages sent
// and received, and each error as an event.
type wsSession struct {
	span trace.Span // nil when the session exports no span

	mu             sync.Mutex // the event loop, and k6's IterEnd handler
	sent, received int
	status         int // the handshake's: 101 once open
	errText        string
	ended          bool
}

// newWSSession starts the session span of sp, a WebSocket to rawURL
// named name (its name tag, "" for none).
func (t *tracer) newWSSession(sp requestTrace, rawURL, name string, start time.Time) *wsSession {
	s := &wsSession{}
	if !t.exportsSpan(sp) {
		return s
	}
	p := t.spanProvider()
	if p == nil {
		return s
	}
	target := name
	if target == "" {
		target = rawURL
		if u, err := url.Parse(rawURL); err == nil && u.Path != "" {
			target = u.Path
		}
	}
	attrs := append(urlAttributes(rawURL), attribute.String("http.request.method", "GET"),
		attribute.String("network.protocol.name", "websocket"))
	if name != "" {
		attrs = append(attrs, attribute.String("k6.name", name))
	}
	s.span = t.startOTelSpan(p, sp, "WebSocket "+target, trace.SpanKindClient, start, t.appendK6Attributes(attrs))
	return s
}

// opened notes the handshake's status.
func (s *wsSession) opened(status int) {
	s.mu.Lock()
	s.status = status
	s.mu.Unlock()
}

func (s *wsSession) countSent() {
	s.mu.Lock()
	s.sent++
	s.mu.Unlock()
}

func (s *wsSession) countReceived() {
	s.mu.Lock()
	s.received++
	s.mu.Unlock()
}

// failed notes an error, as an event of the span: the session goes on
// until it closes.
func (s *wsSession) failed(at time.Time, text string) {
	s.mu.Lock()
	s.errText = text
	s.mu.Unlock()
	if s.span != nil {
		s.span.AddEvent("websocket.error", trace.WithTimestamp(at), trace.WithAttributes(attribute.String("message", text)))
	}
}

// finish ends the span, once: status is the handshake's when known (0
// otherwise), closeCode the close frame's code (0 for none).
func (s *wsSession) finish(end time.Time, status, closeCode int, why string) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	if status != 0 {
		s.status = status
	}
	sent, received, status, errText := s.sent, s.received, s.status, s.errText
	s.mu.Unlock()
	if s.span == nil {
		return
	}
	attrs := []attribute.KeyValue{
		attribute.Int("k6.websocket.messages_sent", sent),
		attribute.Int("k6.websocket.messages_received", received),
	}
	if status != 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", status))
	}
	if closeCode != 0 {
		attrs = append(attrs, attribute.Int("k6.websocket.close_code", closeCode))
	}
	switch {
	case why != "":
		attrs = append(attrs, attribute.String("error.type", "_OTHER"))
		s.span.SetStatus(codes.Error, why)
	case status != 101:
		// The handshake failed: no session.
		attrs = append(attrs, attribute.String("error.type", "_OTHER"))
		if errText == "" {
			errText = "the WebSocket handshake failed"
		}
		s.span.SetStatus(codes.Error, errText)
	}
	s.span.SetAttributes(attrs...)
	s.span.End(trace.WithTimestamp(end))
}

// cut ends a session the iteration outlived.
func (s *wsSession) cut(at time.Time) {
	s.finish(at, 0, 0, "the iteration ended before the WebSocket closed")
}

// isEnded reports whether the session is over.
func (s *wsSession) isEnded() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}
