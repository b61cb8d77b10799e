package wsserver

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// The trace context the test's handshakes carry, set by hand in the
// headers as k6 sets it.
const (
	traceID     = "4bf92f3577b34da6a3ce929d0e0e4736"
	parentID    = "00f067aa0ba902b7"
	traceparent = "00-" + traceID + "-" + parentID + "-01"
)

func dialer() *websocket.Dialer {
	return &websocket.Dialer{HandshakeTimeout: 5 * time.Second}
}

func tracedHeader() http.Header {
	return http.Header{"Traceparent": {traceparent}}
}

func stopServer(t *testing.T, s *Server) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Stop(ctx)
	})
}

// closeClient closes a session from the client's side as a well-behaved
// client does: a close frame, then reading up to the server's answer.
func closeClient(t *testing.T, c *websocket.Conn) {
	t.Helper()
	require.NoError(t, c.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(5*time.Second)))
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err := c.ReadMessage()
	require.True(t, websocket.IsCloseError(err, websocket.CloseNormalClosure), "the server answers the close: %v", err)
}

func TestServer(t *testing.T) {
	t.Parallel()
	sink, err := otlpsink.Start(otlpsink.Options{Keep: true})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sink.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, sink.Endpoint())
	require.NoError(t, err)
	stopServer(t, srv)
	require.True(t, strings.HasPrefix(srv.URL, "ws://127.0.0.1:"), srv.URL)

	// An echo: each message back as it was sent, text or binary.
	conn, resp, err := dialer().DialContext(ctx, srv.URL+"/echo", tracedHeader())
	require.NoError(t, err)
	defer conn.Close()
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("hello")))
	require.NoError(t, conn.WriteMessage(websocket.BinaryMessage, []byte{0, 1, 2}))
	kind, msg, err := conn.ReadMessage()
	require.NoError(t, err)
	echoed := time.Now() // the server ended the handshake's span before it read a message
	require.Equal(t, websocket.TextMessage, kind)
	require.Equal(t, "hello", string(msg))
	kind, msg, err = conn.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, websocket.BinaryMessage, kind)
	require.Equal(t, []byte{0, 1, 2}, msg)
	require.Equal(t, 2, srv.Sessions()[0].Received, "counted before echoed")
	closeClient(t, conn)

	// A refused handshake.
	_, resp, err = dialer().DialContext(ctx, srv.URL+RejectPath, tracedHeader())
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	_ = resp.Body.Close()

	// A session the server closes at once; what the client sent before it
	// read the close is not counted.
	conn, resp, err = dialer().DialContext(ctx, srv.URL+ClosePath, tracedHeader())
	require.NoError(t, err)
	defer conn.Close()
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("never answered")))
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err = conn.ReadMessage()
	closeErr, ok := errors.AsType[*websocket.CloseError](err)
	require.True(t, ok, "a close: %v", err)
	require.Equal(t, websocket.ClosePolicyViolation, closeErr.Code)
	require.Equal(t, "policy", closeErr.Text)

	// Not a handshake: 400, and no session.
	hresp, err := http.Get("http" + strings.TrimPrefix(srv.URL, "ws") + "/echo")
	require.NoError(t, err)
	_ = hresp.Body.Close()
	require.Equal(t, http.StatusBadRequest, hresp.StatusCode)

	stopCtx, stopCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopCancel()
	require.NoError(t, srv.Stop(stopCtx))
	require.NoError(t, srv.Stop(stopCtx), "a second Stop")

	sessions := srv.Sessions()
	require.Len(t, sessions, 3)
	var paths []string
	var statuses, received []int
	for _, s := range sessions {
		paths = append(paths, s.Path)
		statuses = append(statuses, s.Status)
		received = append(received, s.Received)
		require.Equal(t, traceparent, s.Header.Get("Traceparent"), s.Path)
	}
	require.Equal(t, []string{"/echo", RejectPath, ClosePath}, paths)
	require.Equal(t, []int{101, 403, 101}, statuses)
	require.Equal(t, []int{2, 0, 0}, received)

	// The result is a copy.
	sessions[0].Header.Set("Traceparent", "changed")
	require.Equal(t, traceparent, srv.Sessions()[0].Header.Get("Traceparent"))

	// Stop flushed the provider: every handshake's span is in the sink,
	// the child of the traceparent's span.
	byPath := map[string]otlpsink.Span{}
	for _, s := range sink.Spans() {
		if s.Service == ServiceName && s.Kind == "server" {
			byPath[s.Attrs["url.path"]] = s
		}
	}
	require.Len(t, byPath, 3)
	for path, status := range map[string]string{"/echo": "101", RejectPath: "403", ClosePath: "101"} {
		s := byPath[path]
		require.Equal(t, "GET "+path, s.Name)
		require.Equal(t, traceID, s.TraceID, path)
		require.Equal(t, parentID, s.ParentID, path)
		require.Equal(t, "GET", s.Attrs["http.request.method"], path)
		require.Equal(t, status, s.Attrs["http.response.status_code"], path)
		require.Equal(t, "websocket", s.Attrs["network.protocol.name"], path)
		require.False(t, s.StatusError, "a refusal is no server error: %s", path)
	}
	require.False(t, byPath["/echo"].End.After(echoed), "the handshake's span ends with the upgrade, not the session")
}

