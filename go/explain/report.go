package explain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// Request is one request of a trace report to explain: its trace, the span
// id its headers carried (the root of its part of the trace) and its name.
type Request struct {
	TraceID, SpanID, Name string
	Failed                bool
}

// ReportEntry is what explaining needs of one entry of a trace report
// (traceReport()'s slowest and failed lists), with its JSON names.
type ReportEntry struct {
	TraceID string `json:"traceId"`
	SpanID  string `json:"spanId"`
	Name    string `json:"name"`
	Sampled bool   `json:"sampled"`
}

// ReportRequests lists a trace report's requests to explain: the slowest,
// slowest first, then the failed; a request in both lists once, as
// failed. A request that was not sampled exported no span and is left
// out.
func ReportRequests(slowest, failed []ReportEntry) []Request {
	type key struct{ trace, span string }
	isFailed := map[key]bool{}
	for _, e := range failed {
		isFailed[key{e.TraceID, e.SpanID}] = true
	}
	var out []Request
	add := func(e ReportEntry, failed bool) {
		if e.Sampled {
			out = append(out, Request{TraceID: e.TraceID, SpanID: e.SpanID, Name: e.Name, Failed: failed})
		}
	}
	for _, e := range slowest {
		if !isFailed[key{e.TraceID, e.SpanID}] {
			add(e, false)
		}
	}
	for _, e := range failed {
		add(e, true)
	}
	return out
}

// Report is the explanation of a trace report's requests, as
// traceReport({ backend }) returns it under "explanation" and
// `k6 x explain --json` writes it. Its JSON is the contract with the
// TypeScript facade's renderers (types/index.d.ts, TraceExplanation).
type Report struct {
	Backend struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	} `json:"backend"`
	Elapsed   Millis               `json:"elapsed"`
	Read      int                  `json:"read"`
	Unread    int                  `json:"unread"`
	Warning   string               `json:"warning"`
	Requests  []ExplainedRequest   `json:"requests"`
	Summaries []ExplanationSummary `json:"summaries"`
	Waterfall *Waterfall           `json:"waterfall"`
}

// ExplainedRequest is one request's explanation, or why there is none.
type ExplainedRequest struct {
	TraceID     string           `json:"traceId"`
	SpanID      string           `json:"spanId"`
	Name        string           `json:"name"`
	Failed      bool             `json:"failed"`
	Duration    Millis           `json:"duration"`
	Spans       int              `json:"spans"`
	Complete    string           `json:"complete"`
	RootMissing bool             `json:"rootMissing"`
	Orphans     int              `json:"orphans"`
	Clipped     int              `json:"clipped"`
	Services    []ShareJSON      `json:"services"`
	Operations  []ShareJSON      `json:"operations"`
	ErrorOrigin *ErrorOriginJSON `json:"errorOrigin"`
	Error       string           `json:"error"`
}

// ShareJSON is a Share in the report's JSON.
type ShareJSON struct {
	Service   string  `json:"service"`
	Operation string  `json:"operation"`
	Time      Millis  `json:"time"`
	Share     float64 `json:"share"`
}

// DominantJSON is a Dominant in the report's JSON.
type DominantJSON struct {
	ShareJSON
	Traces []string `json:"traces"`
}

// ErrorOriginJSON is the span where one request's error began.
type ErrorOriginJSON struct {
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Message   string `json:"message"`
	SpanID    string `json:"spanId"`
}

// OriginJSON is an Origin in the report's JSON.
type OriginJSON struct {
	Service   string   `json:"service"`
	Operation string   `json:"operation"`
	Message   string   `json:"message"`
	Count     int      `json:"count"`
	Traces    []string `json:"traces"`
}

// ExplanationSummary is a Summary in the report's JSON.
type ExplanationSummary struct {
	Name       string         `json:"name"`
	Requests   int            `json:"requests"`
	Unread     int            `json:"unread"`
	Services   []DominantJSON `json:"services"`
	Operations []DominantJSON `json:"operations"`
	Origins    []OriginJSON   `json:"origins"`
}

