package explain

import (
	"errors"
	"sort"
	"time"
)

// ErrNoRoot means neither the request's span nor a child of it is among
// the trace's spans.
var ErrNoRoot = errors.New("the trace has neither the request's span nor a child of it")

// MaxSpans bounds the spans of a trace an analysis looks at: a trace with
// more is cut, in the answer's order, and says so.
const MaxSpans = 50_000

// missingRootName names the stand-in for the request's span when the
// backend has only its children.
const missingRootName = "(the request's span, not received)"

// Node is a span in its trace's tree, with its times clipped to its
// parent's.
type Node struct {
	Span
	Start, End time.Time // clipped to the parent's
	Parent     *Node
	Children   []*Node // latest end first
	Depth      int     // 0 for the root
}

// Tree is a request's trace as a tree under its root: the request's span
// or, when the backend lacks it, a stand-in over the spans that name it as
// their parent.
type Tree struct {
	Root *Node
	// Spans is how many spans the tree holds; Orphans how many of the
	// trace's spans name a parent that was not received (the trace may
	// hold other requests' spans too, under an iteration's root: those
	// are neither in the tree nor orphans); Clipped how many it dropped
	// for lying wholly outside their parent's time, with their
	// descendants; and Cut how many it never looked at (beyond MaxSpans).
	Spans, Orphans, Clipped, Cut int
}

// NewTree builds the tree of the request whose span id is requestSpanID
// ("" to take the trace's one root). A child that starts before its parent
// or ends after it is clipped to its parent, as Jaeger's UI clips
// children for its critical path (clocks of different hosts disagree); a
// child wholly outside is dropped with its descendants.
func NewTree(spans []Span, requestSpanID string) (*Tree, error) {
	t := &Tree{}
	if len(spans) > MaxSpans {
		t.Cut = len(spans) - MaxSpans
		spans = spans[:MaxSpans]
	}
	byID := make(map[string]*Node, len(spans))
	nodes := make([]*Node, 0, len(spans))
	for _, s := range spans {
		if _, dup := byID[s.SpanID]; dup {
			continue
		}
		n := &Node{Span: s, Start: s.Start, End: s.End}
		if n.End.Before(n.Start) {
			n.End = n.Start
		}
		byID[s.SpanID] = n
		nodes = append(nodes, n)
	}
	root, err := findRoot(nodes, byID, requestSpanID)
	if err != nil {
		return nil, err
	}
	children := map[*Node][]*Node{}
	for _, n := range nodes {
		if n == root {
			continue
		}
		switch p := byID[n.ParentID]; {
		case p != nil:
			children[p] = append(children[p], n)
		case root.SpanID == "" && n.ParentID == requestSpanID:
			children[root] = append(children[root], n) // under the stand-in
		case n.ParentID != "":
			t.Orphans++
		}
	}
	t.Root = root
	t.link(root, children)
	return t, nil
}

// findRoot returns the request's span, or a stand-in over its children,
// or, without a request span id, the trace's one root.
func findRoot(nodes []*Node, byID map[string]*Node, requestSpanID string) (*Node, error) {
	if requestSpanID == "" {
		var roots []*Node
		for _, n := range nodes {
			if n.ParentID == "" || byID[n.ParentID] == nil {
				roots = append(roots, n)
			}
		}
		if len(roots) == 1 {
			return roots[0], nil
		}
		return nil, ErrNoRoot
	}
	if n := byID[requestSpanID]; n != nil {
		return n, nil
	}
	var stand *Node
	for _, n := range nodes {
		if n.ParentID != requestSpanID {
			continue
		}
		if stand == nil {
			stand = &Node{Span: Span{TraceID: n.TraceID, Name: missingRootName, Start: n.Start, End: n.End}}
		}
		if n.Start.Before(stand.Span.Start) {
			stand.Span.Start = n.Start
		}
		if n.End.After(stand.Span.End) {
			stand.Span.End = n.End
		}
	}
	if stand == nil {
		return nil, ErrNoRoot
	}
	stand.Start, stand.End = stand.Span.Start, stand.Span.End
	return stand, nil
}

// link gives every node reachable from root its parent, clipped times,
// depth and children (latest end first), without recursion: a trace may
// be deep, and counts them in t.Spans.
func (t *Tree) link(root *Node, children map[*Node][]*Node) {
	reached := 0
	stack := []*Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		reached++
		for _, c := range children[n] {
			if outside(c, n) {
				t.Clipped += count(c, children)
				continue
			}
			if c.Start.Before(n.Start) {
				c.Start = n.Start
			}
			if c.End.After(n.End) {
				c.End = n.End
			}
			c.Parent, c.Depth = n, n.Depth+1
			n.Children = append(n.Children, c)
			stack = append(stack, c)
		}
		sort.SliceStable(n.Children, func(i, j int) bool { return n.Children[i].End.After(n.Children[j].End) })
	}
	t.Spans = reached
}

// outside reports whether c lies wholly outside its parent p's time: no
// overlap at all, or, for a span that lasts, only a point in common.
func outside(c, p *Node) bool {
	start, end := c.Start, c.End
	if p.Start.After(start) {
		start = p.Start
	}
	if p.End.Before(end) {
		end = p.End
	}
	return end.Before(start) || (end.Equal(start) && c.End.After(c.Start))
}

// count returns how many nodes n's subtree holds.
func count(n *Node, children map[*Node][]*Node) int {
	total := 0
	stack := []*Node{n}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		total++
		stack = append(stack, children[c]...)
	}
	return total
}
