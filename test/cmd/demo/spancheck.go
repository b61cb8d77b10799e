package main

import (
	"fmt"
	"strings"
)

// Who records which spans of the demo's trace shape:
//
//	k6 CLIENT (one per request; under k6 INTERNAL spans with a trace scope)
//	└─ frontend SERVER
//	   └─ frontend CLIENT
//	      └─ backend SERVER
const (
	k6Service       = "k6"
	frontendService = "frontend"
	backendService  = "backend"
	iterationSpan   = "iteration" // the root span of traceScope "iteration"
)

func is(n *spanNode, service, kind string) bool {
	return n != nil && n.Service == service && n.Kind == kind
}

func describe(n *spanNode) string {
	return fmt.Sprintf("%s %s span %s %q", n.Service, strings.ToUpper(n.Kind), n.SpanID, n.Name)
}

// verifySpans checks the shape above in every received trace and returns
// one line per disagreement. k6Spans says whether k6 exported spans at
// all: a script without the spans option exports none, and then a
// frontend SERVER span's parent, k6's span, is rightly never received.
func verifySpans(traces []*traceTree, k6Spans bool) []string {
	var problems []string
	traceOf := map[string]string{} // span id -> trace id, to name a parent sent in another trace
	for _, t := range traces {
		for _, n := range t.Nodes {
			traceOf[n.SpanID] = t.TraceID
		}
	}
	for _, t := range traces {
		fail := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("trace %s: ", t.TraceID)+fmt.Sprintf(format, args...))
		}
		var iteration *spanNode
		for _, r := range t.Roots {
			if !r.Orphan && is(r, k6Service, "internal") && r.Name == iterationSpan {
				iteration = r
			}
		}
		seen := map[string]bool{}
		for _, n := range t.Nodes {
			if seen[n.SpanID] {
				fail("span id %s was received twice", n.SpanID)
			}
			seen[n.SpanID] = true
			switch parentTrace := traceOf[n.ParentID]; {
			case !n.Orphan:
			case n.Cycle:
				fail("%s is its own ancestor", describe(n))
			case parentTrace != "":
				fail("the parent of %s, %s, is in trace %s", describe(n), n.ParentID, parentTrace)
			case k6Spans || !is(n, frontendService, "server"):
				fail("the parent of %s, %s, was not received", describe(n), n.ParentID)
			}
			problems = append(problems, checkHop(t.TraceID, n, iteration, k6Spans)...)
		}
	}
	return problems
}

// checkHop checks one span's place in the shape: its parent and its
// children of the next hop.
func checkHop(traceID string, n *spanNode, iteration *spanNode, k6Spans bool) []string {
	var problems []string
	fail := func(format string, args ...any) {
		problems = append(problems, fmt.Sprintf("trace %s: %s ", traceID, describe(n))+fmt.Sprintf(format, args...))
	}
	one := func(service, kind string) {
		if got := countChildren(n, service, kind); got != 1 {
			fail("has %d %s %s children, want 1", got, service, strings.ToUpper(kind))
		}
	}
	switch {
	case is(n, k6Service, "client"):
		// Above a k6 request there are only k6 INTERNAL spans: the
		// iteration's, when there is one, and custom ones inside it.
		top := n
		for a := n.Parent; a != nil; a = a.Parent {
			if !is(a, k6Service, "internal") {
				fail("has an ancestor that is not a k6 INTERNAL span: %s", describe(a))
			}
			top = a
		}
		if iteration != nil && top != iteration {
			fail("does not descend from the trace's %q span %s", iterationSpan, iteration.SpanID)
		}
		one(frontendService, "server")
	case is(n, frontendService, "server"):
		if k6Spans && !n.Orphan && !is(n.Parent, k6Service, "client") {
			fail("has a parent that is not a k6 CLIENT span: %s", describe(n.Parent))
		}
		one(frontendService, "client")
	case is(n, frontendService, "client"):
		if !n.Orphan && !is(n.Parent, frontendService, "server") {
			fail("has a parent that is not a frontend SERVER span: %s", describe(n.Parent))
		}
		one(backendService, "server")
	case is(n, backendService, "server"):
		if !n.Orphan && !is(n.Parent, frontendService, "client") {
			fail("has a parent that is not a frontend CLIENT span: %s", describe(n.Parent))
		}
	}
	return problems
}

func countChildren(n *spanNode, service, kind string) int {
	count := 0
	for _, c := range n.Children {
		if is(c, service, kind) {
			count++
		}
	}
	return count
}

// crossCheck ties the header table to the spans: the span id k6 sent to
// the frontend is a k6 CLIENT span (when k6 exports spans), and the one
// the frontend sent to the backend is a frontend CLIENT span, each in the
// request's trace. Unsampled requests have no spans to find.
func crossCheck(xs []exchange, traces []*traceTree, k6Spans bool) []string {
	type key struct{ trace, span string }
	spans := map[key]*spanNode{}
	for _, t := range traces {
		for _, n := range t.Nodes {
			spans[key{n.TraceID, n.SpanID}] = n
		}
	}
	var problems []string
	for i, x := range xs {
		f := x.Front
		if f == nil || !f.In.Valid || !f.In.Ctx.Sampled {
			continue // verify reports what is missing
		}
		fail := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("request %d (%s %s): ", i+1, x.K6.Method, x.K6.Path)+fmt.Sprintf(format, args...))
		}
		trace := f.In.Ctx.TraceID.String()
		if sent := f.In.Ctx.SpanID.String(); k6Spans && !is(spans[key{trace, sent}], k6Service, "client") {
			fail("k6 sent span id %s but exported no k6 CLIENT span %s in trace %s", sent, sent, trace)
		}
		if sent := f.Out.SpanID.String(); f.OutHeader != "" && !is(spans[key{trace, sent}], frontendService, "client") {
			fail("the frontend sent span id %s but exported no frontend CLIENT span %s in trace %s", sent, sent, trace)
		}
	}
	return problems
}
