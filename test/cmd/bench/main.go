// Command bench is the end-to-end overhead benchmark behind `make bench`:
// it measures how many requests per second k6 sends with plain http.get
// and with http.get instrumented by k6/x/tracing, in one k6 run.
//
// It starts a minimal HTTP server on a free loopback port (200, a two-byte
// body, nothing recorded), runs test/cmd/bench/bench.js with the given k6
// binary, and reads the one JSON line the script's handleSummary prints.
// The script alternates plain and traced windows of equal length in ABBA
// order (plain, traced, traced, plain, ...), so that drift in the machine's
// speed during the run hits both sides alike; k6 and the server share the
// CPUs, which makes that drift real.
//
// It prints both rates and their ratio traced/plain against the target
// (0.97). A ratio below the target is reported, not an error: the exit
// status is non-zero only when the benchmark could not run.
//
// The verdict is the median of the traced/plain ratios of adjacent window
// pairs, which one disturbed window cannot move much.
//
// With -spans, the traced side is instrumentHTTP({ spans: true }): every
// traced request also exports a CLIENT span over OTLP/HTTP to a local
// collector (test/support/otlpsink, counting what it receives), and the target is
// 0.93. A third kind of window sends with propagation only (ABCCBA order),
// so that the same run also prints what spans cost over propagation. The
// collector's count is checked against the traced requests. A
// memory run follows (-memory, 60s): spans on for every request, the k6
// process's VmRSS and VmHWM sampled every second, its peak printed with
// the peaks of the first and second halves of the run, which should be
// flat (-growth, 5%).
//
//	go run ./test/cmd/bench -k6 ./k6 [-window 1s] [-windows 40] [-vus 4] [-runs 1]
//	go run ./test/cmd/bench -k6 ./k6 -spans [-protocol http|grpc] [-windows 60] [-memory 60s] [-growth 0.05] [-runs 1]
//	go run ./test/cmd/bench -k6 ./k6 -cpu 20000 [-runs 5] [-vus 4]
//	go run ./test/cmd/bench -k6 ./k6 -scale 10,200,1000 [-protocol http|grpc] [-scale-duration 20s] [-queue 65536] [-flush 5s] [-concurrency N]
//
// -protocol grpc exports the spans over OTLP/gRPC instead. -cpu measures
// k6's CPU per request instead of rates (see cpu.go); -scale, the spans
// delivered and lost at many VUs (see scale.go).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
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

// defaultTarget is the lowest acceptable traced/plain ratio; with spans
// exported, spansTarget.
const (
	defaultTarget = 0.97
	spansTarget   = 0.93
)

// defaultSpansWindows is -windows with -spans: ten ABCCBA blocks, which
// hold as many plain and traced windows (20 each) as 40 ABBA windows.
const defaultSpansWindows = 60

// config is what one benchmark run needs.
type config struct {
	k6      string
	script  string
	window  time.Duration
	warmup  time.Duration
	windows int
	vus     int
	// spans: the traced side exports spans, to the collector that env
	// (OTEL_EXPORTER_OTLP_*) names, over protocol.
	spans    bool
	protocol string
	env      []string
}

// counts is the summary line bench.js prints: requests completed in the
// plain, the traced and (with spans) the propagation-only windows.
type counts struct {
	Plain   int64   `json:"plain"`
	Traced  int64   `json:"traced"`
	Prop    int64   `json:"prop"`
	Windows []int64 `json:"windows"` // per measured window, in order
	// Kinds names each window's kind, in the same order: bench.js alone
	// decides the order, the driver reads it.
	Kinds []string `json:"kinds"`
	// WarmupTraced is the warm-up's traced requests, not measured.
	WarmupTraced int64 `json:"warmupTraced"`
}

// result is one run's rates, and the traced/plain ratio of each pair of
// adjacent plain and traced windows (see [pairRatios]).
type result struct {
	plainRPS, tracedRPS float64
	pairRatios          []float64
	// With spans: the propagation-only rate, and traced/propagation of
	// each pair of adjacent traced and propagation-only windows.
	propRPS         float64
	overPropagation []float64
	// traced counts the traced requests the script completed, warm-up
	// included, and tracedWindows the windows they were measured in; lost
	// is k6's warning about spans not delivered, if any.
	traced        int64
	tracedWindows int
	lost          string
}

// ratio is the median of the pair ratios: a window slowed by something
// else on the machine (a GC cycle, a noisy neighbour) moves one pair, not
// the verdict. Without per-window counts it is the pooled ratio.
func (r result) ratio() float64 {
	return medianOr(r.pairRatios, r.tracedRPS/r.plainRPS)
}

