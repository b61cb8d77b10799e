package main

// kind is what one window's requests are.
type kind int

const (
	plainKind  kind = iota // k6's own http.get
	tracedKind             // the instrumented http.get, with spans under -spans
	propKind               // under -spans: propagation only, no spans
)

// schedule is the number of kinds of window in a run (2, or 3 with
// spans), and with it bench.js's order of windows: blocks of the kinds,
// then the same in reverse (ABBA: plain, traced, traced, plain; ABCCBA
// with spans). Over a block every kind sits at the same mean time, so a
// linear drift of the machine's speed hits all kinds alike.
type schedule int

// scheduleFor is the schedule of a run with or without spans.
func scheduleFor(spans bool) schedule {
	if spans {
		return 3
	}
	return 2
}

// kindOf is the kind of window i, bench.js's kindOf.
func (s schedule) kindOf(i int) kind {
	n := int(s)
	j := i % (2 * n)
	if j >= n {
		j = 2*n - 1 - j
	}
	return kind(j)
}

// count is the number of windows of kind k among the first windows.
func (s schedule) count(windows int, k kind) int {
	n := 0
	for i := range windows {
		if s.kindOf(i) == k {
			n++
		}
	}
	return n
}

// pairRatios returns num/den for each pair of adjacent windows that holds
// one window of each kind, taking pairs left to right without overlap:
// with ABBA, traced/plain of windows 0-1, 2-3, ...; with ABCCBA, traced
// over plain from windows 0-1 and 4-5 of each block, traced over
// propagation from windows 1-2 and 3-4. Adjacent windows share the
// machine's state of the moment, which one window further away may not.
func (s schedule) pairRatios(windows []int64, num, den kind) []float64 {
	var ratios []float64
	for i := 0; i+1 < len(windows); {
		a, b := s.kindOf(i), s.kindOf(i+1)
		if (a != num || b != den) && (a != den || b != num) {
			i++
			continue
		}
		n, d := windows[i], windows[i+1]
		if a == den {
			n, d = d, n
		}
		if d > 0 {
			ratios = append(ratios, float64(n)/float64(d))
		}
		i += 2
	}
	return ratios
}
