// Command benchgrpc is the gRPC counterpart of test/cmd/bench: what
// instrumentGRPC costs k6's gRPC unary calls (k6/net/grpc Client.invoke),
// against a local gRPC server (grpc-go's interop TestService with
// reflection; see server.go).
//
// Rate mode (the default) runs k6 once per run with bench.js, whose
// `plain` Client is made before instrumentGRPC({ propagator: "w3c" }) and
// so stays k6's own, and whose `traced` Client is made after it. The
// script alternates plain and traced windows of equal length in ABBA order
// (plain, traced, traced, plain, ...), each VU calling UnaryCall in a
// tight loop, so that drift in the machine's speed hits both sides alike.
// It prints both rates and the median traced/plain ratio of adjacent
// window pairs, with their min–max; over several runs, the median of the
// runs' ratios. Only calls answered OK count: at a window's end k6 cancels
// the iteration and invoke answers DeadlineExceeded rather than throwing.
// The server counts the calls with and without a traceparent, which must
// match the script's counts of traced and plain calls. (The script imports
// k6/net/grpc as a namespace: a default import read before instrumentGRPC
// keeps k6's own Client for good.)
//
// CPU mode (-cpu N) runs k6 once per side, with cpu.js: N measured calls
// after a warm-up, plain, traced, and (with -spans) traced with spans, in
// ABC order then CBA, -runs rounds. The server reads the CPU time of k6's
// threads (/proc/<pid>/task/*/schedstat: user and system, in ns) at the
// first and at the last measured call, so k6's start and end are not
// counted. It prints each side's CPU per call and the differences per
// round, with their min–max.
//
// With -spans the traced side is instrumentGRPC({ propagator: "w3c",
// spans: true }), exporting a CLIENT span per call over OTLP/HTTP to a
// local collector (test/support/otlpsink), whose count is compared with
// the traced calls.
//
//	go run ./test/cmd/benchgrpc -k6 ./k6 [-window 1s] [-windows 40] [-vus 4] [-runs 3] [-spans]
//	go run ./test/cmd/benchgrpc -k6 ./k6 -cpu 20000 [-runs 3] [-vus 4] [-spans]
//
// The exit status is non-zero only when the benchmark could not run (or
// measured the wrong thing: a plain call with a traceparent, a traced one
// without); a slow traced side is a figure, not an error.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/benchstat"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

//go:embed bench.js
var benchScript []byte

//go:embed cpu.js
var cpuScript []byte

type config struct {
	k6      string
	window  time.Duration
	windows int
	vus     int
	runs    int
	spans   bool
}

func main() {
	var (
		cfg config
		cpu int
	)
	flag.StringVar(&cfg.k6, "k6", "./k6", "k6 binary built with the extension")
	flag.DurationVar(&cfg.window, "window", time.Second, "rate mode: length of one measured window (at least 1s)")
	flag.IntVar(&cfg.windows, "windows", 40, "rate mode: measured windows per run, a multiple of 4 (ABBA)")
	flag.IntVar(&cfg.vus, "vus", 4, "VUs")
	flag.IntVar(&cfg.runs, "runs", 3, "k6 runs (rate mode), or rounds of one run per side (CPU mode)")
	flag.IntVar(&cpu, "cpu", 0, "CPU mode: k6's CPU per call over this many calls per side")
	flag.BoolVar(&cfg.spans, "spans", false, "the traced side exports spans to a local OTLP collector (in CPU mode, a third side)")
	flag.Parse()

	var err error
	if cpu > 0 {
		err = runCPU(cfg, cpu, os.Stdout)
	} else {
		err = runRate(cfg, os.Stdout)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchgrpc: %v\n", err)
		os.Exit(1)
	}
}

// bench is what both modes share for one invocation: a temporary
// directory for the script, the gRPC server and, with spans, the
// collector.
type bench struct {
	cfg    config
	dir    string
	server *server
	sink   *otlpsink.Sink
}

func newBench(cfg config, onCall func(int64)) (*bench, error) {
	switch {
	case cfg.vus < 1:
		return nil, errors.New("-vus must be at least 1")
	case cfg.runs < 1:
		return nil, errors.New("-runs must be at least 1")
	}
	if _, err := exec.LookPath(cfg.k6); err != nil {
		return nil, fmt.Errorf("-k6: %w", err)
	}
	b := &bench{cfg: cfg}
	var err error
	if b.dir, err = os.MkdirTemp("", "benchgrpc"); err != nil {
		return nil, err
	}
	if b.server, err = startServer(onCall); err != nil {
		b.close()
		return nil, fmt.Errorf("gRPC server: %w", err)
	}
	if cfg.spans {
		if b.sink, err = otlpsink.Start(otlpsink.Options{}); err != nil {
			b.close()
			return nil, fmt.Errorf("collector: %w", err)
		}
	}
	return b, nil
}

