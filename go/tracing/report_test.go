package tracing

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func entry(ms int) reportEntry {
	return reportEntry{Name: fmt.Sprint(ms), Duration: time.Duration(ms) * time.Millisecond}
}

func names(entries []reportEntry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.Name
	}
	return out
}

func TestTraceReportKeepsTheSlowest(t *testing.T) {
	t.Parallel()
	r := newTraceReport(3)
	require.True(t, r.admits(0), "everything enters while the list has room")
	for _, ms := range []int{5, 1, 9, 3, 7, 2} {
		if r.admits(entry(ms).Duration) {
			r.record(entry(ms), false)
		}
	}
	s := r.snapshot()
	require.Equal(t, []string{"9", "7", "5"}, names(s.Slowest), "slowest first")
	require.False(t, r.admits(5*time.Millisecond), "no faster than the fastest kept")
	require.True(t, r.admits(6*time.Millisecond))
	require.Empty(t, s.Failed)
	require.Zero(t, s.FailedCount)
}

func TestTraceReportKeepsTheFirstFailures(t *testing.T) {
	t.Parallel()
	r := newTraceReport(2)
	for _, ms := range []int{1, 2, 3, 4} {
		r.record(entry(ms), true)
	}
	s := r.snapshot()
	require.Equal(t, []string{"1", "2"}, names(s.Failed), "the first, in order")
	require.EqualValues(t, 4, s.FailedCount, "every failure counted")
	require.Equal(t, []string{"4", "3"}, names(s.Slowest), "failures compete for the slowest too")
}

func TestTraceReportConcurrentVUs(t *testing.T) {
	t.Parallel()
	r := newTraceReport(10)
	const vus, each = 8, 500
	var wg sync.WaitGroup
	for vu := range vus {
		counter := r.requestCounter()
		wg.Go(func() {
			for i := range each {
				e := entry(vu*each + i)
				counter.Add(1)
				if r.admits(e.Duration) {
					r.record(e, false)
				}
			}
		})
	}
	wg.Wait()
	s := r.snapshot()
	require.EqualValues(t, vus*each, s.Requests)
	want := make([]string, 10)
	for i := range want {
		want[i] = fmt.Sprint(vus*each - 1 - i)
	}
	require.Equal(t, want, names(s.Slowest))
}

// BenchmarkTraceReportHotPath is what a request that is neither failed
// nor among the slowest pays: a counter and a comparison.
func BenchmarkTraceReportHotPath(b *testing.B) {
	r := newTraceReport(reportLimit)
	for ms := range reportLimit {
		r.record(entry(1000+ms), false)
	}
	counter := r.requestCounter()
	d := 5 * time.Millisecond
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			counter.Add(1)
			if r.admits(d) {
				b.Fatal("admitted")
			}
		}
	})
}
