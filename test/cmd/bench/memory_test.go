package main

import (
	"strings"
	"testing"
	"time"
)

func TestParseProcStatus(t *testing.T) {
	status := "Name:\tk6\nVmPeak:\t 2000000 kB\nVmHWM:\t  120000 kB\nVmRSS:\t  100000 kB\nThreads:\t12\n"
	rss, hwm, err := parseProcStatus([]byte(status))
	if err != nil {
		t.Fatal(err)
	}
	if rss != 100000<<10 || hwm != 120000<<10 {
		t.Fatalf("rss %d, hwm %d; want %d, %d", rss, hwm, 100000<<10, 120000<<10)
	}
	for name, bad := range map[string]string{
		"zombie: no Vm lines": "Name:\tk6\nState:\tZ (zombie)\n",
		"no VmHWM":            "VmRSS:\t 1 kB\n",
		"not kB":              "VmHWM:\t 1 MB\nVmRSS:\t 1 kB\n",
		"not a number":        "VmHWM:\t x kB\nVmRSS:\t 1 kB\n",
		"negative":            "VmHWM:\t -1 kB\nVmRSS:\t 1 kB\n",
		"empty":               "",
	} {
		if _, _, err := parseProcStatus([]byte(bad)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSummarizeMemory(t *testing.T) {
	const mb = 1 << 20
	samples := []memSample{
		{at: 0, rss: 40 * mb, hwm: 40 * mb},
		{at: 10 * time.Second, rss: 100 * mb, hwm: 100 * mb},
		{at: 29 * time.Second, rss: 90 * mb, hwm: 110 * mb},
		{at: 30 * time.Second, rss: 95 * mb, hwm: 110 * mb},
		{at: 59 * time.Second, rss: 104 * mb, hwm: 112 * mb},
	}
	m, err := summarizeMemory(samples, 30*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	want := memSummary{samples: 5, half: 30 * time.Second, peak: 104 * mb, hwm: 112 * mb, firstPeak: 100 * mb, secondPeak: 104 * mb}
	if m != want {
		t.Fatalf("summary %+v, want %+v", m, want)
	}
	if g := m.growth(); g < 0.0399 || g > 0.0401 {
		t.Fatalf("growth %v, want 0.04", g)
	}
	line := formatMemory(m, 0.05)
	for _, part := range []string{"peak RSS 104.0 MiB", "VmHWM 112.0 MiB", "before 30s 100.0 MiB", "after 104.0 MiB", "+4.0 MiB (+4.0%)", "target <= 5%"} {
		if !strings.Contains(line, part) {
			t.Errorf("%q lacks %q", line, part)
		}
	}
	if strings.Contains(line, "NOT FLAT") {
		t.Errorf("4%% growth is flat at a 5%% target: %q", line)
	}
	if line := formatMemory(m, 0.03); !strings.HasSuffix(line, " -- NOT FLAT") {
		t.Errorf("4%% growth is not flat at a 3%% target: %q", line)
	}

	if _, err := summarizeMemory(samples[:3], 30*time.Second); err == nil {
		t.Error("no sample in the second half: want an error")
	}
	if _, err := summarizeMemory(nil, 30*time.Second); err == nil {
		t.Error("no samples: want an error")
	}
}

func TestFlatVerdict(t *testing.T) {
	for _, tt := range []struct {
		growth float64
		flat   bool
	}{
		{-0.2, true}, {0, true}, {0.05, true}, {0.0504, true}, // prints as 5.0%
		{0.0506, false}, {0.5, false},
	} {
		if got := flatVerdict(tt.growth, 0.05) == ""; got != tt.flat {
			t.Errorf("flatVerdict(%v, 0.05): flat %v, want %v", tt.growth, got, tt.flat)
		}
	}
}
