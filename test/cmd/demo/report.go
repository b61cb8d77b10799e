package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// k6Request is one http_reqs sample from k6's --out json file.
type k6Request struct {
	Method, URL, Path string
	TraceID           string // the sample's trace_id metadata, "" if absent
}

// parseK6Output returns the http_reqs points of a k6 --out json stream, in
// file order. Other lines (metric definitions, other metrics) are skipped.
func parseK6Output(r io.Reader) ([]k6Request, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var reqs []k6Request
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		var head struct {
			Type   string          `json:"type"`
			Metric string          `json:"metric"`
			Data   json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(line, &head); err != nil {
			return nil, fmt.Errorf("k6 json output, line %d: %w", n, err)
		}
		if head.Type != "Point" || head.Metric != "http_reqs" {
			continue
		}
		var data struct {
			Tags     map[string]string `json:"tags"`
			Metadata map[string]string `json:"metadata"`
		}
		if err := json.Unmarshal(head.Data, &data); err != nil {
			return nil, fmt.Errorf("k6 json output, line %d: %w", n, err)
		}
		reqs = append(reqs, k6Request{
			Method:  data.Tags["method"],
			URL:     data.Tags["url"],
			Path:    urlPath(data.Tags["url"]),
			TraceID: data.Metadata["trace_id"],
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("k6 json output: %w", err)
	}
	return reqs, nil
}

// consoleHeader is a console line of the script that names a request and
// the trace header it sent: "<METHOD> <url> traceparent=<value>" (or
// uber-trace-id=<value>).
type consoleHeader struct {
	Method, URL, Path string
	Header, Value     string
	Ctx               propagation.Context
	Valid             bool // Value parsed as a Header value
}

// parseConsole returns the header lines among k6's JSON log lines on
// stderr: objects with "source":"console" whose "msg" has the shape above.
// Other lines, JSON or not, are skipped.
func parseConsole(r io.Reader) []consoleHeader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var out []consoleHeader
	for sc.Scan() {
		var entry struct {
			Msg    string `json:"msg"`
			Source string `json:"source"`
		}
		if json.Unmarshal(sc.Bytes(), &entry) != nil || entry.Source != "console" {
			continue
		}
		if h, ok := parseConsoleMsg(entry.Msg); ok {
			out = append(out, h)
		}
	}
	return out
}

// parseConsoleMsg reads "<METHOD> <url> ... <header>=<value> ...". ok is
// false when the message does not have that shape; a header value that does
// not parse gives ok true and Valid false (e.g. "traceparent=undefined").
func parseConsoleMsg(msg string) (h consoleHeader, ok bool) {
	fields := strings.Fields(msg)
	if len(fields) < 3 || strings.ToUpper(fields[0]) != fields[0] {
		return consoleHeader{}, false
	}
	u, err := url.Parse(fields[1])
	if err != nil || u.Scheme == "" {
		return consoleHeader{}, false
	}
	h = consoleHeader{Method: fields[0], URL: fields[1], Path: u.Path}
	for _, field := range fields[2:] {
		key, value, found := strings.Cut(field, "=")
		if !found {
			continue
		}
		for _, f := range demoFormats {
			if strings.EqualFold(key, f.header) {
				h.Header, h.Value = f.header, value
				h.Ctx, h.Valid = f.parse(value)
				return h, true
			}
		}
	}
	return consoleHeader{}, false
}

func urlPath(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Path
	}
	return raw
}

// exchange is one k6 request with what the script logged and each service
// saw of it; a nil pointer means nothing matched.
type exchange struct {
	K6      k6Request
	Console *consoleHeader
	Front   *frontRecord
	Back    *backRecord
}

// queues hands out items per method and path, in their original order.
type queues[T any] map[string][]T

func queueBy[T any](items []T, key func(T) string) queues[T] {
	q := queues[T]{}
	for _, it := range items {
		q[key(it)] = append(q[key(it)], it)
	}
	return q
}

func (q queues[T]) pop(key string) *T {
	items := q[key]
	if len(items) == 0 {
		return nil
	}
	q[key] = items[1:]
	return &items[0]
}

// leftover describes the items nobody popped, e.g. "2 × GET /x".
func (q queues[T]) leftover() []string {
	var out []string
	for key, items := range q {
		if len(items) > 0 {
			out = append(out, fmt.Sprintf("%d × %s", len(items), key))
		}
	}
	slices.Sort(out)
	return out
}

