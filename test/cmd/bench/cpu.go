package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// The CPU mode (-cpu N) measures the CPU k6 spends per request, user and
// system, over a fixed number of requests: plain k6, and k6 exporting a
// span per request over OTLP/HTTP (protobuf) and over OTLP/gRPC to the
// local collector. Each run is a k6 process of its own sending warm-up
// plus N requests; the target server reads the CPU time of all k6's
// threads (/proc/<pid>/task/*/schedstat, in nanoseconds) when the first
// measured request reaches it and when the last one does, so k6's start
// and end are not counted. The spans' export runs on in the background
// and falls in the window as it happens, but for the last batches.
// Rounds alternate the kinds in ABCCBA order.

// cpuKinds are what the CPU mode compares, in the order of a round.
var cpuKinds = []string{"plain", "http/protobuf", "grpc"}

// cpuScript is the k6 script of the CPU mode: ITERATIONS requests over
// VUS VUs, with spans over the OTEL_* variables' protocol when SPANS=1.
const cpuScript = `import http from "k6/http";
import tracing from "k6/x/tracing";

if (__ENV.SPANS === "1") {
  tracing.instrumentHTTP({ propagator: "w3c", spans: true });
}
const get = http.get; // k6's own without spans
const URL = __ENV.BASE_URL + "/";

export const options = {
  scenarios: {
    requests: {
      executor: "shared-iterations",
      vus: Number(__ENV.VUS),
      iterations: Number(__ENV.ITERATIONS),
      maxDuration: "30m",
    },
  },
  discardResponseBodies: true,
  summaryTrendStats: ["avg"],
};

export default function () {
  get(URL);
}

export function handleSummary() {
  return {};
}
`

// cpuRun is one k6 run's figures.
type cpuRun struct {
	// window is the CPU time of the measured requests, in ns; ticks the
	// same from /proc/<pid>/stat (10 ms resolution), as a check; whole the
	// process's user+system time, start and end included.
	window, ticks, whole time.Duration
	requests             int
}

func runCPU(k6 string, requests, rounds, vus int, out io.Writer) error {
	switch {
	case requests < 100:
		return errors.New("-cpu must be at least 100 requests")
	case rounds < 1 || vus < 1:
		return errors.New("-runs and -vus must be at least 1")
	}
	if _, err := os.Stat("/proc/self/schedstat"); err != nil {
		return fmt.Errorf("-cpu reads /proc/<pid>/task/*/schedstat: %w", err)
	}
	dir, err := os.MkdirTemp("", "bench-cpu")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	script := filepath.Join(dir, "cpu.js")
	if err := os.WriteFile(script, []byte(cpuScript), 0o600); err != nil {
		return err
	}
	sink, err := otlpsink.Start(otlpsink.Options{GRPC: true})
	if err != nil {
		return fmt.Errorf("collector: %w", err)
	}
	defer func() { _ = sink.Close() }()

	warmup := max(requests/10, 100)
	perRequest := map[string][]float64{}
	fmt.Fprintf(out, "cpu: k6 CPU per request (user+system, all threads), %d requests measured after %d, %d VUs, %d rounds\n",
		requests, warmup, vus, rounds)
	for round := 1; round <= rounds; round++ {
		order := cpuKinds
		if round%2 == 0 {
			order = []string{cpuKinds[2], cpuKinds[1], cpuKinds[0]}
		}
		for _, kind := range order {
			before := sink.Count()
			r, err := cpuRunOnce(k6, script, kind, sink, warmup, requests, vus)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", round, kind, err)
			}
			line := fmt.Sprintf("cpu: round %d/%d %-13s %7.2f µs/request (/proc stat ticks %.1f µs; whole process %.2f µs)",
				round, rounds, kind, us(r.window, requests), us(r.ticks, requests), us(r.whole, r.requests))
			if kind != "plain" {
				if err := sink.WaitCount(before+r.requests, 10*time.Second); err != nil {
					line += " -- SPANS MISSING: " + err.Error()
				} else {
					line += fmt.Sprintf(", %d spans received", sink.Count()-before)
				}
			}
			fmt.Fprintln(out, line)
			perRequest[kind] = append(perRequest[kind], us(r.window, requests))
		}
	}
	for _, kind := range cpuKinds {
		xs := perRequest[kind]
		fmt.Fprintf(out, "cpu: %-13s median %7.2f µs/request (%.2f–%.2f)\n", kind, benchstat.Median(xs), benchstat.Min(xs), benchstat.Max(xs))
	}
	diff := func(a, b string) {
		var ds []float64
		for i := range perRequest[a] {
			ds = append(ds, perRequest[a][i]-perRequest[b][i])
		}
		fmt.Fprintf(out, "cpu: %s over %s: median %+.2f µs/request (%+.2f to %+.2f, per round)\n",
			a, b, benchstat.Median(ds), benchstat.Min(ds), benchstat.Max(ds))
	}
	diff("http/protobuf", "plain")
	diff("grpc", "plain")
	diff("grpc", "http/protobuf")
	return nil
}

