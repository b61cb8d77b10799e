// Package quickclose serves a test's HTTP server and closes it as soon as
// no request is in progress. http.Server.Shutdown also waits up to 5
// seconds for connections that never carried a request: Go's HTTP client
// keeps a connection it dialed but did not need, and k6, the exporters and
// the test services all use that client.
package quickclose

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is an http.Server being served by Serve.
type Server struct {
	srv    *http.Server
	served chan error

	mu     sync.Mutex
	active map[net.Conn]bool // connections reading or serving a request
}

// Serve serves srv on ln until Close; it takes over srv.ConnState.
func Serve(srv *http.Server, ln net.Listener) *Server {
	s := &Server{srv: srv, served: make(chan error, 1), active: map[net.Conn]bool{}}
	srv.ConnState = s.track
	go func() { s.served <- srv.Serve(ln) }()
	return s
}

// Close lets the requests in progress finish, until ctx ends, then closes
// every connection. It returns ctx's error when requests were still in
// progress, and Serve's when it failed otherwise. Call it once.
func (s *Server) Close(ctx context.Context) error {
	s.srv.SetKeepAlivesEnabled(false) // a finished request closes its connection
	var err error
	for s.busy() && err == nil {
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	err = errors.Join(err, s.srv.Close())
	if serveErr := <-s.served; !errors.Is(serveErr, http.ErrServerClosed) {
		err = errors.Join(err, serveErr)
	}
	return err
}

func (s *Server) track(c net.Conn, state http.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if state == http.StateActive {
		s.active[c] = true
	} else {
		delete(s.active, c)
	}
}

func (s *Server) busy() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.active) > 0
}