func (b *bench) close() {
	if b.sink != nil {
		_ = b.sink.Close()
	}
	if b.server != nil {
		b.server.stop()
	}
	_ = os.RemoveAll(b.dir)
}

// k6 is `k6 run` of script (written to the temporary directory) with the
// server's address and env as -e variables; with spans, the exporter's
// environment points at the collector.
func (b *bench) k6(ctx context.Context, name string, script []byte, env map[string]string) (*exec.Cmd, error) {
	path := filepath.Join(b.dir, name)
	if err := os.WriteFile(path, script, 0o600); err != nil {
		return nil, err
	}
	args := []string{"run", "--quiet", "--no-color", "--no-usage-report",
		"-e", "GRPC_ADDR=" + b.server.addr, "-e", "VUS=" + strconv.Itoa(b.cfg.vus)}
	for k, v := range env {
		args = append(args, "-e", k+"="+v)
	}
	cmd := exec.CommandContext(ctx, b.cfg.k6, append(args, path)...)
	cmd.Env = os.Environ()
	if b.sink != nil {
		cmd.Env = append(cmd.Env,
			"OTEL_EXPORTER_OTLP_ENDPOINT="+b.sink.Endpoint(),
			"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
			// Empty is unset for k6 and the SDK; set, these would win.
			"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=",
			"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=")
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd, nil
}

// summary is the JSON line bench.js's handleSummary prints: calls
// completed in the plain and the traced windows, per window with its kind,
// and in the warm-up.
type summary struct {
	Plain        int64    `json:"plain"`
	Traced       int64    `json:"traced"`
	WarmupPlain  int64    `json:"warmupPlain"`
	WarmupTraced int64    `json:"warmupTraced"`
	Windows      []int64  `json:"windows"`
	Kinds        []string `json:"kinds"`
}

// rateRun is one rate-mode run's figures.
type rateRun struct {
	plain, traced float64   // calls per second
	ratios        []float64 // traced/plain of each ABBA window pair
	check         string    // what the server and the collector saw
}

func runRate(cfg config, out io.Writer) error {
	cfg.window = cfg.window.Truncate(time.Millisecond)
	switch {
	case cfg.window < time.Second:
		return errors.New("-window must be at least 1s") // constant-vus refuses less
	case cfg.windows < 2:
		return errors.New("-windows must be at least 2")
	}
	b, err := newBench(cfg, nil)
	if err != nil {
		return err
	}
	defer b.close()

	side := `instrumentGRPC({ propagator: "w3c" })`
	if cfg.spans {
		side = `instrumentGRPC({ propagator: "w3c", spans: true }), spans to a local OTLP/HTTP collector`
	}
	fmt.Fprintf(out, "benchgrpc: calls per second, %d VUs, %d windows of %s in ABBA order, runs: %d; traced: %s\n",
		cfg.vus, cfg.windows, cfg.window, cfg.runs, side)
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tplain/s\ttraced/s\tratio\tpairs min\tpairs max\tpooled\t")
	var ratios []float64
	var checks []string
	for i := 1; i <= cfg.runs; i++ {
		r, err := b.rateOnce()
		if err != nil {
			return fmt.Errorf("run %d: %w", i, err)
		}
		m := benchstat.Median(r.ratios)
		ratios = append(ratios, m)
		fmt.Fprintf(tw, "%d\t%.0f\t%.0f\t%.3f\t%.3f\t%.3f\t%.3f\t\n",
			i, r.plain, r.traced, m, benchstat.Min(r.ratios), benchstat.Max(r.ratios), r.traced/r.plain)
		checks = append(checks, fmt.Sprintf("run %d: %s", i, r.check))
	}
	_ = tw.Flush()
	fmt.Fprintf(out, "benchgrpc: traced/plain: median %.3f (runs: %d, %.3f–%.3f); cost %.1f%% of the plain rate\n",
		benchstat.Median(ratios), len(ratios), benchstat.Min(ratios), benchstat.Max(ratios), 100*(1-benchstat.Median(ratios)))
	for _, c := range checks {
		fmt.Fprintln(out, "benchgrpc: check:", c)
	}
	return nil
}

// rateOnce runs bench.js once and turns its counts into rates.
func (b *bench) rateOnce() (rateRun, error) {
	cfg := b.cfg
	warmup := cfg.window
	limit := warmup + time.Duration(cfg.windows)*cfg.window + 2*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	ms := func(d time.Duration) string { return strconv.FormatInt(d.Milliseconds(), 10) }
	cmd, err := b.k6(ctx, "bench.js", benchScript, map[string]string{
		"WINDOW": ms(cfg.window), "WARMUP": ms(warmup), "WINDOWS": strconv.Itoa(cfg.windows),
		"SPANS": map[bool]string{true: "1", false: "0"}[cfg.spans],
	})
	if err != nil {
		return rateRun{}, err
	}
	calls0, traced0 := b.server.counts()
	spans0 := 0
	if b.sink != nil {
		spans0 = b.sink.Count()
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return rateRun{}, fmt.Errorf("k6 did not finish within %s%s", limit, benchstat.Tail(&stderr))
		}
		return rateRun{}, fmt.Errorf("%s: %w%s", cfg.k6, err, benchstat.Tail(&stderr))
	}
	s, err := parseSummary(stdout.Bytes())
	if err != nil {
		return rateRun{}, fmt.Errorf("%w%s", err, benchstat.Tail(&stderr))
	}
	if len(s.Windows) != cfg.windows || len(s.Kinds) != cfg.windows {
		return rateRun{}, fmt.Errorf("summary has %d window counts and %d kinds, want %d", len(s.Windows), len(s.Kinds), cfg.windows)
	}
	nPlain, nTraced := countKind(s.Kinds, "plain"), countKind(s.Kinds, "traced")
	if s.Plain == 0 || s.Traced == 0 || nPlain == 0 || nTraced == 0 {
		return rateRun{}, fmt.Errorf("no calls completed (plain %d, traced %d)%s", s.Plain, s.Traced, benchstat.Tail(&stderr))
	}

	// Every counted call reached the server, with a traceparent if and
	// only if it was traced.
	calls1, traced1 := b.server.counts()
	withTP, withoutTP := traced1-traced0, (calls1-calls0)-(traced1-traced0)
	if !within(withTP, s.Traced+s.WarmupTraced, int64(cfg.vus*(nTraced+1))) ||
		!within(withoutTP, s.Plain+s.WarmupPlain, int64(cfg.vus*(nPlain+1))) {
		return rateRun{}, fmt.Errorf("the server got %d calls with a traceparent and %d without, "+
			"the script counted %d traced and %d plain: the benchmark does not measure what it says",
			withTP, withoutTP, s.Traced+s.WarmupTraced, s.Plain+s.WarmupPlain)
	}
	check := fmt.Sprintf("the server got %d traced calls with a traceparent, %d plain without", withTP, withoutTP)
	if b.sink != nil {
		want := s.Traced + s.WarmupTraced
		_ = b.sink.WaitCount(spans0+int(want), 10*time.Second)
		got := int64(b.sink.Count() - spans0)
		// A call cut at a window's end exports its span too, as an error.
		check += fmt.Sprintf("; the collector got %d spans for %d traced calls that succeeded", got, want)
		if got < want {
			check += " -- SPANS MISSING"
		}
	}
	if lost := benchstat.LostSpans(stderr.String()); lost != "" {
		check += "; k6: " + lost
	}
	seconds := cfg.window.Seconds()
	return rateRun{
		plain:  float64(s.Plain) / (float64(nPlain) * seconds),
		traced: float64(s.Traced) / (float64(nTraced) * seconds),
		ratios: pairRatios(s.Windows, s.Kinds),
		check:  check,
	}, nil
}

// within says whether got, what the server or the collector saw, is the
// want the script counted, or up to maxCut more: a window's end can cut
// an iteration between its call and its count, one per VU and window.
func within(got, want, maxCut int64) bool {
	return got >= want && got <= want+maxCut
}

// parseSummary finds the JSON line of bench.js's handleSummary among
// whatever else k6 printed on stdout; the last such line wins.
func parseSummary(out []byte) (summary, error) {
	var (
		found summary
		ok    bool
	)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, `{"plain":`) {
			continue
		}
		var s summary
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			return summary{}, fmt.Errorf("summary line %q: %w", line, err)
		}
		if s.Plain < 0 || s.Traced < 0 || s.WarmupPlain < 0 || s.WarmupTraced < 0 {
			return summary{}, fmt.Errorf("summary line %q: negative count", line)
		}
		found, ok = s, true
	}
	if err := sc.Err(); err != nil {
		return summary{}, fmt.Errorf("reading k6 output: %w", err)
	}
	if !ok {
		return summary{}, fmt.Errorf(`no summary line {"plain":N,...} in k6's output %q`, benchstat.Clip(out))
	}
	return found, nil
}
