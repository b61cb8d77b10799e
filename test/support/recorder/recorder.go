// Package recorder is an HTTP server for tests: it listens on 127.0.0.1
// only, answers every request with 200, and records what it received so that
// a test can compare the headers k6 sent with what k6 reported.
package recorder

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gorilla/websocket"
)

// maxRecorded bounds memory: a runaway script cannot grow the record forever.
const maxRecorded = 2_000_000

// Request is what the server saw of one request.
type Request struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   string
}

// Server records requests; the zero value is not usable, call Start.
type Server struct {
	URL string

	observe func(Request) bool // nil: record everything

	mu       sync.Mutex
	requests []Request
	dropped  int
	srv      *http.Server
}

// Option changes how a Server records; Start applies them in order.
type Option func(*Server)

// WithObserver has the server call observe with every request it
// receives, before it answers, and record the request only if observe
// returns true. observe runs in the goroutine that serves the request, so
// concurrently with itself; the Request's Header is the live one, to read
// during the call and not to keep. A request observe declines is neither
// in Requests nor counted by Dropped.
//
// It is for loads of many requests of which a test needs a digest (trace
// ids, counts): recording all of them would hold every header of each.
func WithObserver(observe func(Request) (record bool)) Option {
	return func(s *Server) { s.observe = observe }
}

// Start listens on a free loopback port and serves until Close.
func Start(opts ...Option) (*Server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String()}
	for _, opt := range opts {
		opt(s)
	}
	s.srv = &http.Server{Handler: s} //nolint:gosec // test server on loopback
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// ServeHTTP records the request and answers 200 "ok"; a WebSocket
// handshake is recorded and then served by echo.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if websocket.IsWebSocketUpgrade(r) {
		s.record(r, "")
		echo(w, r)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.record(r, string(body))
	if code, ok := strings.CutPrefix(r.URL.Path, StatusPath); ok {
		if n, err := strconv.Atoi(code); err == nil && n >= 200 && n <= 599 {
			w.WriteHeader(n)
			return
		}
	}
	if r.URL.Path == RedirectPath {
		// Only to a path of this server: the recorder never sends a client elsewhere.
		if to := r.URL.Query().Get("to"); strings.HasPrefix(to, "/") && !strings.HasPrefix(to, "//") {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if r.URL.Path == AppPath {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, appPage)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok")
}

// StatusPath answers with the status that follows it: /status/503.
const StatusPath = "/status/"

// RedirectPath answers 302 Found to the path its query's "to" names:
// /redirect?to=/ok.
const RedirectPath = "/redirect"

// AppPath is a small web page for browser examples: a stylesheet, a
// script, an image and a POST from fetch, all recorded like any request.
// When the POST has been answered, the page's title becomes "ready" and
// its status.
const AppPath = "/app"

const appPage = `<!doctype html>
<html><head><title>loading</title><link rel="stylesheet" href="/app/style.css"></head>
<body><img src="/app/logo.png" alt=""><script src="/app/app.js"></script>
<script>
fetch("/app/api/cart", { method: "POST", headers: { "content-type": "application/json" }, body: '{"item":42}' })
  .then((r) => { document.title = "ready " + r.status; }, () => { document.title = "ready failed"; });
</script></body></html>
`

func (s *Server) record(r *http.Request, body string) {
	if s.observe != nil {
		seen := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header, Body: body}
		if !s.observe(seen) {
			return
		}
	}
	s.mu.Lock()
	if len(s.requests) < maxRecorded {
		s.requests = append(s.requests, Request{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body,
		})
	} else {
		s.dropped++
	}
	s.mu.Unlock()
}

// maxEchoes bounds one WebSocket connection's loop.
const maxEchoes = 1000

// echo upgrades the connection and sends back each message, until the
// client closes it or maxEchoes messages were echoed.
func echo(w http.ResponseWriter, r *http.Request) {
	conn, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the client
	}
	defer conn.Close()
	for range maxEchoes {
		kind, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		if err := conn.WriteMessage(kind, msg); err != nil {
			return
		}
	}
}

// Requests returns a copy of what was recorded so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Reset forgets what was recorded.
func (s *Server) Reset() {
	s.mu.Lock()
	s.requests, s.dropped = nil, 0
	s.mu.Unlock()
}

// Dropped is how many requests arrived after the record was full.
func (s *Server) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }
