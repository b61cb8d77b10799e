package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseSummary(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    counts
		wantErr bool
	}{
		{name: "only line", out: `{"plain":120,"traced":117}` + "\n", want: counts{Plain: 120, Traced: 117}},
		{name: "no newline", out: `{"plain":1,"traced":2}`, want: counts{Plain: 1, Traced: 2}},
		{name: "among other output", out: "banner\n{\"other\":1}\n  {\"traced\":9,\"plain\":10}  \nbye\n", want: counts{Plain: 10, Traced: 9}},
		{name: "last line wins", out: "{\"plain\":1,\"traced\":1}\n{\"plain\":5,\"traced\":4}\n", want: counts{Plain: 5, Traced: 4}},
		{name: "zero counts", out: `{"plain":0,"traced":0}`, want: counts{Plain: 0, Traced: 0}},
		{name: "window counts", out: `{"plain":3,"traced":4,"windows":[1,2,2,1]}`, want: counts{Plain: 3, Traced: 4, Windows: []int64{1, 2, 2, 1}}},
		{name: "warm-up", out: `{"plain":3,"traced":4,"warmupTraced":2}`, want: counts{Plain: 3, Traced: 4, WarmupTraced: 2}},
		{name: "empty", out: "", wantErr: true},
		{name: "missing traced", out: `{"plain":3}`, wantErr: true},
		{name: "not json", out: "{plain: 3, traced: 4}\n", wantErr: true},
		{name: "wrong type", out: `{"plain":"3","traced":4}`, wantErr: true},
		{name: "fraction", out: `{"plain":3.5,"traced":4}`, wantErr: true},
		{name: "negative", out: `{"plain":-1,"traced":4}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSummary([]byte(tt.out))
			if tt.wantErr {
				if err == nil {
					t.Fatalf("parseSummary(%q) = %+v, want an error", tt.out, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseSummary(%q): %v", tt.out, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("parseSummary(%q) = %+v, want %+v", tt.out, got, tt.want)
			}
		})
	}
}

func TestWindowCounts(t *testing.T) {
	for _, tt := range []struct{ windows, plain, traced int }{
		{2, 1, 1}, {4, 2, 2}, {10, 5, 5}, {12, 6, 6}, {5, 3, 2},
	} {
		if p, tr := windowCounts(tt.windows); p != tt.plain || tr != tt.traced {
			t.Errorf("windowCounts(%d) = %d, %d; want %d, %d", tt.windows, p, tr, tt.plain, tt.traced)
		}
	}
}

func TestVerdict(t *testing.T) {
	if v := verdict(0.9696, 0.97); v != "" {
		t.Errorf("0.9696 prints as 0.970 and must not be below 0.97, got %q", v)
	}
	if v := verdict(0.9694, 0.97); v == "" {
		t.Error("0.9694 (0.969) must be below 0.97")
	}
}

func TestPairRatios(t *testing.T) {
	// ABBA: windows 0 and 3 are plain, 1 and 2 traced.
	got := pairRatios([]int64{100, 90, 45, 50})
	want := []float64{0.9, 0.9}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pairRatios = %v, want %v", got, want)
	}
	r := result{plainRPS: 1, tracedRPS: 1, pairRatios: []float64{0.5, 0.96, 0.98}}
	if r.ratio() != 0.96 {
		t.Fatalf("ratio = %v, want the median 0.96", r.ratio())
	}
}

func TestFormatResult(t *testing.T) {
	r := result{plainRPS: 1000, tracedRPS: 900, pairRatios: []float64{0.9}}
	if got := formatResult(r, 0.97, false); !strings.Contains(got, "traced 900 req/s") || !strings.HasSuffix(got, "BELOW TARGET") {
		t.Errorf("formatResult: %q", got)
	}
	if got := formatResult(r, 0.9, true); !strings.Contains(got, "traced with spans 900 req/s") || strings.Contains(got, "BELOW") {
		t.Errorf("formatResult with spans: %q", got)
	}
}
