package explain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// ErrNotFound means the backend has no span of the trace (yet: services
// export late).
var ErrNotFound = errors.New("the backend has no such trace")

// maxTraceBody bounds one answer: a trace beyond MaxSpans is cut anyway.
const maxTraceBody = 64 << 20

// Backend is a trace backend's query API.
type Backend struct {
	// Kind is "jaeger" (Jaeger v2's /api/v3/traces/{id}) or "tempo"
	// (Tempo's /api/v2/traces/{id}).
	Kind string
	// URL is the API's base URL: Jaeger's query (http://localhost:16686),
	// Tempo's (http://localhost:3200); no trailing slash.
	URL string
	// Header is sent with every request: Authorization (Grafana Cloud
	// Traces takes basic auth), X-Scope-OrgID (a multi-tenant Tempo).
	Header http.Header
	// Client sends the requests; nil for http.DefaultClient.
	Client *http.Client
}

// traceURL returns the URL of one trace.
func (b Backend) traceURL(traceID string) (string, error) {
	base := strings.TrimSuffix(b.URL, "/")
	switch b.Kind {
	case "jaeger":
		return base + "/api/v3/traces/" + traceID, nil
	case "tempo":
		return base + "/api/v2/traces/" + traceID, nil
	}
	return "", fmt.Errorf("backend kind %q: allowed: \"jaeger\", \"tempo\"", b.Kind)
}

// Fetch reads one trace once.
func (b Backend) Fetch(ctx context.Context, traceID string) ([]Span, Completeness, error) {
	u, err := b.traceURL(traceID)
	if err != nil {
		return nil, Unknown, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, Unknown, err
	}
	for name, values := range b.Header {
		req.Header[name] = append([]string(nil), values...)
	}
	req.Header.Set("Accept", "application/json")
	client := b.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, Unknown, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxTraceBody))
	if err != nil {
		return nil, Unknown, err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, Unknown, ErrNotFound
	case resp.StatusCode != http.StatusOK:
		return nil, Unknown, fmt.Errorf("GET %s: %s: %s", u, resp.Status, firstLine(body))
	}
	spans, complete, err := ReadTrace(body)
	if errors.Is(err, ErrNoSpans) {
		return nil, complete, ErrNotFound
	}
	return spans, complete, err
}

// firstLine returns the start of an error answer, for the message.
func firstLine(body []byte) string {
	s, _, _ := strings.Cut(string(body), "\n")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// PollOptions bound how traces are read back.
type PollOptions struct {
	// Interval is the time between two reads of a trace (default 500 ms).
	Interval time.Duration
	// Settle is how long a trace's span count must stay the same for the
	// trace to be taken as whole (default 3 s): services' SDKs export in
	// batches, by default every 5 s.
	Settle time.Duration
	// Concurrency is how many traces are read at once (default 4).
	Concurrency int
}

func (o PollOptions) withDefaults() PollOptions {
	if o.Interval <= 0 {
		o.Interval = 500 * time.Millisecond
	}
	if o.Settle <= 0 {
		o.Settle = 3 * time.Second
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	return o
}

// Result is one trace as read back, or why it is not.
type Result struct {
	Spans    []Span
	Complete Completeness
	Err      error // the last read's, when no read succeeded
	Reads    int
}

// Poll reads each trace until its span count stayed the same for
// opts.Settle, or until ctx ends, which bounds the whole: a backend that is
// down or slow costs at most that. The results are by trace id.
func (b Backend) Poll(ctx context.Context, traceIDs []string, opts PollOptions) map[string]Result {
	opts = opts.withDefaults()
	results := make(map[string]Result, len(traceIDs))
	var mu sync.Mutex
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(opts.Concurrency, len(traceIDs)) {
		wg.Go(func() {
			for id := range work {
				r := b.poll(ctx, id, opts)
				mu.Lock()
				results[id] = r
				mu.Unlock()
			}
		})
	}
	for _, id := range traceIDs {
		work <- id
	}
	close(work)
	wg.Wait()
	return results
}

// poll reads one trace until it settles or ctx ends.
func (b Backend) poll(ctx context.Context, traceID string, opts PollOptions) Result {
	var r Result
	var changed time.Time
	for {
		spans, complete, err := b.Fetch(ctx, traceID)
		r.Reads++
		switch {
		case err == nil && len(spans) != len(r.Spans):
			r.Spans, r.Complete, r.Err, changed = spans, complete, nil, time.Now()
		case err == nil:
			r.Complete = complete
			if time.Since(changed) >= opts.Settle {
				return r
			}
		case r.Spans == nil:
			r.Err = err
		}
		select {
		case <-ctx.Done():
			if r.Spans == nil && r.Err == nil {
				r.Err = ctx.Err()
			}
			return r
		case <-time.After(opts.Interval):
		}
	}
}
