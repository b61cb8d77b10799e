// Command spanload measures how many spans one k6 process exports at the
// scale k6 users run, and what it loses: for each number of VUs, one k6
// run of spanload.js (one trace per iteration, four spans an iteration)
// against a loopback server, every span exported to a local OTLP sink
// (test/support/otlpsink) that answers at once and counts the spans of
// each request by walking its protobuf. Per run it prints the request
// rate, the spans k6 ended (four an iteration), those the sink had when
// the last request was served and in all, the spans lost, the delivered
// rate while the load ran (the exporter's ceiling, when the sink keeps up),
// how long k6 took from its last request to its exit (the flush, and k6's
// own end), and the extension's warning line, if any.
//
//	go run ./test/cmd/spanload -k6 ./k6 [-vus 10,200,1000] [-duration 20s] [-protocol http|grpc] [-queue 65536] [-flush 5s] [-concurrency N]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
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

// spansPerIteration is what spanload.js ends an iteration with: the
// iteration's root, a request, a span and the request inside it.
const spansPerIteration = 4

type config struct {
	k6, script, protocol, flush string
	vus                         []int
	duration                    time.Duration
	queue, concurrency          int
}

func main() {
	var cfg config
	var vus string
	flag.StringVar(&cfg.k6, "k6", "./k6", "k6 binary built with the extension")
	flag.StringVar(&cfg.script, "script", "test/cmd/spanload/spanload.js", "load script")
	flag.StringVar(&vus, "vus", "10,200,1000", "numbers of VUs, one run each")
	flag.DurationVar(&cfg.duration, "duration", 20*time.Second, "length of each run's load")
	flag.StringVar(&cfg.protocol, "protocol", "http", `the OTLP protocol: "http" (http/protobuf) or "grpc"`)
	flag.IntVar(&cfg.queue, "queue", 65536, "the spans option's queueSize")
	flag.StringVar(&cfg.flush, "flush", "5s", "the spans option's flushTimeout")
	flag.IntVar(&cfg.concurrency, "concurrency", 0, "the spans option's concurrentExports (0: its default)")
	flag.Parse()
	var err error
	if cfg.vus, err = parseCounts(vus); err != nil {
		fmt.Fprintln(os.Stderr, "spanload: -vus:", err)
		os.Exit(2)
	}
	if cfg.protocol != "http" && cfg.protocol != "grpc" {
		fmt.Fprintf(os.Stderr, "spanload: -protocol %q: allowed: \"http\" or \"grpc\"\n", cfg.protocol)
		os.Exit(2)
	}
	fmt.Printf("spanload: %s, %v a run, queue %d, flush timeout %s\n", cfg.protocol, cfg.duration, cfg.queue, cfg.flush)
	fmt.Println("   VUs   req/s    ended  at last req  delivered     lost  delivered/s (run)  k6 after last req  warning")
	for _, n := range cfg.vus {
		r, err := run(context.Background(), cfg, n)
		if err != nil {
			fmt.Fprintf(os.Stderr, "spanload: %d VUs: %v\n", n, err)
			os.Exit(1)
		}
		fmt.Println(r.line())
	}
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
type result struct {
	vus                    int
	requests, ended        int
	atLastRequest, all     int
	load, afterLastRequest time.Duration
	warning                string
}

func (r result) line() string {
	rate := func(n int) float64 { return float64(n) / r.load.Seconds() }
	return fmt.Sprintf("%6d %7.0f %8d %12d %10d %8d %18.0f %18s  %s", r.vus, rate(r.requests), r.ended,
		r.atLastRequest, r.all, r.ended-r.all, rate(r.atLastRequest), r.afterLastRequest.Round(10*time.Millisecond),
		r.warning)
}

// target is the loopback server the script sends to: a 200 with a
// two-byte body, with the times of the first and the last request.
type target struct {
	first, last atomic.Int64 // Unix nanoseconds
	requests    atomic.Int64
	sink        *otlpsink.Sink
	// atLast is the sink's count when the last request so far came.
	atLast atomic.Int64
}

func (t *target) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	now := time.Now().UnixNano()
	t.first.CompareAndSwap(0, now)
	t.last.Store(now)
	t.requests.Add(1)
	t.atLast.Store(int64(t.sink.Count()))
	_, _ = w.Write([]byte("ok"))
}

func run(ctx context.Context, cfg config, vus int) (result, error) {
	sink, err := otlpsink.Start(otlpsink.Options{GRPC: cfg.protocol == "grpc"})
	if err != nil {
		return result{}, err
	}
	defer func() { _ = sink.Close() }()
	endpoint, protocol := sink.Endpoint(), "http/protobuf"
	if cfg.protocol == "grpc" {
		endpoint, protocol = sink.GRPCEndpoint(), "grpc"
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return result{}, err
	}
	t := &target{sink: sink}
	srv := &http.Server{Handler: t, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, cfg.k6, "run", "--quiet", "--no-color", cfg.script)
	cmd.Env = append(os.Environ(),
		"BASE_URL=http://"+ln.Addr().String(), "OTLP_ENDPOINT="+endpoint, "PROTOCOL="+protocol,
		"VUS="+strconv.Itoa(vus), "DURATION="+cfg.duration.String(),
		"QUEUE_SIZE="+strconv.Itoa(cfg.queue), "FLUSH_TIMEOUT="+cfg.flush)
	if cfg.concurrency > 0 {
		cmd.Env = append(cmd.Env, "CONCURRENT_EXPORTS="+strconv.Itoa(cfg.concurrency))
	}
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return result{}, fmt.Errorf("k6: %w\n%s", err, stderr.String())
	}
	exited := time.Now()
	counts, err := summaryCounts(stdout.Bytes())
	if err != nil {
		return result{}, err
	}
	first, last := time.Unix(0, t.first.Load()), time.Unix(0, t.last.Load())
	return result{
		vus: vus, requests: counts.Requests, ended: spansPerIteration * counts.Iterations,
		atLastRequest: int(t.atLast.Load()), all: sink.Count(),
		load: last.Sub(first), afterLastRequest: exited.Sub(last),
		warning: warningLine(stderr.String()),
	}, nil
}

// summaryCounts reads the line spanload.js's handleSummary prints.
func summaryCounts(stdout []byte) (struct{ Iterations, Requests int }, error) {
	var line struct {
		Spanload struct{ Iterations, Requests int } `json:"spanload"`
	}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &line); err == nil && line.Spanload.Iterations > 0 {
			return line.Spanload, nil
		}
	}
	return line.Spanload, errors.New("k6 printed no spanload summary line")
}

// warningLine returns the extension's warning about spans not delivered,
// "" when k6 printed none.
func warningLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if i := strings.Index(l, "tracing: "); i >= 0 && strings.Contains(l, "not delivered") {
			return strings.TrimRight(l[i:], `"`)
		}
	}
	return ""
}