func methodPath(method, path string) string { return method + " " + path }

// match pairs each k6 request with the n-th console line, frontend record
// and backend record of the same method and path, n being how many k6
// requests with that method and path came before it. That is exact for a
// single VU, whose requests are sequential (the quickstart runs one). It
// also returns what was left over on any side, as problems.
func match(reqs []k6Request, console []consoleHeader, fronts []frontRecord, backs []backRecord) ([]exchange, []string) {
	cq := queueBy(console, func(c consoleHeader) string { return methodPath(c.Method, c.Path) })
	fq := queueBy(fronts, func(f frontRecord) string { return methodPath(f.Method, f.Path) })
	bq := queueBy(backs, func(b backRecord) string { return methodPath(b.Method, b.Path) })
	xs := make([]exchange, 0, len(reqs))
	for _, r := range reqs {
		key := methodPath(r.Method, r.Path)
		xs = append(xs, exchange{K6: r, Console: cq.pop(key), Front: fq.pop(key), Back: bq.pop(key)})
	}
	var problems []string
	for _, side := range []struct {
		name string
		left []string
	}{
		{"script logged requests k6 did not report", cq.leftover()},
		{"frontend received requests k6 did not report", fq.leftover()},
		{"backend received requests k6 did not report", bq.leftover()},
	} {
		if len(side.left) > 0 {
			problems = append(problems, fmt.Sprintf("%s: %s", side.name, strings.Join(side.left, ", ")))
		}
	}
	return xs, problems
}

// verify checks every hop of every exchange and returns one line per
// disagreement; none means the trace went through intact.
func verify(xs []exchange) []string {
	var problems []string
	for i, x := range xs {
		fail := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("request %d (%s %s): ", i+1, x.K6.Method, x.K6.Path)+fmt.Sprintf(format, args...))
		}
		want := x.K6.TraceID
		if want == "" {
			fail("k6 reported no trace_id metadata")
		}
		if c := x.Console; c != nil {
			switch {
			case !c.Valid:
				fail("the script logged %s=%s, not a valid header", c.Header, c.Value)
			case c.Ctx.TraceID.String() != want:
				fail("k6 sent trace %s but its metadata says %s", c.Ctx.TraceID, want)
			case x.Front != nil && x.Front.In.Valid && x.Front.In.Ctx != c.Ctx:
				fail("k6 sent %s but the frontend received %s", c.Value, x.Front.In.Value)
			}
		}
		f := x.Front
		switch {
		case f == nil:
			fail("the frontend never received it")
			continue
		case f.Err != "":
			fail("the frontend could not call the backend: %s", f.Err)
		}
		switch {
		case f.In.Header == "":
			fail("the frontend received no trace header")
		case !f.In.Valid:
			fail("the frontend received an invalid %s: %q", f.In.Header, f.In.Value)
		case f.In.Ctx.TraceID.String() != want:
			fail("the frontend received trace %s, k6 reported %s", f.In.Ctx.TraceID, want)
		case f.Out.SpanID == f.In.Ctx.SpanID:
			fail("the frontend did not create a new span")
		}
		b := x.Back
		switch {
		case b == nil:
			fail("the backend never received it")
		case !f.In.Valid:
			// Nothing to continue; the frontend's problem is already listed.
		case !b.In.Valid:
			fail("the backend received no valid trace header (traceparent=%q uber-trace-id=%q)", b.Traceparent, b.UberTraceID)
		case b.In.Header != f.OutHeader:
			fail("the frontend sent %s but the backend read %s", f.OutHeader, b.In.Header)
		case b.In.Ctx.TraceID.String() != want:
			fail("the backend received trace %s, k6 reported %s", b.In.Ctx.TraceID, want)
		case b.In.Ctx.SpanID != f.Out.SpanID:
			fail("the backend's parent span %s is not the frontend's span %s", b.In.Ctx.SpanID, f.Out.SpanID)
		case b.In.Ctx.Sampled != f.In.Ctx.Sampled:
			fail("the backend received sampled=%t, the frontend received sampled=%t", b.In.Ctx.Sampled, f.In.Ctx.Sampled)
		}
	}
	return problems
}