// Millis is a duration written in JSON as milliseconds, to the
// microsecond, as the trace report writes its durations.
type Millis time.Duration

// MarshalJSON writes the milliseconds.
func (m Millis) MarshalJSON() ([]byte, error) {
	return json.Marshal(float64(time.Duration(m).Microseconds()) / 1000)
}

// UnmarshalJSON reads milliseconds.
func (m *Millis) UnmarshalJSON(b []byte) error {
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return err
	}
	*m = Millis(math.Round(ms * float64(time.Millisecond)))
	return nil
}

// Options configure ExplainReport.
type Options struct {
	Poll PollOptions
	// Timeout bounds reading back, in all (default 15 s).
	Timeout time.Duration
}

// DefaultTimeout is how long reading back may take by default: long enough
// for services' SDKs to export their last batch (5 s by default) and for
// the traces to settle.
const DefaultTimeout = 15 * time.Second

// ExplainReport reads the requests' traces from the backend, within the
// timeout (and ctx), and explains each, their summaries and the slowest
// one's waterfall. It never fails: a trace that cannot be read is counted
// as unread, with its reason, and Warning says what went wrong in one line.
func ExplainReport(ctx context.Context, b Backend, requests []Request, opts Options) Report {
	began := time.Now()
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ids := make([]string, 0, len(requests))
	for _, r := range requests {
		ids = append(ids, r.TraceID)
	}
	results := b.Poll(ctx, ids, opts.Poll)

	rep := Report{Requests: make([]ExplainedRequest, 0, len(requests))}
	rep.Backend.Type, rep.Backend.URL = b.Kind, b.URL
	explained := make([]Explained, 0, len(requests))
	var slowest *Tree
	var slowestReq Request
	var firstErr error
	for _, r := range requests {
		out := ExplainedRequest{TraceID: r.TraceID, SpanID: r.SpanID, Name: r.Name, Failed: r.Failed,
			Complete: "unknown", Services: []ShareJSON{}, Operations: []ShareJSON{}}
		e := Explained{Name: r.Name, TraceID: r.TraceID, Failed: r.Failed}
		res := results[r.TraceID]
		var tree *Tree
		err := res.Err
		if err == nil {
			tree, err = NewTree(res.Spans, r.SpanID)
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			out.Error = readError(err, timeout)
			e.Err = err
			rep.Unread++
		} else {
			rep.Read++
			e.Explanation = Explain(tree)
			fill(&out, tree, res.Complete, e.Explanation)
			if slowest == nil || e.Duration > slowest.Root.End.Sub(slowest.Root.Start) {
				slowest, slowestReq = tree, r
			}
		}
		rep.Requests = append(rep.Requests, out)
		explained = append(explained, e)
	}
	for _, s := range Summarize(explained) {
		rep.Summaries = append(rep.Summaries, summaryJSON(s))
	}
	if slowest != nil {
		w := NewWaterfall(slowest, slowestReq, MaxWaterfallSpans)
		rep.Waterfall = &w
	}
	if rep.Unread > 0 {
		rep.Warning = fmt.Sprintf("%d of %d traces could not be read from %s %s: %s",
			rep.Unread, len(requests), b.Kind, b.URL, readError(firstErr, timeout))
	}
	rep.Elapsed = Millis(time.Since(began))
	return rep
}

// readError says why a trace could not be read, in words for the report.
func readError(err error, timeout time.Duration) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within the timeout (%s)", timeout)
	case errors.Is(err, ErrNotFound):
		return fmt.Sprintf("%v within the timeout (%s)", err, timeout)
	}
	return err.Error()
}

