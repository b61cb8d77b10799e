package main

// pairRatios is traced/plain of each pair of adjacent windows that holds
// one window of each kind, taking pairs left to right without overlap:
// with ABBA, windows 0-1, 2-3, ... Adjacent windows share the machine's
// state of the moment, and the median of the pairs is what one disturbed
// window cannot move much.
func pairRatios(windows []int64, kinds []string) []float64 {
	var ratios []float64
	for i := 0; i+1 < len(windows) && i+1 < len(kinds); {
		a, b := kinds[i], kinds[i+1]
		if a == b || (a != "plain" && a != "traced") || (b != "plain" && b != "traced") {
			i++
			continue
		}
		traced, plain := windows[i], windows[i+1]
		if a == "plain" {
			traced, plain = plain, traced
		}
		if plain > 0 {
			ratios = append(ratios, float64(traced)/float64(plain))
		}
		i += 2
	}
	return ratios
}

// countKind is the number of windows of kind k.
func countKind(kinds []string, k string) int {
	n := 0
	for _, got := range kinds {
		if got == k {
			n++
		}
	}
	return n
}
