package main

import (
	"cmp"
	"slices"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// spanNode is a received span in its trace's tree.
type spanNode struct {
	otlpsink.Span
	Parent   *spanNode   // nil for a root and for an orphan
	Children []*spanNode // by start time
	// Orphan: the span names a parent that is not among its trace's
	// received spans, so it is shown, and checked, as a root.
	Orphan bool
	// Cycle: the span's ancestors lead back to it; it is shown as a root
	// too, and marked as an orphan.
	Cycle bool
}

// traceTree is one trace's received spans, linked into trees.
type traceTree struct {
	TraceID    string
	Roots      []*spanNode // true roots and orphans, by start time
	Nodes      []*spanNode // every span, in arrival order
	Start, End time.Time   // earliest start and latest end of its spans
}

// Duration is the time from the trace's first start to its last end.
func (t *traceTree) Duration() time.Duration { return t.End.Sub(t.Start) }

// buildTraces groups spans by trace id and links each to its parent. The
// traces come in the order they started. A span whose parent id is not
// received in its trace becomes an orphan root; so does a span in a parent
// cycle, which no root would reach, so that no received span goes unshown.
func buildTraces(spans []otlpsink.Span) []*traceTree {
	byID := map[string]*traceTree{}
	var traces []*traceTree
	for _, s := range spans {
		t := byID[s.TraceID]
		if t == nil {
			t = &traceTree{TraceID: s.TraceID, Start: s.Start, End: s.End}
			byID[s.TraceID] = t
			traces = append(traces, t)
		}
		t.Nodes = append(t.Nodes, &spanNode{Span: s})
		if s.Start.Before(t.Start) {
			t.Start = s.Start
		}
		if s.End.After(t.End) {
			t.End = s.End
		}
	}
	for _, t := range traces {
		t.link()
	}
	slices.SortStableFunc(traces, func(a, b *traceTree) int { return a.Start.Compare(b.Start) })
	return traces
}

// link sets each node's parent and children. With duplicated span ids the
// first received span is the parent of their children.
func (t *traceTree) link() {
	bySpan := make(map[string]*spanNode, len(t.Nodes))
	for _, n := range t.Nodes {
		if _, dup := bySpan[n.SpanID]; !dup {
			bySpan[n.SpanID] = n
		}
	}
	for _, n := range t.Nodes {
		switch p := bySpan[n.ParentID]; {
		case n.ParentID == "":
			t.Roots = append(t.Roots, n)
		case p == nil:
			n.Orphan = true
			t.Roots = append(t.Roots, n)
		default:
			n.Parent = p
			p.Children = append(p.Children, n)
		}
	}
	reached := map[*spanNode]bool{}
	var walk func(*spanNode)
	walk = func(n *spanNode) {
		reached[n] = true
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range t.Roots {
		walk(r)
	}
	for _, n := range t.Nodes {
		if !reached[n] { // in a cycle: cut it above n
			n.Parent.Children = slices.DeleteFunc(n.Parent.Children, func(c *spanNode) bool { return c == n })
			n.Parent, n.Orphan, n.Cycle = nil, true, true
			t.Roots = append(t.Roots, n)
			walk(n)
		}
	}
	byStart := func(a, b *spanNode) int {
		return cmp.Or(a.Start.Compare(b.Start), b.End.Compare(a.End), cmp.Compare(a.SpanID, b.SpanID))
	}
	slices.SortStableFunc(t.Roots, byStart)
	for _, n := range t.Nodes {
		slices.SortStableFunc(n.Children, byStart)
	}
}
