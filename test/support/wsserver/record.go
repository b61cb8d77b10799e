package wsserver

import "net/http"

// maxSessions bounds memory: a long load test cannot grow the record
// forever. The sessions after it are served and traced, not recorded.
const maxSessions = 100_000

// Session is one WebSocket handshake the server received, and what came
// of it.
type Session struct {
	// Path is the handshake's URL path, e.g. "/echo".
	Path string
	// Header is the handshake request's headers, as Go's HTTP server has
	// them (canonical keys, no Host): what the client sent, the
	// traceparent among it.
	Header http.Header
	// Received is how many text and binary messages the server has read
	// from the client: each is counted before it is echoed. It is 0 for a
	// refused handshake, and for ClosePath, whose messages the server
	// discards.
	Received int
	// Status is the handshake's answer: 101 Switching Protocols, or the
	// status it was refused with (403 on RejectPath; 400 or 405 from
	// gorilla for a malformed handshake). It is 0 when the connection
	// failed while the 101 was being written.
	Status int
}

// Sessions returns the sessions the server received so far, in the order
// their handshakes arrived, up to the first 100,000. A session is
// recorded before its handshake is answered, and each of its messages
// counted as soon as it is read, so a client that has its answer or an
// echo sees it here. The result is a copy.
func (s *Server) Sessions() []Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Session, len(s.sessions))
	for i, sess := range s.sessions {
		out[i] = *sess
		out[i].Header = sess.Header.Clone()
	}
	return out
}

// record adds a session for the handshake r, and returns it for its
// status and count to be updated. Past maxSessions the session returned
// is updated but not kept.
func (s *Server) record(r *http.Request) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.sessions) >= maxSessions {
		return &Session{Path: r.URL.Path}
	}
	sess := &Session{Path: r.URL.Path, Header: r.Header.Clone()}
	s.sessions = append(s.sessions, sess)
	return sess
}

// setStatus records the handshake's answer.
func (s *Server) setStatus(sess *Session, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.Status = status
}

// received counts one more message read in sess.
func (s *Server) received(sess *Session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess.Received++
}
