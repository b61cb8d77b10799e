package explain

import (
	"sort"
	"time"
)

// Share is the time one service, or one operation of a service, was on a
// request's critical path, and its share of the request's duration.
type Share struct {
	Service   string
	Operation string // "" in a service's share
	Time      time.Duration
	Fraction  float64 // of the request's duration, 0 to 1
}

// Explanation says where one request's time went and where its error
// began.
type Explanation struct {
	TraceID  string
	Duration time.Duration // the root's
	// Services and Operations are the self time on the critical path,
	// largest first.
	Services   []Share
	Operations []Share
	// ErrorOrigin is the deepest span with an error status, nil for none;
	// among equally deep ones, the first to start.
	ErrorOrigin *Node
	// Path is the critical path, latest section first.
	Path []Section
}

// Explain analyses the tree of one request.
func Explain(t *Tree) Explanation {
	e := Explanation{TraceID: t.Root.TraceID, Duration: t.Root.End.Sub(t.Root.Start), Path: t.CriticalPath()}
	services := map[string]time.Duration{}
	type op struct{ service, name string }
	operations := map[op]time.Duration{}
	for _, s := range e.Path {
		d := s.End.Sub(s.Start)
		services[s.Node.Service] += d
		operations[op{s.Node.Service, s.Node.Name}] += d
	}
	share := func(d time.Duration) float64 {
		if e.Duration <= 0 {
			return 0
		}
		return float64(d) / float64(e.Duration)
	}
	for service, d := range services {
		e.Services = append(e.Services, Share{Service: service, Time: d, Fraction: share(d)})
	}
	for o, d := range operations {
		e.Operations = append(e.Operations, Share{Service: o.service, Operation: o.name, Time: d, Fraction: share(d)})
	}
	largestFirst := func(list []Share) {
		sort.Slice(list, func(i, j int) bool {
			if list[i].Time != list[j].Time {
				return list[i].Time > list[j].Time
			}
			if list[i].Service != list[j].Service {
				return list[i].Service < list[j].Service
			}
			return list[i].Operation < list[j].Operation
		})
	}
	largestFirst(e.Services)
	largestFirst(e.Operations)
	e.ErrorOrigin = deepestError(t.Root)
	return e
}

// deepestError returns the deepest node with an error status under and
// including root, the first to start among equally deep ones.
func deepestError(root *Node) *Node {
	var found *Node
	stack := []*Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Error && (found == nil || n.Depth > found.Depth || (n.Depth == found.Depth && n.Start.Before(found.Start))) {
			found = n
		}
		stack = append(stack, n.Children...)
	}
	return found
}
