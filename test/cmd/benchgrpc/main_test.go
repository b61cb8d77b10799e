package main

import (
	"os"
	"reflect"
	"testing"
	"time"
)

func TestParseSummary(t *testing.T) {
	tests := []struct {
		name    string
		out     string
		want    summary
		wantErr bool
	}{
		{name: "only line", out: `{"plain":120,"traced":117}` + "\n", want: summary{Plain: 120, Traced: 117}},
		{name: "among other output", out: "banner\n{\"other\":1}\n  {\"plain\":10,\"traced\":9}  \nbye\n", want: summary{Plain: 10, Traced: 9}},
		{name: "last line wins", out: "{\"plain\":1,\"traced\":1}\n{\"plain\":5,\"traced\":4}\n", want: summary{Plain: 5, Traced: 4}},
		{
			name: "every field",
			out:  `{"plain":3,"traced":4,"warmupPlain":1,"warmupTraced":2,"windows":[1,2,2,1],"kinds":["plain","traced","traced","plain"]}`,
			want: summary{Plain: 3, Traced: 4, WarmupPlain: 1, WarmupTraced: 2, Windows: []int64{1, 2, 2, 1},
				Kinds: []string{"plain", "traced", "traced", "plain"}},
		},
		{name: "empty", out: "", wantErr: true},
		{name: "wrong type", out: `{"plain":"3","traced":4}`, wantErr: true},
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

func TestPairRatios(t *testing.T) {
	kinds := []string{"plain", "traced", "traced", "plain", "plain", "traced"}
	got := pairRatios([]int64{100, 90, 80, 100, 50, 0}, kinds)
	if want := []float64{0.9, 0.8, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("pairRatios = %v, want %v", got, want)
	}
	// A pair of one kind is skipped, and pairing goes on from the next.
	got = pairRatios([]int64{100, 100, 90, 7}, []string{"plain", "plain", "traced", "x"})
	if want := []float64{0.9}; !reflect.DeepEqual(got, want) {
		t.Errorf("pairRatios = %v, want %v", got, want)
	}
	// A plain window with no calls gives no ratio.
	if got := pairRatios([]int64{0, 5}, []string{"plain", "traced"}); len(got) != 0 {
		t.Errorf("pairRatios with an empty plain window = %v, want none", got)
	}
}

func TestWithin(t *testing.T) {
	for _, tt := range []struct {
		got, want, maxCut int64
		ok                bool
	}{{10, 10, 0, true}, {12, 10, 2, true}, {13, 10, 2, false}, {9, 10, 2, false}} {
		if within(tt.got, tt.want, tt.maxCut) != tt.ok {
			t.Errorf("within(%d, %d, %d) = %v", tt.got, tt.want, tt.maxCut, !tt.ok)
		}
	}
}

// readCPU reads this process's CPU time, which grows as it spins.
func TestReadCPU(t *testing.T) {
	before, err := readCPU(os.Getpid())
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	for start := time.Now(); ; {
		after, err := readCPU(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		if after-before >= 20*time.Millisecond {
			break
		}
		if time.Since(start) > 10*time.Second {
			t.Fatalf("10s of spinning read as %v", after-before)
		}
	}
	if _, err := readCPU(-1); err == nil {
		t.Error("no error for a process that does not exist")
	}
}
