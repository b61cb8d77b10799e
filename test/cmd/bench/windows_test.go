package main

import (
	"reflect"
	"testing"
)

func TestParseKinds(t *testing.T) {
	got, err := parseKinds([]string{"plain", "traced", "prop", "prop", "traced", "plain"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []kind{plainKind, tracedKind, propKind, propKind, tracedKind, plainKind}; !reflect.DeepEqual(got, want) {
		t.Errorf("parseKinds = %v, want %v", got, want)
	}
	if _, err := parseKinds([]string{"plain", "spans"}); err == nil {
		t.Error(`parseKinds accepted the unknown kind "spans"`)
	}
}

func TestCountKind(t *testing.T) {
	kinds := []kind{plainKind, tracedKind, propKind, propKind, tracedKind, plainKind, plainKind, tracedKind}
	got := []int{countKind(kinds, plainKind), countKind(kinds, tracedKind), countKind(kinds, propKind)}
	if want := []int{3, 3, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("plain, traced, propagation windows %v; want %v", got, want)
	}
}

func TestPairRatios(t *testing.T) {
	const p, tr, x = plainKind, tracedKind, propKind
	// ABBA: windows 0 and 3 are plain, 1 and 2 traced.
	if got, want := pairRatios([]int64{100, 90, 45, 50}, []kind{p, tr, tr, p}, tr, p), []float64{0.9, 0.9}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABBA traced/plain = %v, want %v", got, want)
	}
	// ABCCBA: plain, traced, propagation, propagation, traced, plain.
	windows := []int64{100, 80, 90, 45, 40, 50, 10}
	kinds := []kind{p, tr, x, x, tr, p, p}
	if got, want := pairRatios(windows, kinds, tr, p), []float64{0.8, 0.8}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABCCBA traced/plain = %v, want %v (windows 0-1 and 4-5; 6 is alone)", got, want)
	}
	if got, want := pairRatios(windows, kinds, tr, x), []float64{80.0 / 90, 40.0 / 45}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABCCBA traced/propagation = %v, want %v (windows 1-2 and 3-4)", got, want)
	}
	if got := pairRatios([]int64{0, 80, 90}, []kind{p, tr, x}, tr, p); len(got) != 0 {
		t.Errorf("a pair with an empty plain window gives no ratio, got %v", got)
	}
}