// overPropagationRatio is, with spans, what ratio is to plain against
// the propagation-only windows.
func (r result) overPropagationRatio() float64 {
	return medianOr(r.overPropagation, r.tracedRPS/r.propRPS)
}

// medianOr is the median of xs, or pooled when xs is empty.
func medianOr(xs []float64, pooled float64) float64 {
	if len(xs) == 0 {
		return pooled
	}
	return benchstat.Median(xs)
}

func main() {
	var (
		cfg    config
		runs   int
		target float64
		mem    memoryConfig
		cpu    int
	)
	flag.StringVar(&cfg.k6, "k6", "./k6", "k6 binary built with the extension")
	flag.StringVar(&cfg.script, "script", "test/cmd/bench/bench.js", "benchmark script")
	flag.DurationVar(&cfg.window, "window", time.Second, "length of one measured window")
	flag.DurationVar(&cfg.warmup, "warmup", 0, "unmeasured warm-up before the windows (0: one window)")
	flag.IntVar(&cfg.windows, "windows", 40, "measured windows per run, alternating ABBA (ABCCBA with -spans, default 60); a multiple of 4 (6) cancels linear drift")
	flag.IntVar(&cfg.vus, "vus", 4, "VUs in every window")
	flag.IntVar(&runs, "runs", 1, "k6 runs; with more than one, the median ratio is printed too")
	flag.Float64Var(&target, "target", defaultTarget, "lowest acceptable traced/plain ratio (with -spans: 0.93)")
	flag.BoolVar(&cfg.spans, "spans", false, "the traced side exports spans to a local OTLP collector; then a memory run")
	flag.DurationVar(&mem.duration, "memory", time.Minute, "with -spans: length of the memory run (0: none)")
	flag.Float64Var(&mem.maxGrowth, "growth", defaultMaxGrowth, "with -spans: highest acceptable growth of the peak RSS, second half over first")
	flag.StringVar(&cfg.protocol, "protocol", "http", `with -spans: the OTLP protocol, "http" (http/protobuf) or "grpc"`)
	flag.IntVar(&cpu, "cpu", 0, "CPU mode: k6's CPU per request over this many requests, plain and with spans over each protocol, for -runs rounds")
	var scale string
	sc := scaleConfig{script: "test/cmd/bench/scale.js"}
	flag.StringVar(&scale, "scale", "", "scale mode: spans delivered and lost at these numbers of VUs, such as 10,200,1000")
	flag.DurationVar(&sc.duration, "scale-duration", 20*time.Second, "with -scale: the length of each run's load")
	flag.IntVar(&sc.queue, "queue", 65536, "with -scale: the spans option's queueSize")
	flag.StringVar(&sc.flush, "flush", "5s", "with -scale: the spans option's flushTimeout")
	flag.IntVar(&sc.concurrency, "concurrency", 0, "with -scale: the spans option's concurrentExports (0: its default)")
	flag.BoolVar(&sc.stalled, "stalled", false, "with -scale: the collector never answers (a hung process); the memory columns say whether k6 stays bounded")
	flag.Parse()
	switch cfg.protocol {
	case "http", "http/protobuf":
		cfg.protocol = "http/protobuf"
	case "grpc":
	default:
		fmt.Fprintf(os.Stderr, "bench: -protocol %q: want http or grpc\n", cfg.protocol)
		os.Exit(2)
	}
	if scale != "" {
		var err error
		if sc.vus, err = parseCounts(scale); err != nil {
			fmt.Fprintf(os.Stderr, "bench: -scale: %v\n", err)
			os.Exit(2)
		}
		sc.k6, sc.protocol = cfg.k6, cfg.protocol
		if err := runScale(sc, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if cpu > 0 {
		if err := runCPU(cfg.k6, cpu, runs, cfg.vus, os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "bench: %v\n", err)
			os.Exit(1)
		}
		return
	}
	if cfg.spans && !flagSet("target") {
		target = spansTarget
	}
	if cfg.spans && !flagSet("windows") {
		cfg.windows = defaultSpansWindows
	}

	if err := run(cfg, runs, target, mem, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

// flagSet says whether the command line set the flag name.
func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func run(cfg config, runs int, target float64, mem memoryConfig, out io.Writer) error {
	if cfg.warmup == 0 {
		cfg.warmup = cfg.window
	}
	// k6 gets whole milliseconds; compute the rates from what it got.
	cfg.window = cfg.window.Truncate(time.Millisecond)
	cfg.warmup = cfg.warmup.Truncate(time.Millisecond)
	switch {
	case cfg.window < time.Second || cfg.warmup < time.Second:
		// k6's constant-vus executor refuses shorter durations.
		return errors.New("-window and -warmup must be at least 1s")
	case cfg.windows < kindsIn(cfg.spans):
		return fmt.Errorf("-windows must be at least %d, to have a window of each kind", kindsIn(cfg.spans))
	case cfg.vus < 1:
		return errors.New("-vus must be at least 1")
	case runs < 1:
		return errors.New("-runs must be at least 1")
	case cfg.spans && mem.duration != 0 && mem.duration < time.Second:
		return errors.New("-memory must be 0 or at least 1s")
	}
	if _, err := os.Stat(cfg.script); err != nil {
		return fmt.Errorf("script: %w (run from the repository root, or pass -script)", err)
	}

	baseURL, served, stop, err := startServer()
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	defer stop()

	var sink *otlpsink.Sink
	if cfg.spans {
		overGRPC := cfg.protocol == "grpc"
		if sink, err = otlpsink.Start(otlpsink.Options{GRPC: overGRPC}); err != nil {
			return fmt.Errorf("collector: %w", err)
		}
		defer sink.Close()
		if overGRPC {
			cfg.env = spansEnv(sink.GRPCEndpoint(), cfg.protocol)
		} else {
			cfg.env = spansEnv(sink.Endpoint(), "http/protobuf")
		}
	}

	ratios := make([]float64, 0, runs)
	var overPropagation []float64 // with spans, each run's ratio
	for i := 1; i <= runs; i++ {
		before := 0
		if sink != nil {
			before = sink.Count()
		}
		res, err := runOnce(cfg, baseURL)
		if err != nil {
			if runs > 1 {
				return fmt.Errorf("run %d: %w", i, err)
			}
			return err
		}
		prefix := "bench:"
		if runs > 1 {
			prefix = fmt.Sprintf("bench: run %d/%d:", i, runs)
		}
		fmt.Fprintf(out, "%s %s\n", prefix, formatResult(res, target, cfg.spans))
		if cfg.spans {
			fmt.Fprintf(out, "%s %s\n", prefix, formatOverPropagation(res))
			overPropagation = append(overPropagation, res.overPropagationRatio())
		}
		if sink != nil {
			// The traced windows' ends and the warm-up's can each cut one
			// iteration per VU between its request and its count: its
			// span was exported, its request not counted.
			maxCut := int64(cfg.vus) * int64(res.tracedWindows+1)
			fmt.Fprintf(out, "%s %s\n", prefix, formatSpans(int64(sink.Count()-before), res.traced, maxCut, res.lost))
		}
		ratios = append(ratios, res.ratio())
	}
	if runs > 1 {
		m := benchstat.Median(ratios)
		fmt.Fprintf(out, "bench: median ratio %.3f over %d runs (target >= %.2f)%s\n",
			m, runs, target, verdict(m, target))
		if cfg.spans {
			fmt.Fprintf(out, "bench: median ratio with spans over propagation only %.3f over %d runs\n", benchstat.Median(overPropagation), runs)
		}
	}
	if sink != nil && mem.duration > 0 {
		return runMemory(cfg, mem, baseURL, served, sink, out)
	}
	return nil
}

// formatResult is the line printed for one run; with spans, the traced
// side is named for what it does.
func formatResult(r result, target float64, spans bool) string {
	traced := "traced"
	if spans {
		traced = "traced with spans"
	}
	return fmt.Sprintf("plain %.0f req/s, %s %.0f req/s, ratio %.3f (median of %d window pairs; pooled %.3f) (target >= %.2f)%s",
		r.plainRPS, traced, r.tracedRPS, r.ratio(), len(r.pairRatios), r.tracedRPS/r.plainRPS, target, verdict(r.ratio(), target))
}

// formatOverPropagation is the line a run with spans adds: the
// propagation-only rate, and what spans cost over it.
func formatOverPropagation(r result) string {
	return fmt.Sprintf("in the same run, propagation only %.0f req/s: with spans over propagation only, "+
		"ratio %.3f (median of %d window pairs; pooled %.3f)",
		r.propRPS, r.overPropagationRatio(), len(r.overPropagation), r.tracedRPS/r.propRPS)
}

func verdict(ratio, target float64) string {
	// Compare what is printed, so that "0.970" never reads as a miss.
	if math.Round(ratio*1000) < math.Round(target*1000) {
		return " -- BELOW TARGET"
	}
	return ""
}

// startServer serves 200 with a tiny body on a free loopback port until
// stop is called; served counts the requests so far.
func startServer() (baseURL string, served func() int64, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	body := []byte("ok")
	var n atomic.Int64
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			n.Add(1)
			h := w.Header()
			h["Content-Type"] = []string{"text/plain"}
			h["Content-Length"] = []string{"2"}
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
	}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), n.Load, func() { _ = srv.Close() }, nil
}

// runOnce runs k6 once and turns its request counts into rates.
func runOnce(cfg config, baseURL string) (result, error) {
	measured := time.Duration(cfg.windows) * cfg.window
	// Bound the run: the scenarios' length plus generous room for k6 to
	// start, initialise the VUs and write the summary.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.warmup+measured+2*time.Minute)
	defer cancel()

	cmd := k6Command(ctx, cfg, baseURL,
		"-e", "WINDOW="+k6Duration(cfg.window),
		"-e", "WARMUP="+k6Duration(cfg.warmup),
		"-e", "WINDOWS="+strconv.Itoa(cfg.windows))
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return result{}, fmt.Errorf("k6 did not finish within %s%s", cfg.warmup+measured+2*time.Minute, benchstat.Tail(&stderr))
	}
	if err != nil {
		return result{}, fmt.Errorf("%s: %w%s", cfg.k6, err, benchstat.Tail(&stderr))
	}
	c, err := parseSummary(stdout.Bytes())
	if err != nil {
		return result{}, fmt.Errorf("%w%s", err, benchstat.Tail(&stderr))
	}
	if c.Plain == 0 || c.Traced == 0 || (cfg.spans && c.Prop == 0) {
		return result{}, fmt.Errorf("no requests completed (plain %d, traced %d, propagation only %d)%s",
			c.Plain, c.Traced, c.Prop, benchstat.Tail(&stderr))
	}
	if len(c.Windows) != cfg.windows || len(c.Kinds) != cfg.windows {
		return result{}, fmt.Errorf("summary has %d window counts and %d kinds, want %d",
			len(c.Windows), len(c.Kinds), cfg.windows)
	}
	kinds, err := parseKinds(c.Kinds)
	if err != nil {
		return result{}, fmt.Errorf("summary: %w", err)
	}
	rate := func(requests int64, k kind) float64 {
		return float64(requests) / (float64(countKind(kinds, k)) * cfg.window.Seconds())
	}
	res := result{
		plainRPS:      rate(c.Plain, plainKind),
		tracedRPS:     rate(c.Traced, tracedKind),
		pairRatios:    pairRatios(c.Windows, kinds, tracedKind, plainKind),
		traced:        c.Traced + c.WarmupTraced,
		tracedWindows: countKind(kinds, tracedKind),
		lost:          benchstat.LostSpans(stderr.String()),
	}
	if cfg.spans {
		res.propRPS = rate(c.Prop, propKind)
		res.overPropagation = pairRatios(c.Windows, kinds, tracedKind, propKind)
	}
	return res, nil
}

