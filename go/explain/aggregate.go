package explain

import (
	"sort"
	"time"
)

// Explained is one request of the trace report with its explanation, or
// why there is none.
type Explained struct {
	Name    string // the request's name tag; "" for none
	TraceID string
	Failed  bool
	Explanation
	Err error // the trace could not be read or had no root
}

// Dominant is a service, or an operation of one, on the critical paths of
// a set of requests: its time on them, its share of their durations, and
// the traces behind it, most time first.
type Dominant struct {
	Share
	Traces []string
}

// Origin is where a set of failed requests' errors began, counted.
type Origin struct {
	Service, Operation, Message string
	Count                       int
	Traces                      []string
}

// Summary is what a set of requests have in common: the services and
// operations that dominate the slow ones' critical paths, and the failed
// ones' error origins.
type Summary struct {
	Name       string // the requests' name tag; "" for all of them
	Requests   int    // explained, of both kinds
	Unread     int    // whose trace could not be read
	Services   []Dominant
	Operations []Dominant
	Origins    []Origin
}

// Summarize summarizes the requests: all of them first, then, when they
// carry several names, each name's, by name. Slow requests (not failed)
// count for the dominant services and operations; failed ones for the
// origins.
func Summarize(requests []Explained) []Summary {
	names := map[string][]Explained{}
	for _, r := range requests {
		names[r.Name] = append(names[r.Name], r)
	}
	out := []Summary{summarize("", requests)}
	if len(names) > 1 {
		keys := make([]string, 0, len(names))
		for name := range names {
			keys = append(keys, name)
		}
		sort.Strings(keys)
		for _, name := range keys {
			out = append(out, summarize(name, names[name]))
		}
	}
	return out
}

type shareKey struct{ service, operation string }

type shareSum struct {
	time   time.Duration
	traces map[string]time.Duration
}

func summarize(name string, requests []Explained) Summary {
	s := Summary{Name: name}
	services, operations := map[shareKey]*shareSum{}, map[shareKey]*shareSum{}
	origins := map[[3]string]*Origin{}
	var total time.Duration
	add := func(m map[shareKey]*shareSum, k shareKey, d time.Duration, trace string) {
		sum := m[k]
		if sum == nil {
			sum = &shareSum{traces: map[string]time.Duration{}}
			m[k] = sum
		}
		sum.time += d
		sum.traces[trace] += d
	}
	for _, r := range requests {
		if r.Err != nil {
			s.Unread++
			continue
		}
		s.Requests++
		if r.Failed {
			if o := r.ErrorOrigin; o != nil {
				k := [3]string{o.Service, o.Name, o.StatusMessage}
				if origins[k] == nil {
					origins[k] = &Origin{Service: o.Service, Operation: o.Name, Message: o.StatusMessage}
				}
				origins[k].Count++
				origins[k].Traces = append(origins[k].Traces, r.TraceID)
			}
			continue
		}
		total += r.Duration
		for _, sh := range r.Services {
			add(services, shareKey{sh.Service, ""}, sh.Time, r.TraceID)
		}
		for _, sh := range r.Operations {
			add(operations, shareKey{sh.Service, sh.Operation}, sh.Time, r.TraceID)
		}
	}
	s.Services, s.Operations = dominants(services, total), dominants(operations, total)
	for _, o := range origins {
		s.Origins = append(s.Origins, *o)
	}
	sort.Slice(s.Origins, func(i, j int) bool {
		a, b := s.Origins[i], s.Origins[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Service+"\x00"+a.Operation+"\x00"+a.Message < b.Service+"\x00"+b.Operation+"\x00"+b.Message
	})
	return s
}

// dominants turns summed times into shares of total, most time first,
// each with its traces, most time first.
func dominants(m map[shareKey]*shareSum, total time.Duration) []Dominant {
	out := make([]Dominant, 0, len(m))
	for k, sum := range m {
		d := Dominant{Share: Share{Service: k.service, Operation: k.operation, Time: sum.time}}
		if total > 0 {
			d.Fraction = float64(sum.time) / float64(total)
		}
		for trace := range sum.traces {
			d.Traces = append(d.Traces, trace)
		}
		sort.Slice(d.Traces, func(i, j int) bool {
			ti, tj := sum.traces[d.Traces[i]], sum.traces[d.Traces[j]]
			if ti != tj {
				return ti > tj
			}
			return d.Traces[i] < d.Traces[j]
		})
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Time != out[j].Time {
			return out[i].Time > out[j].Time
		}
		return out[i].Service+"\x00"+out[i].Operation < out[j].Service+"\x00"+out[j].Operation
	})
	return out
}
