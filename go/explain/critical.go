package explain

import "time"

// Section is a stretch of the critical path: the time a node itself was
// what the request waited for.
type Section struct {
	Node       *Node
	Start, End time.Time
}

// CriticalPath returns the critical path of the tree, latest section
// first, as Jaeger's UI computes it: from the root, the child that
// finished last is on the path from its end to the parent's end (the
// parent's own time before that); the path then goes down into that
// child. A node without a child left to take is on the path from its start;
// the path then goes back up to its parent, which takes the child that
// finished last no later than that start (back-to-back spans count), and
// so on until the root's start. Times are the clipped ones. Each child is
// taken at most once, so a zero-length child cannot loop, and the walk is
// iterative, so a deep trace cannot overflow the stack.
func (t *Tree) CriticalPath() []Section {
	var path []Section
	add := func(n *Node, start, end time.Time) {
		if end.After(start) {
			path = append(path, Section{Node: n, Start: start, End: end})
		}
	}
	// next is, per node, where its next candidate child is: children are
	// sorted by end, latest first, and each return to a node asks for a
	// child that ended no later than the previous one started, so
	// candidates are only ever passed over once, and a trace costs
	// O(spans).
	next := map[*Node]int{}
	n := t.Root
	var returning *time.Time
	for n != nil {
		end := n.End
		if returning != nil {
			end = *returning
		}
		if c := lastFinishingChild(n, returning, next); c != nil {
			add(n, c.End, end)
			n, returning = c, nil
			continue
		}
		add(n, n.Start, end)
		start := n.Start
		n, returning = n.Parent, &start
	}
	return path
}

// lastFinishingChild returns the child of n not taken yet that finished
// last, no later than before when it is given, and moves n's cursor past
// it.
func lastFinishingChild(n *Node, before *time.Time, next map[*Node]int) *Node {
	for i := next[n]; i < len(n.Children); i++ {
		c := n.Children[i]
		if before != nil && c.End.After(*before) {
			continue
		}
		next[n] = i + 1
		return c
	}
	next[n] = len(n.Children)
	return nil
}
