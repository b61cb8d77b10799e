package spans

import "sync"

// EndedPool keeps the Ended spans of one producer (a VU's tracer) once
// they are exported, for its next spans: a span per request at thousands
// of requests a second is garbage the collector would otherwise scan and
// sweep, on the cores k6 needs.
//
// A sync.Pool served this badly: it is emptied at every collection, which
// k6's garbage brings about every few dozen milliseconds, and its spans
// are put on the exporter's core but taken on the VU's, the pool's slow
// path. Here the producer takes spans from a slice of its own, without a
// lock; the exporter gives them back to a second slice, under one, which
// the producer takes over whole when its own runs out.
//
// A pool holds at most the spans its producer had in flight at once. Of
// those that are idle it keeps at most twice [maxReturned]: as many given
// back, and as many taken over but not used yet. After a backlog (a slow
// collector filled the queue) the rest go to the garbage collector, as a
// span the full queue drops does. The zero EndedPool is ready to use.
type EndedPool struct {
	free []*Ended // the producer's

	mu       sync.Mutex
	returned []*Ended // given back by the exporter
}

// Get returns an empty Ended whose Attributes has room for a client span's
// attributes. Only one goroutine at a time may call it: the producer's.
func (p *EndedPool) Get() *Ended {
	if len(p.free) == 0 {
		p.mu.Lock()
		// The empty slice goes the other way, so neither side allocates
		// once both have grown.
		p.free, p.returned = p.returned, p.free
		p.mu.Unlock()
	}
	n := len(p.free)
	if n == 0 {
		e := &Ended{pool: p}
		e.Attributes = e.inline[:0]
		return e
	}
	e := p.free[n-1]
	p.free[n-1] = nil
	p.free = p.free[:n-1]
	return e
}

// maxReturned is the most spans a pool keeps given back and not yet taken:
// a batch's worth, more than a VU has in flight when the export keeps up.
const maxReturned = maxExportBatch

// put takes back e, emptied, from the exporter.
func (p *EndedPool) put(e *Ended) {
	p.mu.Lock()
	if len(p.returned) < maxReturned {
		p.returned = append(p.returned, e)
	}
	p.mu.Unlock()
}
