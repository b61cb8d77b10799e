// Package benchstat is what the end-to-end benchmarks (test/cmd/bench,
// test/cmd/benchgrpc) share: the statistics of their figures and the
// reading of k6's output.
package benchstat

import (
	"bytes"
	"math"
	"sort"
	"strings"
)

// Median of xs, which it leaves unsorted; NaN for none.
func Median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Min of xs; NaN for none.
func Min(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	m := xs[0]
	for _, x := range xs {
		m = min(m, x)
	}
	return m
}

// Max of xs; NaN for none.
func Max(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	m := xs[0]
	for _, x := range xs {
		m = max(m, x)
	}
	return m
}

// LostSpans returns k6's warning that spans were not delivered, "" when
// stderr has none.
func LostSpans(stderr string) string {
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "spans were not delivered") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// Tail is k6's stderr for an error message: its end (see Clip); "" for
// none.
func Tail(stderr *bytes.Buffer) string {
	s := strings.TrimSpace(stderr.String())
	if s == "" {
		return ""
	}
	return "\nk6 stderr:\n" + string(Clip([]byte(s)))
}

// Clip keeps the end of long output, where k6 puts its errors.
func Clip(b []byte) []byte {
	const limit = 4000
	if len(b) > limit {
		return append([]byte("..."), b[len(b)-limit:]...)
	}
	return b
}