// k6Command is `k6 run` of the script with the variables every mode
// passes, then args; with spans, the exporter's environment too.
func k6Command(ctx context.Context, cfg config, baseURL string, args ...string) *exec.Cmd {
	spans := "0"
	if cfg.spans {
		spans = "1"
	}
	all := append([]string{"run", "--quiet", "--no-color", "--no-usage-report",
		"-e", "BASE_URL=" + baseURL,
		"-e", "VUS=" + strconv.Itoa(cfg.vus),
		"-e", "SPANS=" + spans}, args...)
	cmd := exec.CommandContext(ctx, cfg.k6, append(all, cfg.script)...)
	if len(cfg.env) > 0 {
		cmd.Env = append(os.Environ(), cfg.env...)
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// parseSummary finds the JSON line bench.js's handleSummary writes among
// whatever else k6 printed on stdout; the last such line wins.
func parseSummary(out []byte) (counts, error) {
	var (
		found counts
		ok    bool
	)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var raw map[string]json.RawMessage
		if json.Unmarshal([]byte(line), &raw) != nil {
			continue
		}
		if _, hasPlain := raw["plain"]; !hasPlain {
			continue
		}
		if _, hasTraced := raw["traced"]; !hasTraced {
			continue
		}
		var c counts
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return counts{}, fmt.Errorf("summary line %q: %w", line, err)
		}
		if c.Plain < 0 || c.Traced < 0 {
			return counts{}, fmt.Errorf("summary line %q: negative count", line)
		}
		found, ok = c, true
	}
	if err := sc.Err(); err != nil {
		return counts{}, fmt.Errorf("reading k6 output: %w", err)
	}
	if !ok {
		return counts{}, fmt.Errorf(`no summary line {"plain":N,"traced":N} in k6's output %q`, benchstat.Clip(out))
	}
	return found, nil
}

// k6Duration writes d in whole milliseconds, which k6 and bench.js accept.
func k6Duration(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}
