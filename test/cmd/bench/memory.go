package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// memoryConfig is what the memory run needs besides config.
type memoryConfig struct {
	duration  time.Duration
	maxGrowth float64 // of the second half's peak RSS over the first's
}

// defaultMaxGrowth is the growth still called flat: a few percent is the
// garbage collector's rhythm, not a leak.
const defaultMaxGrowth = 0.05

// memSample is one reading of the k6 process's memory.
type memSample struct {
	at       time.Duration // since k6 started
	rss, hwm int64         // bytes: VmRSS, VmHWM (the kernel's peak so far)
}

// runMemory runs the script with every request traced and its span
// exported for mem.duration, reads k6's memory every second, and prints
// its peak and whether it stayed flat. k6 keeps no summary and no
// thresholds in this run: its Trend metrics keep every value they are
// given, which would grow with the request count whatever the spans do.
// The server counts the requests instead.
func runMemory(cfg config, mem memoryConfig, baseURL string, served func() int64, sink *otlpsink.Sink, out io.Writer) error {
	limit := mem.duration + 2*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := k6Command(ctx, cfg, baseURL, "--summary-mode=disabled", "--no-thresholds",
		"-e", "DURATION="+k6Duration(mem.duration))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	requestsBefore, spansBefore := served(), sink.Count()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", cfg.k6, err)
	}
	done := make(chan struct{})
	sampled := make(chan []memSample, 1)
	go func() { sampled <- sampleMemory(cmd.Process.Pid, done) }()
	err := cmd.Wait()
	close(done)
	samples := <-sampled
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("memory run: k6 did not finish within %s%s", limit, benchstat.Tail(&stderr))
	case err != nil:
		return fmt.Errorf("memory run: %s: %w%s", cfg.k6, err, benchstat.Tail(&stderr))
	}
	m, err := summarizeMemory(samples, mem.duration/2)
	if err != nil {
		return fmt.Errorf("memory run: %w", err)
	}
	requests := served() - requestsBefore
	fmt.Fprintf(out, "bench: memory: %s of %d VUs, every request traced with spans: %.0f req/s\n",
		mem.duration, cfg.vus, float64(requests)/mem.duration.Seconds())
	fmt.Fprintf(out, "bench: memory: %s\n", formatMemory(m, mem.maxGrowth))
	// The scenario lets iterations finish: every request sent is a span.
	fmt.Fprintf(out, "bench: memory: %s\n",
		formatSpans(int64(sink.Count()-spansBefore), requests, 0, benchstat.LostSpans(stderr.String())))
	return nil
}

// sampleMemory reads the process's memory now and every second until done
// is closed. A reading that fails (the process is exiting) is skipped.
func sampleMemory(pid int, done <-chan struct{}) []memSample {
	started := time.Now()
	path := "/proc/" + strconv.Itoa(pid) + "/status"
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var samples []memSample
	for {
		if b, err := os.ReadFile(path); err == nil {
			if rss, hwm, err := parseProcStatus(b); err == nil {
				samples = append(samples, memSample{at: time.Since(started), rss: rss, hwm: hwm})
			}
		}
		select {
		case <-done:
			return samples
		case <-tick.C:
		}
	}
}

// parseProcStatus reads VmRSS and VmHWM, in bytes, from the text of
// /proc/<pid>/status ("VmRSS:	  123456 kB").
func parseProcStatus(status []byte) (rss, hwm int64, err error) {
	var gotRSS, gotHWM bool
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		key, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(value)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, 0, fmt.Errorf("%s: %q is not a size in kB", key, strings.TrimSpace(value))
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || kb < 0 {
			return 0, 0, fmt.Errorf("%s: %q is not a size in kB", key, strings.TrimSpace(value))
		}
		if key == "VmRSS" {
			rss, gotRSS = kb<<10, true
		} else {
			hwm, gotHWM = kb<<10, true
		}
	}
	if !gotRSS || !gotHWM {
		// A zombie's status has neither: the process has exited.
		return 0, 0, errors.New("no VmRSS and VmHWM in the process status")
	}
	return rss, hwm, nil
}

// memSummary is what the samples say of the memory run.
type memSummary struct {
	samples int
	half    time.Duration // where the first half ends
	// peak is the highest VmRSS sampled, hwm the kernel's peak at the last
	// reading (which sees between samples).
	peak, hwm             int64
	firstPeak, secondPeak int64 // highest VmRSS before half, and after
}

// summarizeMemory finds the peaks of the whole run and of its halves,
// split at half; each half needs a sample.
func summarizeMemory(samples []memSample, half time.Duration) (memSummary, error) {
	m := memSummary{samples: len(samples), half: half}
	var first, second int
	for _, s := range samples {
		m.peak = max(m.peak, s.rss)
		m.hwm = max(m.hwm, s.hwm)
		if s.at < half {
			m.firstPeak = max(m.firstPeak, s.rss)
			first++
		} else {
			m.secondPeak = max(m.secondPeak, s.rss)
			second++
		}
	}
	if first == 0 || second == 0 {
		return memSummary{}, fmt.Errorf("%d memory samples before %s and %d after: too few to compare the halves", first, half, second)
	}
	return m, nil
}

// growth is the second half's peak over the first's, minus one.
func (m memSummary) growth() float64 {
	return float64(m.secondPeak-m.firstPeak) / float64(m.firstPeak)
}

// formatMemory is the memory line: the peak, and the halves' peaks
// against the growth still called flat.
func formatMemory(m memSummary, maxGrowth float64) string {
	return fmt.Sprintf("peak RSS %s (VmHWM %s) over %d samples; peak before %s %s, after %s: growth %+.1f MiB (%+.1f%%) (target <= %.0f%%)%s",
		mib(m.peak), mib(m.hwm), m.samples, m.half, mib(m.firstPeak), mib(m.secondPeak),
		float64(m.secondPeak-m.firstPeak)/(1<<20), 100*m.growth(), 100*maxGrowth, flatVerdict(m.growth(), maxGrowth))
}

func flatVerdict(growth, maxGrowth float64) string {
	// Compare what is printed (one decimal of a percent).
	if math.Round(growth*1000) > math.Round(maxGrowth*1000) {
		return " -- NOT FLAT"
	}
	return ""
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }
