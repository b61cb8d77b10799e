package main

import "fmt"

// kind is what one window's requests are.
type kind int

const (
	plainKind  kind = iota // k6's own http.get
	tracedKind             // the instrumented http.get, with spans under -spans
	propKind               // under -spans: propagation only, no spans
)

// kindNames are the kinds as bench.js's summary names them.
var kindNames = map[string]kind{"plain": plainKind, "traced": tracedKind, "prop": propKind}

// kindsIn is how many kinds of window a run has: bench.js orders them in
// ABBA blocks, or ABCCBA with spans.
func kindsIn(spans bool) int {
	if spans {
		return 3
	}
	return 2
}

// parseKinds reads the kind of each window from bench.js's summary, which
// alone decides the order.
func parseKinds(names []string) ([]kind, error) {
	kinds := make([]kind, len(names))
	for i, name := range names {
		k, ok := kindNames[name]
		if !ok {
			return nil, fmt.Errorf("window %d has the unknown kind %q", i, name)
		}
		kinds[i] = k
	}
	return kinds, nil
}

// countKind is the number of windows of kind k.
func countKind(kinds []kind, k kind) int {
	n := 0
	for _, got := range kinds {
		if got == k {
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
func pairRatios(windows []int64, kinds []kind, num, den kind) []float64 {
	var ratios []float64
	for i := 0; i+1 < len(windows); {
		a, b := kinds[i], kinds[i+1]
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
