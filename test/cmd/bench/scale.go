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
// exit (the flush, and k6's own end), and the extension's warning line,
// if any.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// spansPerIteration is what scale.js ends an iteration with: the
// iteration's root, a request, a span and the request inside it.
const spansPerIteration = 4

// scaleConfig is what the scale mode's runs need.
type scaleConfig struct {
	k6, script, protocol, flush string
	vus                         []int
	duration                    time.Duration
	queue, concurrency          int
}

// runScale runs the load once for each number of VUs and prints a line
// each.
func runScale(cfg scaleConfig, out io.Writer) error {
	fmt.Fprintf(out, "scale: %s, %v a run, queue %d, flush timeout %s\n", cfg.protocol, cfg.duration, cfg.queue, cfg.flush)
	fmt.Fprintln(out, "   VUs   req/s    ended  at last req  delivered     lost  delivered/s (run)  k6 after last req  warning")
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
	warning                string
}

func (r scaleResult) line() string {
	rate := func(n int) float64 { return float64(n) / r.load.Seconds() }
	return fmt.Sprintf("%6d %7.0f %8d %12d %10d %8d %18.0f %18s  %s", r.vus, rate(r.requests), r.ended,
		r.atLastRequest, r.all, r.ended-r.all, rate(r.atLastRequest), r.afterLastRequest.Round(10*time.Millisecond),
		r.warning)
}

// target is the loopback server the script sends to: a 200 with a
// two-byte body, with the times of the first and the last request.
type scaleTarget struct {
	first, last atomic.Int64 // Unix nanoseconds
	requests    atomic.Int64
	sink        *otlpsink.Sink
	// atLast is the sink's count when the last request so far came.
	atLast atomic.Int64
}

func (t *scaleTarget) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	now := time.Now().UnixNano()
	t.first.CompareAndSwap(0, now)
	t.last.Store(now)
	t.requests.Add(1)
	t.atLast.Store(int64(t.sink.Count()))
	_, _ = w.Write([]byte("ok"))
}

func runScaleOnce(ctx context.Context, cfg scaleConfig, vus int) (scaleResult, error) {
	sink, err := otlpsink.Start(otlpsink.Options{GRPC: cfg.protocol == "grpc"})
	if err != nil {
		return scaleResult{}, err
	}
	defer func() { _ = sink.Close() }()
	endpoint := sink.Endpoint()
	if cfg.protocol == "grpc" {
		endpoint = sink.GRPCEndpoint()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return scaleResult{}, err
	}
	t := &scaleTarget{sink: sink}
	srv := &http.Server{Handler: t, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, cfg.k6, "run", "--quiet", "--no-color", cfg.script)
	cmd.Env = append(os.Environ(),
		"BASE_URL=http://"+ln.Addr().String(), "OTLP_ENDPOINT="+endpoint, "PROTOCOL="+cfg.protocol,
		"VUS="+strconv.Itoa(vus), "DURATION="+cfg.duration.String(),
		"QUEUE_SIZE="+strconv.Itoa(cfg.queue), "FLUSH_TIMEOUT="+cfg.flush)
	if cfg.concurrency > 0 {
		cmd.Env = append(cmd.Env, "CONCURRENT_EXPORTS="+strconv.Itoa(cfg.concurrency))
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return scaleResult{}, fmt.Errorf("k6: %w\n%s", err, stderr.String())
	}
	exited := time.Now()
	counts, err := scaleCounts(stdout.Bytes())
	if err != nil {
		return scaleResult{}, err
	}
	first, last := time.Unix(0, t.first.Load()), time.Unix(0, t.last.Load())
	return scaleResult{
		vus: vus, requests: counts.Requests, ended: spansPerIteration * counts.Iterations,
		atLastRequest: int(t.atLast.Load()), all: sink.Count(),
		load: last.Sub(first), afterLastRequest: exited.Sub(last),
		warning: lostSpans(stderr.String()),
	}, nil
}

// scaleCounts reads the line scale.js's handleSummary prints.
func scaleCounts(stdout []byte) (struct{ Iterations, Requests int }, error) {
	var line struct {
		Scale struct{ Iterations, Requests int } `json:"scale"`
	}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &line); err == nil && line.Scale.Iterations > 0 {
			return line.Scale, nil
		}
	}
	return line.Scale, errors.New("k6 printed no scale summary line")
}