func us(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / 1e3 / float64(n) }

// cpuRunOnce runs k6 once for kind: warmup+requests requests to a server
// of its own, which samples k6's CPU time at the first and the last
// measured request.
func cpuRunOnce(k6, script, kind string, sink *otlpsink.Sink, warmup, requests, vus int) (cpuRun, error) {
	var (
		pid        atomic.Int64
		served     atomic.Int64
		mu         sync.Mutex
		samples    [2]cpuSample
		sampleErrs []error
	)
	sample := func(i int) {
		s, err := readCPU(int(pid.Load()))
		mu.Lock()
		defer mu.Unlock()
		samples[i] = s
		if err != nil {
			sampleErrs = append(sampleErrs, err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return cpuRun{}, err
	}
	body := []byte("ok")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			switch served.Add(1) {
			case int64(warmup) + 1:
				sample(0)
			case int64(warmup + requests):
				sample(1)
			}
			h := w.Header()
			h["Content-Type"] = []string{"text/plain"}
			h["Content-Length"] = []string{"2"}
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	total := warmup + requests
	cmd := exec.CommandContext(ctx, k6, "run", "--quiet", "--no-color", "--no-usage-report",
		"-e", "BASE_URL=http://"+ln.Addr().String(),
		"-e", "ITERATIONS="+strconv.Itoa(total),
		"-e", "VUS="+strconv.Itoa(vus),
		"-e", "SPANS="+map[bool]string{true: "1", false: "0"}[kind != "plain"],
		script)
	cmd.Env = os.Environ()
	switch kind {
	case "http/protobuf":
		cmd.Env = append(cmd.Env, spansEnv(sink.Endpoint(), kind)...)
	case "grpc":
		cmd.Env = append(cmd.Env, spansEnv(sink.GRPCEndpoint(), kind)...)
	}
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Start(); err != nil {
		return cpuRun{}, err
	}
	pid.Store(int64(cmd.Process.Pid))
	if err := cmd.Wait(); err != nil {
		return cpuRun{}, fmt.Errorf("%s: %w%s", k6, err, benchstat.Tail(&stderr))
	}
	if n := served.Load(); n != int64(total) {
		return cpuRun{}, fmt.Errorf("the server got %d requests, want %d%s", n, total, benchstat.Tail(&stderr))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sampleErrs) > 0 {
		return cpuRun{}, errors.Join(sampleErrs...)
	}
	if lost := benchstat.LostSpans(stderr.String()); lost != "" {
		return cpuRun{}, errors.New(lost)
	}
	state := cmd.ProcessState
	return cpuRun{
		window:   samples[1].schedstat - samples[0].schedstat,
		ticks:    samples[1].ticks - samples[0].ticks,
		whole:    state.UserTime() + state.SystemTime(),
		requests: total,
	}, nil
}

// cpuSample is a process's CPU time so far: the sum of its threads' time
// on a CPU (schedstat, in ns), and utime+stime of /proc/<pid>/stat.
type cpuSample struct{ schedstat, ticks time.Duration }

// clockTick is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on
// every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

func readCPU(pid int) (cpuSample, error) {
	var s cpuSample
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return s, err
	}
	for _, task := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/schedstat", pid, task.Name()))
		if err != nil {
			continue // the thread exited
		}
		f := strings.Fields(string(b))
		if len(f) == 0 {
			return s, fmt.Errorf("schedstat of task %s: %q", task.Name(), b)
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return s, fmt.Errorf("schedstat of task %s: %w", task.Name(), err)
		}
		s.schedstat += time.Duration(ns)
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return s, err
	}
	// The fields after the command's ")": state is field 3, utime 14,
	// stime 15.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return s, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return s, fmt.Errorf("/proc/%d/stat: %q", pid, b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return s, fmt.Errorf("/proc/%d/stat: %w", pid, err)
	}
	s.ticks = time.Duration(utime+stime) * clockTick
	return s, nil
}
