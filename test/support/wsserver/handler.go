package wsserver

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/websocket"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"
)

// The paths whose handshake or session does not end in an echo.
const (
	// RejectPath's handshake is refused with 403 Forbidden.
	RejectPath = "/reject"
	// ClosePath's session is closed by the server as soon as it is open,
	// with CloseCode and CloseReason.
	ClosePath = "/close"
)

// What the server closes a ClosePath session with.
const (
	CloseCode   = websocket.ClosePolicyViolation // 1008
	CloseReason = "policy"
)

// Bounds of a session, so that a wrong test or a silent client cannot
// make the server hang or exhaust memory.
const (
	// maxMessageBytes bounds a received message; a longer one ends the
	// session with 1009 (gorilla's answer to its read limit).
	maxMessageBytes = 1 << 20
	// idleTimeout is how long the server waits for a client's next
	// message (or ping) before it closes the session.
	idleTimeout = 60 * time.Second
	// writeTimeout bounds a write: an echo, a pong, a close frame.
	writeTimeout = 10 * time.Second
	// closeWait is how long a ClosePath session waits for the client to
	// answer the server's close frame.
	closeWait = 5 * time.Second
)

// serveHTTP answers a WebSocket handshake on any path, and serves its
// session until it ends. A request that is not a handshake is answered
// 400 and neither recorded nor traced: it opens no session.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !websocket.IsWebSocketUpgrade(r) {
		http.Error(w, "wsserver: not a WebSocket handshake", http.StatusBadRequest)
		return
	}
	if !s.enter() {
		http.Error(w, "wsserver: stopping", http.StatusServiceUnavailable)
		return
	}
	defer s.handlers.Done()
	sess := s.record(r)
	conn := s.handshake(w, r, sess)
	if conn == nil {
		return
	}
	defer s.forget(conn)
	if !s.track(conn) {
		// Upgraded while Stop was closing the open sessions.
		sendClose(conn, websocket.CloseGoingAway, "server stopping", time.Now().Add(writeTimeout))
		return
	}
	conn.SetReadLimit(maxMessageBytes)
	if r.URL.Path == ClosePath {
		closeAtOnce(conn)
		return
	}
	s.echo(conn, sess)
}

// enter counts a handler in, unless Stop has begun.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.handlers.Add(1)
	return true
}

// track adds an upgraded connection to those Stop closes, unless Stop has
// begun.
func (s *Server) track(c *websocket.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = true
	return true
}

// forget closes a connection and drops it from those Stop closes.
func (s *Server) forget(c *websocket.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	_ = c.Close()
}

// handshake answers a handshake inside a SERVER span that continues the
// trace context of its headers, named and attributed as the HTTP server
// semantic conventions say, and returns the upgraded connection (nil when
// there is none). The span ends as soon as the handshake is answered:
// the handshake is the HTTP request, and the session's messages are no
// part of it. As for any HTTP server span, its status is Error only when
// the server failed (5xx, or no answer at all): a refusal is the
// client's lot, not the server's fault.
func (s *Server) handshake(w http.ResponseWriter, r *http.Request, sess *Session) *websocket.Conn {
	ctx := r.Context()
	if s.tp != nil {
		ctx = propagator.Extract(ctx, propagation.HeaderCarrier(r.Header))
	}
	_, span := s.tracer.Start(ctx, r.Method+" "+r.URL.Path,
		trace.WithSpanKind(trace.SpanKindServer),
		trace.WithAttributes(
			attribute.String("http.request.method", r.Method),
			attribute.String("url.path", r.URL.Path),
			attribute.String("network.protocol.name", "websocket"),
		))
	defer span.End()
	status, conn, err := s.upgrade(w, r, sess)
	switch {
	case status == 0:
		span.RecordError(err)
		span.SetAttributes(attribute.String("error.type", "_OTHER"))
		span.SetStatus(codes.Error, err.Error())
	default:
		span.SetAttributes(attribute.Int("http.response.status_code", status))
		if status >= http.StatusInternalServerError {
			span.SetAttributes(attribute.String("error.type", strconv.Itoa(status)))
			span.SetStatus(codes.Error, "")
		}
	}
	return conn
}

// upgrade answers the handshake: 403 on RejectPath, otherwise 101 and the
// upgraded connection, or the status gorilla refused it with (a wrong
// method, version or key). The status is recorded before the answer is
// written, so that a client that has its answer sees it recorded. It is
// 0 when the connection failed after gorilla took it over and before a
// whole answer was written.
func (s *Server) upgrade(w http.ResponseWriter, r *http.Request, sess *Session) (int, *websocket.Conn, error) {
	if r.URL.Path == RejectPath {
		s.setStatus(sess, http.StatusForbidden)
		http.Error(w, "wsserver: refused", http.StatusForbidden)
		return http.StatusForbidden, nil, nil
	}
	status := http.StatusSwitchingProtocols
	s.setStatus(sess, status)
	up := websocket.Upgrader{
		// Any origin: k6 sends none unless a script sets one, and a test
		// server on loopback has no pages to protect.
		CheckOrigin: func(*http.Request) bool { return true },
		Error: func(w http.ResponseWriter, _ *http.Request, code int, reason error) {
			status = code
			s.setStatus(sess, code)
			w.Header().Set("Sec-Websocket-Version", "13")
			http.Error(w, reason.Error(), code)
		},
	}
	conn, err := up.Upgrade(w, r, nil)
	if err != nil && status == http.StatusSwitchingProtocols {
		status = 0 // Error was not called: the 101 was not (wholly) sent
		s.setStatus(sess, status)
	}
	return status, conn, err
}

// echo sends every text and binary message back, counted as soon as it
// is read (so that a client that has its echo sees it counted), until the
// client closes the session, goes silent for idleTimeout, or sends a
// message over maxMessageBytes. gorilla answers the client's close frame
// and pings.
func (s *Server) echo(conn *websocket.Conn, sess *Session) {
	// A client that pings is not idle; gorilla's own handler answers the
	// ping the same way but does not know about the read deadline.
	conn.SetPingHandler(func(data string) error {
		_ = conn.SetReadDeadline(time.Now().Add(idleTimeout))
		err := conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(writeTimeout))
		if errors.Is(err, websocket.ErrCloseSent) {
			return nil
		}
		return err
	})
	for {
		_ = conn.SetReadDeadline(time.Now().Add(idleTimeout))
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
				sendClose(conn, websocket.CloseGoingAway, "idle", time.Now().Add(writeTimeout))
			}
			return
		}
		s.received(sess)
		_ = conn.SetWriteDeadline(time.Now().Add(writeTimeout))
		if err := conn.WriteMessage(kind, msg); err != nil {
			return
		}
	}
}

// closeAtOnce closes a ClosePath session with CloseCode and CloseReason,
// then reads until the client answers with its own close frame, for at
// most closeWait: dropping the connection with the client's data unread
// would reset it, and the client could lose the server's close frame
// with it. What the client sent meanwhile is discarded and not counted:
// the server never took the session.
func closeAtOnce(conn *websocket.Conn) {
	sendClose(conn, CloseCode, CloseReason, time.Now().Add(writeTimeout))
	_ = conn.SetReadDeadline(time.Now().Add(closeWait))
	for {
		if _, _, err := conn.ReadMessage(); err != nil {
			return
		}
	}
}

// sendClose writes a close frame, by deadline at the latest. It may run
// beside a handler's write: gorilla's WriteControl is safe to call
// concurrently with the other methods.
func sendClose(conn *websocket.Conn, code int, reason string, deadline time.Time) {
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, reason), deadline)
}