func TestServerStopClosesSessions(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, "") // untraced
	require.NoError(t, err)
	stopServer(t, srv)

	// Sessions at once, for the race detector.
	const n = 8
	conns := make([]*websocket.Conn, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		c, _, err := dialer().DialContext(ctx, srv.URL+"/many", nil)
		require.NoError(t, err)
		t.Cleanup(func() { _ = c.Close() })
		conns[i] = c
		wg.Go(func() {
			for range 20 {
				if err := c.WriteMessage(websocket.TextMessage, []byte("x")); err != nil {
					errs <- err
					return
				}
				if _, _, err := c.ReadMessage(); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	// A message over the limit ends its session with 1009.
	big, _, err := dialer().DialContext(ctx, srv.URL+"/big", nil)
	require.NoError(t, err)
	defer big.Close()
	require.NoError(t, big.WriteMessage(websocket.BinaryMessage, make([]byte, maxMessageBytes+1)))
	require.NoError(t, big.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, _, err = big.ReadMessage()
	require.True(t, websocket.IsCloseError(err, websocket.CloseMessageTooBig), "%v", err)

	// Stop closes the sessions still open with 1001, within its grace.
	// The clients read the close in the background, as a client does, so
	// that gorilla answers it and Stop need not cut them off.
	closes := make(chan error, n)
	for _, c := range conns {
		go func() {
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			_, _, err := c.ReadMessage()
			closes <- err
		}()
	}
	stopCtx, stopCancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopCancel()
	start := time.Now()
	require.NoError(t, srv.Stop(stopCtx))
	require.Less(t, time.Since(start), stopGrace, "the clients answered: no need to wait out the grace")
	for range n {
		err := <-closes
		require.True(t, websocket.IsCloseError(err, websocket.CloseGoingAway), "%v", err)
	}

	sessions := srv.Sessions()
	require.Len(t, sessions, n+1)
	for _, s := range sessions[:n] {
		require.Equal(t, "/many", s.Path)
		require.Equal(t, 20, s.Received)
		require.Equal(t, 101, s.Status)
	}
	require.Equal(t, 0, sessions[n].Received, "/big: the message over the limit is not counted")

	// After Stop, nothing is served.
	_, _, err = dialer().DialContext(ctx, srv.URL+"/late", nil)
	require.Error(t, err)
}

func TestServerStopCutsSilentClients(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv, err := Start(ctx, "")
	require.NoError(t, err)
	stopServer(t, srv)

	// A client that never reads: it does not answer Stop's close frame.
	c, _, err := dialer().DialContext(ctx, srv.URL+"/silent", nil)
	require.NoError(t, err)
	defer c.Close()
	start := time.Now()
	require.NoError(t, srv.Stop(ctx))
	elapsed := time.Since(start)
	require.GreaterOrEqual(t, elapsed, stopGrace/2)
	require.Less(t, elapsed, stopGrace+2*time.Second, "cut off after the grace")
}
