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
		return nil, Unknown, &StatusError{URL: u, Status: resp.Status, Code: resp.StatusCode, Body: firstLine(body)}
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

// DefaultSettle is PollOptions.Settle's default.
const DefaultSettle = 6 * time.Second

// PollOptions bound how traces are read back.
type PollOptions struct {
	// Interval is the time between two reads of a trace (default 500 ms).
	Interval time.Duration
	// Settle is how long a trace's span count must stay the same for the
	// trace to be taken as whole (default 6 s): services' SDKs export in
	// batches, by default every 5 s, so a shorter wait could take a trace
	// whose services have yet to export as whole.
	Settle time.Duration
	// Concurrency is how many traces are read at once (default 4).
	Concurrency int
}

func (o PollOptions) withDefaults() PollOptions {
	if o.Interval <= 0 {
		o.Interval = 500 * time.Millisecond
	}
	if o.Settle <= 0 {
		o.Settle = DefaultSettle
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

// Poll reads the traces in rounds, each trace at most once per
// opts.Interval and at most opts.Concurrency at once, until each one's span
// count stayed the same for opts.Settle or its read failed for good, or
// until ctx ends, which bounds the whole: a backend that is down or slow
// costs at most that. Every trace waits out Settle at the same time, so
// many traces cost about as long as one. The results are by trace id.
func (b Backend) Poll(ctx context.Context, traceIDs []string, opts PollOptions) map[string]Result {
	opts = opts.withDefaults()
	polls := make(map[string]*tracePoll, len(traceIDs))
	for _, id := range traceIDs {
		if polls[id] == nil {
			polls[id] = &tracePoll{id: id}
		}
	}
	slots := make(chan struct{}, opts.Concurrency)
	for {
		round := time.Now()
		var wg sync.WaitGroup
		pending := 0
		for _, p := range polls {
			if p.done {
				continue
			}
			pending++
			wg.Go(func() {
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				defer func() { <-slots }()
				p.read(ctx, b, opts.Settle)
			})
		}
		wg.Wait()
		if pending == 0 || ctx.Err() != nil {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(opts.Interval - time.Since(round)):
		}
	}
	results := make(map[string]Result, len(polls))
	for id, p := range polls {
		if p.r.Spans == nil && p.r.Err == nil {
			p.r.Err = ctx.Err()
		}
		results[id] = p.r
	}
	return results
}

// tracePoll is one trace being polled.
type tracePoll struct {
	id      string
	r       Result
	changed time.Time // when its span count last changed
	done    bool
}

// read reads the trace once and says whether it is done: settled, or
// refused for good (a 4xx other than 404, 408 and 429: a bad id or bad
// credentials do not get better by asking again).
func (p *tracePoll) read(ctx context.Context, b Backend, settle time.Duration) {
	spans, complete, err := b.Fetch(ctx, p.id)
	if ctx.Err() != nil && err != nil {
		return // the deadline, not the backend's answer
	}
	p.r.Reads++
	switch {
	case err == nil && len(spans) != len(p.r.Spans):
		p.r.Spans, p.r.Complete, p.r.Err, p.changed = spans, complete, nil, time.Now()
	case err == nil:
		p.r.Complete = complete
		p.done = time.Since(p.changed) >= settle
	case p.r.Spans == nil:
		p.r.Err = err
		var se *StatusError
		p.done = errors.As(err, &se) && se.Permanent()
	}
}

// StatusError is a backend's answer other than 200 and 404.
type StatusError struct {
	URL    string
	Status string // "401 Unauthorized"
	Code   int
	Body   string // its first line
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("GET %s: %s: %s", e.URL, e.Status, e.Body)
}

// Permanent tells whether asking again cannot help.
func (e *StatusError) Permanent() bool {
	return e.Code >= 400 && e.Code < 500 && e.Code != http.StatusRequestTimeout && e.Code != http.StatusTooManyRequests
}