// fill writes a read request's explanation.
func fill(out *ExplainedRequest, t *Tree, complete Completeness, e Explanation) {
	out.Duration = Millis(e.Duration)
	out.Spans, out.Orphans, out.Clipped = t.Spans, t.Orphans, t.Clipped
	out.RootMissing = t.Root.SpanID == ""
	switch complete {
	case Complete:
		out.Complete = "complete"
	case Partial:
		out.Complete = "partial"
	}
	for _, s := range e.Services {
		out.Services = append(out.Services, shareJSON(s))
	}
	for _, s := range e.Operations {
		out.Operations = append(out.Operations, shareJSON(s))
	}
	if o := e.ErrorOrigin; o != nil {
		out.ErrorOrigin = &ErrorOriginJSON{Service: o.Service, Operation: o.Name, Message: o.StatusMessage, SpanID: o.SpanID}
	}
}

func shareJSON(s Share) ShareJSON {
	return ShareJSON{Service: s.Service, Operation: s.Operation, Time: Millis(s.Time), Share: s.Fraction}
}

func summaryJSON(s Summary) ExplanationSummary {
	out := ExplanationSummary{Name: s.Name, Requests: s.Requests, Unread: s.Unread,
		Services: []DominantJSON{}, Operations: []DominantJSON{}, Origins: []OriginJSON{}}
	for _, d := range s.Services {
		out.Services = append(out.Services, DominantJSON{ShareJSON: shareJSON(d.Share), Traces: d.Traces})
	}
	for _, d := range s.Operations {
		out.Operations = append(out.Operations, DominantJSON{ShareJSON: shareJSON(d.Share), Traces: d.Traces})
	}
	for _, o := range s.Origins {
		out.Origins = append(out.Origins, OriginJSON{Service: o.Service, Operation: o.Operation, Message: o.Message, Count: o.Count, Traces: o.Traces})
	}
	return out
}

// MaxWaterfallSpans bounds a report's waterfall: it is drawn in a terminal.
const MaxWaterfallSpans = 60

// Waterfall is a small drawing's worth of one trace.
type Waterfall struct {
	TraceID   string          `json:"traceId"`
	SpanID    string          `json:"spanId"`
	Name      string          `json:"name"`
	Duration  Millis          `json:"duration"`
	Spans     []WaterfallSpan `json:"spans"`
	Truncated int             `json:"truncated"`
}

// WaterfallSpan is one bar of a waterfall.
type WaterfallSpan struct {
	SpanID       string `json:"spanId"`
	ParentSpanID string `json:"parentSpanId"`
	Service      string `json:"service"`
	Operation    string `json:"operation"`
	Start        Millis `json:"start"` // after the root's start
	Duration     Millis `json:"duration"`
	Depth        int    `json:"depth"`
	Error        bool   `json:"error"`
	Critical     bool   `json:"critical"` // has self time on the critical path
}

// NewWaterfall draws the tree depth first, children by start time, at most
// limit spans.
func NewWaterfall(t *Tree, r Request, limit int) Waterfall {
	w := Waterfall{TraceID: r.TraceID, SpanID: r.SpanID, Name: r.Name,
		Duration: Millis(t.Root.End.Sub(t.Root.Start)), Spans: []WaterfallSpan{}}
	critical := map[*Node]bool{}
	for _, s := range t.CriticalPath() {
		critical[s.Node] = true
	}
	stack := []*Node{t.Root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if len(w.Spans) == limit {
			w.Truncated++
		} else {
			parent := ""
			if n.Parent != nil {
				parent = n.Parent.SpanID
			}
			w.Spans = append(w.Spans, WaterfallSpan{
				SpanID: n.SpanID, ParentSpanID: parent, Service: n.Service, Operation: n.Name,
				Start: Millis(n.Start.Sub(t.Root.Start)), Duration: Millis(n.End.Sub(n.Start)),
				Depth: n.Depth, Error: n.Error, Critical: critical[n],
			})
		}
		children := append([]*Node(nil), n.Children...)
		// Pushed latest start first, so that the earliest is drawn first.
		sort.SliceStable(children, func(i, j int) bool { return children[i].Start.After(children[j].Start) })
		stack = append(stack, children...)
	}
	return w
}
