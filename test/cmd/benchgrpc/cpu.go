package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
)

// The sides of the CPU mode, in the order of a round (reversed every
// other round), and what the table calls them.
var (
	cpuSides = []string{"plain", "traced", "spans"}
	cpuNames = map[string]string{"plain": "plain", "traced": "traced", "spans": "traced+spans"}
)

// cpuSampler is the server's hook of the CPU mode: it reads k6's CPU time
// when the first measured call reaches the server and when the last one
// does.
type cpuSampler struct {
	pid         atomic.Int64
	first, last atomic.Int64 // the server's call numbers, from 1

	mu         sync.Mutex
	start, end time.Duration
	errs       []error
}

func (c *cpuSampler) onCall(n int64) {
	first := c.first.Load()
	if n != first && n != c.last.Load() {
		return
	}
	t, err := readCPU(int(c.pid.Load()))
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.errs = append(c.errs, err)
	}
	if n == first {
		c.start = t
	} else {
		c.end = t
	}
}

func runCPU(cfg config, calls int, out io.Writer) error {
	if calls < 100 {
		return errors.New("-cpu must be at least 100 calls")
	}
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		return fmt.Errorf("-cpu reads /proc/<pid>/task/*/schedstat: %w", err)
	}
	warmup := max(calls/10, 100)
	sampler := &cpuSampler{}
	b, err := newBench(cfg, sampler.onCall)
	if err != nil {
		return err
	}
	defer b.close()

	sides := cpuSides[:2]
	if cfg.spans {
		sides = cpuSides
	}
	fmt.Fprintf(out, "benchgrpc: k6's CPU (user+system, all threads) per call, %d calls measured after %d, %d VUs, %d rounds\n",
		calls, warmup, cfg.vus, cfg.runs)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "round\t")
	for _, side := range sides {
		fmt.Fprintf(tw, "%s µs/call\t", cpuNames[side])
	}
	fmt.Fprintln(tw)
	perCall := map[string][]float64{}
	var notes []string
	for round := 1; round <= cfg.runs; round++ {
		order := append([]string(nil), sides...)
		if round%2 == 0 {
			for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
				order[i], order[j] = order[j], order[i]
			}
		}
		for _, side := range order {
			cpu, note, err := b.cpuOnce(sampler, side, warmup, calls)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", round, side, err)
			}
			perCall[side] = append(perCall[side], float64(cpu.Nanoseconds())/1e3/float64(calls))
			if note != "" {
				notes = append(notes, fmt.Sprintf("round %d, %s: %s", round, cpuNames[side], note))
			}
		}
		fmt.Fprintf(tw, "%d\t", round)
		for _, side := range sides {
			fmt.Fprintf(tw, "%.2f\t", perCall[side][round-1])
		}
		fmt.Fprintln(tw)
	}
	fmt.Fprint(tw, "median\t")
	for _, side := range sides {
		fmt.Fprintf(tw, "%.2f\t", benchstat.Median(perCall[side]))
	}
	fmt.Fprint(tw, "\nmin–max\t")
	for _, side := range sides {
		fmt.Fprintf(tw, "%.2f–%.2f\t", benchstat.Min(perCall[side]), benchstat.Max(perCall[side]))
	}
	fmt.Fprintln(tw)
	_ = tw.Flush()
	diff := func(a, b string) {
		ds := differences(perCall[a], perCall[b])
		fmt.Fprintf(out, "benchgrpc: %s − %s: median %+.2f µs/call (%+.2f to %+.2f over rounds), %+.0f%%\n",
			cpuNames[a], cpuNames[b], benchstat.Median(ds), benchstat.Min(ds), benchstat.Max(ds), 100*benchstat.Median(ds)/benchstat.Median(perCall[b]))
	}
	diff("traced", "plain")
	if cfg.spans {
		diff("spans", "plain")
		diff("spans", "traced")
	}
	for _, n := range notes {
		fmt.Fprintln(out, "benchgrpc: note:", n)
	}
	return nil
}

// differences is a[i]-b[i], round by round.
func differences(a, b []float64) []float64 {
	ds := make([]float64, min(len(a), len(b)))
	for i := range ds {
		ds[i] = a[i] - b[i]
	}
	return ds
}

// cpuOnce runs cpu.js once for side, warmup+calls calls, and returns k6's
// CPU time between the first and the last measured call. note is what
// went wrong without spoiling the figure (spans missing).
func (b *bench) cpuOnce(s *cpuSampler, side string, warmup, calls int) (cpu time.Duration, note string, err error) {
	total := warmup + calls
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cmd, err := b.k6(ctx, "cpu.js", cpuScript, map[string]string{"SIDE": side, "ITERATIONS": strconv.Itoa(total)})
	if err != nil {
		return 0, "", err
	}
	calls0, traced0 := b.server.counts()
	spans0 := 0
	if b.sink != nil {
		spans0 = b.sink.Count()
	}
	s.mu.Lock()
	s.start, s.end, s.errs = 0, 0, nil
	s.mu.Unlock()
	s.first.Store(calls0 + int64(warmup) + 1)
	s.last.Store(calls0 + int64(total))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		return 0, "", err
	}
	s.pid.Store(int64(cmd.Process.Pid))
	if err := cmd.Wait(); err != nil {
		return 0, "", fmt.Errorf("%s: %w%s", b.cfg.k6, err, benchstat.Tail(&stderr))
	}
	calls1, traced1 := b.server.counts()
	n, withTP := calls1-calls0, traced1-traced0
	if n != int64(total) {
		return 0, "", fmt.Errorf("the server got %d calls, want %d%s", n, total, benchstat.Tail(&stderr))
	}
	if want := map[bool]int64{true: 0, false: n}[side == "plain"]; withTP != want {
		return 0, "", fmt.Errorf("the server got %d of %d calls with a traceparent, want %d: "+
			"the benchmark does not measure what it says", withTP, n, want)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errs) > 0 {
		return 0, "", errors.Join(s.errs...)
	}
	if side == "spans" {
		if err := b.sink.WaitCount(spans0+total, 10*time.Second); err != nil {
			note = "SPANS MISSING: " + err.Error()
		}
	}
	if lost := benchstat.LostSpans(stderr.String()); lost != "" {
		note = strings.TrimSpace(note + " k6: " + lost)
	}
	return s.end - s.start, note, nil
}

// readCPU is the CPU time of all of pid's threads so far, user and
// system: the first field of /proc/<pid>/task/*/schedstat, in ns.
func readCPU(pid int) (time.Duration, error) {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return 0, err
	}
	var total time.Duration
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, task.Name()))
		if err != nil {
			continue // the thread exited
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return 0, fmt.Errorf("schedstat of task %s: %q", task.Name(), b)
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("schedstat of task %s: %w", task.Name(), err)
		}
		total += time.Duration(ns)
	}
	return total, nil
}
