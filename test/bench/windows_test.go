package main

import (
	"reflect"
	"testing"
)

func TestScheduleOrder(t *testing.T) {
	const p, tr, x = plainKind, tracedKind, propKind
	for _, tt := range []struct {
		spans bool
		want  []kind
	}{
		{spans: false, want: []kind{p, tr, tr, p, p, tr, tr, p, p}},
		{spans: true, want: []kind{p, tr, x, x, tr, p, p, tr, x, x, tr, p, p}},
	} {
		s := scheduleFor(tt.spans)
		got := make([]kind, len(tt.want))
		for i := range got {
			got[i] = s.kindOf(i)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("spans %v: order %v, want %v", tt.spans, got, tt.want)
		}
	}
}

func TestScheduleCount(t *testing.T) {
	for _, tt := range []struct {
		spans                 bool
		windows, plain, trace int
		prop                  int
	}{
		{false, 2, 1, 1, 0}, {false, 4, 2, 2, 0}, {false, 10, 5, 5, 0}, {false, 5, 3, 2, 0},
		{true, 3, 1, 1, 1}, {true, 6, 2, 2, 2}, {true, 60, 20, 20, 20}, {true, 8, 3, 3, 2},
	} {
		s := scheduleFor(tt.spans)
		got := []int{s.count(tt.windows, plainKind), s.count(tt.windows, tracedKind), s.count(tt.windows, propKind)}
		if want := []int{tt.plain, tt.trace, tt.prop}; !reflect.DeepEqual(got, want) {
			t.Errorf("spans %v, %d windows: plain, traced, propagation %v; want %v", tt.spans, tt.windows, got, want)
		}
	}
}

func TestPairRatios(t *testing.T) {
	// ABBA: windows 0 and 3 are plain, 1 and 2 traced.
	if got, want := scheduleFor(false).pairRatios([]int64{100, 90, 45, 50}, tracedKind, plainKind), []float64{0.9, 0.9}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABBA traced/plain = %v, want %v", got, want)
	}
	// ABCCBA: plain, traced, propagation, propagation, traced, plain.
	windows := []int64{100, 80, 90, 45, 40, 50, 10}
	s := scheduleFor(true)
	if got, want := s.pairRatios(windows, tracedKind, plainKind), []float64{0.8, 0.8}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABCCBA traced/plain = %v, want %v (windows 0-1 and 4-5; 6 is alone)", got, want)
	}
	if got, want := s.pairRatios(windows, tracedKind, propKind), []float64{80.0 / 90, 40.0 / 45}; !reflect.DeepEqual(got, want) {
		t.Errorf("ABCCBA traced/propagation = %v, want %v (windows 1-2 and 3-4)", got, want)
	}
	if got := s.pairRatios([]int64{0, 80, 90}, tracedKind, plainKind); len(got) != 0 {
		t.Errorf("a pair with an empty plain window gives no ratio, got %v", got)
	}
}
