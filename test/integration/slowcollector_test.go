//go:build integration

package integration

import (
	"compress/gzip"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// slowCollector is a loopback OTLP/HTTP traces endpoint that answers each
// export only after a delay, as an overloaded collector would. It counts
// the spans of the exports it answered with success, and only those: they
// are what the exporter counts as delivered.
type slowCollector struct {
	// URL is the traces endpoint, /v1/traces included.
	URL string

	delay   time.Duration
	quit    chan struct{}
	mu      sync.Mutex
	spanIDs map[string]int // hex span id: how many times it was delivered
	exports int
	largest int // spans in the largest export
}

// maxExportBody bounds what one export request may make the server read.
const maxExportBody = 64 << 20

// startSlowCollector starts a slow collector that stops with the test.
func startSlowCollector(t *testing.T, delay time.Duration) *slowCollector {
	t.Helper()
	c := &slowCollector{delay: delay, quit: make(chan struct{}), spanIDs: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(c.serve)) // 127.0.0.1
	c.URL = srv.URL + "/v1/traces"
	t.Cleanup(func() {
		close(c.quit) // first: Close waits for the handlers
		srv.Close()
	})
	return c
}

func (c *slowCollector) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/traces" {
		http.NotFound(w, r)
		return
	}
	var body io.Reader = io.LimitReader(r.Body, maxExportBody)
	if r.Header.Get("Content-Encoding") == "gzip" {
		gz, err := gzip.NewReader(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		body = gz
	}
	raw, err := io.ReadAll(body)
	var req coltracepb.ExportTraceServiceRequest
	if err == nil {
		err = proto.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	select {
	case <-time.After(c.delay):
	case <-r.Context().Done():
		return // the exporter gave up: nothing was delivered
	case <-c.quit:
		return
	}
	resp, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
	c.mu.Lock()
	c.exports++
	n := 0
	for _, rs := range req.GetResourceSpans() {
		for _, ss := range rs.GetScopeSpans() {
			for _, s := range ss.GetSpans() {
				c.spanIDs[hex.EncodeToString(s.GetSpanId())]++
				n++
			}
		}
	}
	c.largest = max(c.largest, n)
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	_, _ = w.Write(resp)
}

// delivered returns the span ids received, each with how many times it
// was, the number of exports answered and the spans of the largest.
func (c *slowCollector) delivered() (spanIDs map[string]int, exports, largest int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.spanIDs))
	for id, n := range c.spanIDs {
		out[id] = n
	}
	return out, c.exports, c.largest
}
