package tracing

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// countingSource is a Source the race detector sees: ChaCha8's state
// lives in a package the runtime uses, which -race does not instrument.
type countingSource struct{ n uint64 }

func (c *countingSource) Uint64() uint64 {
	c.n++
	return c.n * 0x9e3779b97f4a7c15 // distinct and never zero for the counts here
}

// TestIDSourceIsSafeForConcurrentUse runs what the VU's goroutine does
// beside what k6's request goroutines do (redirect hops of a batch): the
// race detector fails it if an operation skips the lock, and no two spans
// may share an id.
func TestIDSourceIsSafeForConcurrentUse(t *testing.T) {
	t.Parallel()
	s := idSourceOf(&countingSource{}, propagation.LocalCode)
	root := s.newTrace(propagation.LayoutK6, propagation.NewSampler(1))
	const goroutines, each = 4, 500
	ids := make([][]propagation.Context, goroutines)
	var wg sync.WaitGroup
	// Each goroutine sticks to one operation: one that synchronized
	// through the others' lock would hide its own missing one.
	ops := []func() propagation.Context{
		func() propagation.Context { return s.child(root) },
		func() propagation.Context { return s.newTrace(propagation.LayoutRandom, propagation.NewSampler(0.5)) },
		func() propagation.Context { return s.newSampled(propagation.LayoutK6, true, false) },
		func() propagation.Context { return s.child(root) },
	}
	for g, op := range ops {
		wg.Go(func() {
			for range each {
				ids[g] = append(ids[g], op())
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, list := range ids {
		for _, c := range list {
			require.False(t, seen[c.SpanID.String()], "span id %s given twice", c.SpanID)
			seen[c.SpanID.String()] = true
		}
	}
	require.Len(t, seen, goroutines*each)
}
