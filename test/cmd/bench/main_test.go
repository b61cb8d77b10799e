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
		{name: "window kinds", out: `{"plain":1,"traced":2,"kinds":["plain","traced"]}`, want: counts{Plain: 1, Traced: 2, Kinds: []string{"plain", "traced"}}},
		{name: "warm-up", out: `{"plain":3,"traced":4,"warmupTraced":2}`, want: counts{Plain: 3, Traced: 4, WarmupTraced: 2}},
		{name: "propagation only", out: `{"plain":3,"traced":4,"prop":5}`, want: counts{Plain: 3, Traced: 4, Prop: 5}},
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

func TestVerdict(t *testing.T) {
	if v := verdict(0.9696, 0.97); v != "" {
		t.Errorf("0.9696 prints as 0.970 and must not be below 0.97, got %q", v)
	}
	if v := verdict(0.9694, 0.97); v == "" {
		t.Error("0.9694 (0.969) must be below 0.97")
	}
}

func TestMedianRatio(t *testing.T) {
	r := result{plainRPS: 1, tracedRPS: 1, pairRatios: []float64{0.5, 0.96, 0.98}}
	if r.ratio() != 0.96 {
		t.Fatalf("ratio = %v, want the median 0.96", r.ratio())
	}
	if r := (result{plainRPS: 10, tracedRPS: 9}); r.ratio() != 0.9 {
		t.Fatalf("ratio without window pairs = %v, want the pooled 0.9", r.ratio())
	}
	if r := (result{tracedRPS: 9, propRPS: 10}); r.overPropagationRatio() != 0.9 {
		t.Fatalf("ratio over propagation without window pairs = %v, want the pooled 0.9", r.overPropagationRatio())
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

func TestFormatOverPropagation(t *testing.T) {
	r := result{tracedRPS: 900, propRPS: 1000, overPropagation: []float64{0.8, 0.95, 0.96}}
	want := "propagation only 1000 req/s: with spans over propagation only, ratio 0.950 (median of 3 window pairs; pooled 0.900)"
	if got := formatOverPropagation(r); !strings.Contains(got, want) {
		t.Errorf("formatOverPropagation = %q, want it to contain %q", got, want)
	}
}
