package main

// The scale mode (-scale 10,200,1000) measures how many spans one k6
// process exports at the scale k6 users run, and what it loses: for each
// number of VUs, one k6 run of scale.js (one trace per iteration, four
// spans an iteration) against a loopback server, every span exported to
// the local OTLP sink (test/support/otlpsink), which answers at once and
// counts the spans of each request by walking its protobuf. Per run it
// prints the request rate, the spans k6 ended (four an iteration), those
// the sink had when the last request was served and in all, the spans
// lost, the delivered rate while the load ran (the exporter's ceiling,
// when the sink keeps up), how long k6 took from its last request to its
// exit (the flush, and k6's own end), k6's peak resident memory, and the
// extension's warning line, if any.
//
// With -stalled, the collector is a port that never accepts a connection
// (a hung process): every export waits for its timeout, the queue is full
// for most of the run, and the memory columns say whether k6's memory
// stays bounded meanwhile.
//
// k6 runs without its end-of-test summary and thresholds: its Trend
// metrics keep every value they are given, which would grow k6's memory
// with the request count whatever the spans do. The loopback server
// counts the requests instead (two an iteration; the scenario lets every
// started iteration finish).

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// spansPerIteration is what scale.js ends an iteration with: the
// iteration's root, a request, a span and the request inside it; two of
// them are requests.
const (
	spansPerIteration    = 4
	requestsPerIteration = 2
)

// scaleConfig is what the scale mode's runs need.
type scaleConfig struct {
	k6, script, protocol, flush string
	vus                         []int
	duration                    time.Duration
	queue, concurrency          int
	// stalled: the collector never answers.
	stalled bool
}

// runScale runs the load once for each number of VUs and prints a line
// each.
func runScale(cfg scaleConfig, out io.Writer) error {
	collector := "a sink that answers at once"
	if cfg.stalled {
		collector = "a stalled collector"
	}
	fmt.Fprintf(out, "scale: %s to %s, %v a run, queue %d, flush timeout %s\n",
		cfg.protocol, collector, cfg.duration, cfg.queue, cfg.flush)
	fmt.Fprintln(out, "   VUs   req/s    ended  at last req  delivered     lost  delivered/s (run)  k6 after last req"+
		"  peak RSS  1st half  2nd half  warning")
	for _, n := range cfg.vus {
		r, err := runScaleOnce(context.Background(), cfg, n)
		if err != nil {
			return fmt.Errorf("%d VUs: %w", n, err)
		}
		fmt.Fprintln(out, r.line())
	}
	return nil
}

// parseCounts reads a comma-separated list of positive counts.
func parseCounts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive count", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// result is one run's figures.
type scaleResult struct {
	vus                    int
	requests, ended        int
	atLastRequest, all     int
	load, afterLastRequest time.Duration
	memory                 memSummary
	warning                string
}

func (r scaleResult) line() string {
	rate := func(n int) float64 { return float64(n) / r.load.Seconds() }
	return fmt.Sprintf("%6d %7.0f %8d %12d %10d %8d %18.0f %18s %9s %9s %9s  %s", r.vus, rate(r.requests), r.ended,
		r.atLastRequest, r.all, r.ended-r.all, rate(r.atLastRequest), r.afterLastRequest.Round(10*time.Millisecond),
		mibShort(r.memory.hwm), mibShort(r.memory.firstPeak), mibShort(r.memory.secondPeak), r.warning)
}

// mibShort is a size in whole MiB.
func mibShort(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

// target is the loopback server the script sends to: a 200 with a
// two-byte body, with the times of the first and the last request.
type scaleTarget struct {
	first, last atomic.Int64 // Unix nanoseconds
	requests    atomic.Int64
	delivered   func() int
	// atLast is the collector's count when the last request so far came.
	atLast atomic.Int64
}

func (t *scaleTarget) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	now := time.Now().UnixNano()
	t.first.CompareAndSwap(0, now)
	t.last.Store(now)
	t.requests.Add(1)
	t.atLast.Store(int64(t.delivered()))
	_, _ = w.Write([]byte("ok"))
}

// scaleCollector is where the run's spans go: the sink, or with -stalled
// a port that never accepts; endpoint is for k6, delivered counts what
// arrived.
type scaleCollector struct {
	endpoint  string
	delivered func() int
	close     func()
}

func startScaleCollector(cfg scaleConfig) (scaleCollector, error) {
	if cfg.stalled {
		// A listener that is never accepted from: the kernel completes the
		// connections (up to its backlog) and buffers what the exporter
		// writes, and nothing ever answers, as with a hung collector.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return scaleCollector{}, err
		}
		return scaleCollector{
			endpoint:  "http://" + ln.Addr().String(),
			delivered: func() int { return 0 },
			close:     func() { _ = ln.Close() },
		}, nil
	}
	sink, err := otlpsink.Start(otlpsink.Options{GRPC: cfg.protocol == "grpc"})
	if err != nil {
		return scaleCollector{}, err
	}
	endpoint := sink.Endpoint()
	if cfg.protocol == "grpc" {
		endpoint = sink.GRPCEndpoint()
	}
	return scaleCollector{endpoint: endpoint, delivered: sink.Count, close: func() { _ = sink.Close() }}, nil
}

func runScaleOnce(ctx context.Context, cfg scaleConfig, vus int) (scaleResult, error) {
	collector, err := startScaleCollector(cfg)
	if err != nil {
		return scaleResult{}, err
	}
	defer collector.close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return scaleResult{}, err
	}
	t := &scaleTarget{delivered: collector.delivered}
	srv := &http.Server{Handler: t, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, cfg.k6, "run", "--quiet", "--no-color",
		"--summary-mode=disabled", "--no-thresholds", cfg.script)
	cmd.Env = append(os.Environ(),
		"BASE_URL=http://"+ln.Addr().String(), "OTLP_ENDPOINT="+collector.endpoint, "PROTOCOL="+cfg.protocol,
		"VUS="+strconv.Itoa(vus), "DURATION="+cfg.duration.String(),
		"QUEUE_SIZE="+strconv.Itoa(cfg.queue), "FLUSH_TIMEOUT="+cfg.flush)
	if cfg.concurrency > 0 {
		cmd.Env = append(cmd.Env, "CONCURRENT_EXPORTS="+strconv.Itoa(cfg.concurrency))
	}
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return scaleResult{}, fmt.Errorf("k6: %w", err)
	}
	done := make(chan struct{})
	sampled := make(chan []memSample, 1)
	go func() { sampled <- sampleMemory(cmd.Process.Pid, done) }()
	err = cmd.Wait()
	exited := time.Now()
	close(done)
	samples := <-sampled
	if err != nil {
		return scaleResult{}, fmt.Errorf("k6: %w\n%s", err, stderr.String())
	}
	mem, err := summarizeMemory(samples, cfg.duration/2)
	if err != nil {
		return scaleResult{}, err
	}
	requests := int(t.requests.Load())
	if requests%requestsPerIteration != 0 {
		return scaleResult{}, fmt.Errorf("%d requests: not %d an iteration", requests, requestsPerIteration)
	}
	first, last := time.Unix(0, t.first.Load()), time.Unix(0, t.last.Load())
	return scaleResult{
		vus: vus, requests: requests, ended: spansPerIteration * requests / requestsPerIteration,
		atLastRequest: int(t.atLast.Load()), all: collector.delivered(),
		load: last.Sub(first), afterLastRequest: exited.Sub(last), memory: mem,
		warning: benchstat.LostSpans(stderr.String()),
	}, nil
}
