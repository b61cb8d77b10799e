// Command bench is the end-to-end overhead benchmark behind `make bench`:
// it measures how many requests per second k6 sends with plain http.get
// and with http.get instrumented by k6/x/tracing, in one k6 run.
//
// It starts a minimal HTTP server on a free loopback port (200, a two-byte
// body, nothing recorded), runs test/bench/bench.js with the given k6
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
//	go run ./test/bench -k6 ./k6 [-window 1s] [-windows 40] [-vus 4] [-runs 1]
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
	"sort"
	"strconv"
	"strings"
	"time"
)

// defaultTarget is the lowest acceptable traced/plain ratio.
const defaultTarget = 0.97

// config is what one benchmark run needs.
type config struct {
	k6      string
	script  string
	window  time.Duration
	warmup  time.Duration
	windows int
	vus     int
}

// counts is the summary line bench.js prints: requests completed in the
// plain and in the traced windows.
type counts struct {
	Plain   int64   `json:"plain"`
	Traced  int64   `json:"traced"`
	Windows []int64 `json:"windows"` // per measured window, in order
}

// result is one run's rates, and the traced/plain ratio of each pair of
// adjacent windows (0-1, 2-3, ...; ABBA puts one of each kind in a pair).
type result struct {
	plainRPS, tracedRPS float64
	pairRatios          []float64
}

// ratio is the median of the pair ratios: a window slowed by something
// else on the machine (a GC cycle, a noisy neighbour) moves one pair, not
// the verdict. Without per-window counts it is the pooled ratio.
func (r result) ratio() float64 {
	if len(r.pairRatios) == 0 {
		return r.tracedRPS / r.plainRPS
	}
	return median(r.pairRatios)
}

// pairRatios returns traced/plain for each adjacent pair of windows.
func pairRatios(windows []int64) []float64 {
	var ratios []float64
	for i := 0; i+1 < len(windows); i += 2 {
		a, b := windows[i], windows[i+1]
		if isTracedWindow(i + 1) {
			a, b = b, a
		}
		if b > 0 {
			ratios = append(ratios, float64(a)/float64(b))
		}
	}
	return ratios
}

func main() {
	var (
		cfg    config
		runs   int
		target float64
	)
	flag.StringVar(&cfg.k6, "k6", "./k6", "k6 binary built with the extension")
	flag.StringVar(&cfg.script, "script", "test/bench/bench.js", "benchmark script")
	flag.DurationVar(&cfg.window, "window", time.Second, "length of one measured window")
	flag.DurationVar(&cfg.warmup, "warmup", 0, "unmeasured warm-up before the windows (0: one window)")
	flag.IntVar(&cfg.windows, "windows", 40, "measured windows per run, alternating ABBA; a multiple of 4 cancels linear drift")
	flag.IntVar(&cfg.vus, "vus", 4, "VUs in every window")
	flag.IntVar(&runs, "runs", 1, "k6 runs; with more than one, the median ratio is printed too")
	flag.Float64Var(&target, "target", defaultTarget, "lowest acceptable traced/plain ratio")
	flag.Parse()

	if err := run(cfg, runs, target, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
}

func run(cfg config, runs int, target float64, out io.Writer) error {
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
	case cfg.windows < 2:
		return errors.New("-windows must be at least 2, to have a plain and a traced window")
	case cfg.vus < 1:
		return errors.New("-vus must be at least 1")
	case runs < 1:
		return errors.New("-runs must be at least 1")
	}
	if _, err := os.Stat(cfg.script); err != nil {
		return fmt.Errorf("script: %w (run from the repository root, or pass -script)", err)
	}

	baseURL, stop, err := startServer()
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	defer stop()

	ratios := make([]float64, 0, runs)
	for i := 1; i <= runs; i++ {
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
		fmt.Fprintf(out, "%s %s\n", prefix, formatResult(res, target))
		ratios = append(ratios, res.ratio())
	}
	if runs > 1 {
		m := median(ratios)
		fmt.Fprintf(out, "bench: median ratio %.3f over %d runs (target >= %.2f)%s\n",
			m, runs, target, verdict(m, target))
	}
	return nil
}

// formatResult is the line printed for one run.
func formatResult(r result, target float64) string {
	return fmt.Sprintf("plain %.0f req/s, traced %.0f req/s, ratio %.3f (median of %d window pairs; pooled %.3f) (target >= %.2f)%s",
		r.plainRPS, r.tracedRPS, r.ratio(), len(r.pairRatios), r.tracedRPS/r.plainRPS, target, verdict(r.ratio(), target))
}

func verdict(ratio, target float64) string {
	// Compare what is printed, so that "0.970" never reads as a miss.
	if math.Round(ratio*1000) < math.Round(target*1000) {
		return " -- BELOW TARGET"
	}
	return ""
}

// startServer serves 200 with a tiny body on a free loopback port until
// stop is called.
func startServer() (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	body := []byte("ok")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			h["Content-Type"] = []string{"text/plain"}
			h["Content-Length"] = []string{"2"}
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
	}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// runOnce runs k6 once and turns its request counts into rates.
func runOnce(cfg config, baseURL string) (result, error) {
	measured := time.Duration(cfg.windows) * cfg.window
	// Bound the run: the scenarios' length plus generous room for k6 to
	// start, initialise the VUs and write the summary.
	ctx, cancel := context.WithTimeout(context.Background(), cfg.warmup+measured+2*time.Minute)
	defer cancel()

	cmd := exec.CommandContext(ctx, cfg.k6, "run", "--quiet", "--no-color", "--no-usage-report",
		"-e", "BASE_URL="+baseURL,
		"-e", "WINDOW="+k6Duration(cfg.window),
		"-e", "WARMUP="+k6Duration(cfg.warmup),
		"-e", "WINDOWS="+strconv.Itoa(cfg.windows),
		"-e", "VUS="+strconv.Itoa(cfg.vus),
		cfg.script)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		return result{}, fmt.Errorf("k6 did not finish within %s%s", cfg.warmup+measured+2*time.Minute, tail(&stderr))
	}
	if err != nil {
		return result{}, fmt.Errorf("%s: %w%s", cfg.k6, err, tail(&stderr))
	}
	c, err := parseSummary(stdout.Bytes())
	if err != nil {
		return result{}, fmt.Errorf("%w%s", err, tail(&stderr))
	}
	if c.Plain == 0 || c.Traced == 0 {
		return result{}, fmt.Errorf("no requests completed (plain %d, traced %d)%s", c.Plain, c.Traced, tail(&stderr))
	}
	plainWindows, tracedWindows := windowCounts(cfg.windows)
	if len(c.Windows) != cfg.windows {
		return result{}, fmt.Errorf("summary has %d window counts, want %d", len(c.Windows), cfg.windows)
	}
	return result{
		plainRPS:   float64(c.Plain) / (float64(plainWindows) * cfg.window.Seconds()),
		tracedRPS:  float64(c.Traced) / (float64(tracedWindows) * cfg.window.Seconds()),
		pairRatios: pairRatios(c.Windows),
	}, nil
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
		return counts{}, fmt.Errorf(`no summary line {"plain":N,"traced":N} in k6's output %q`, clip(out))
	}
	return found, nil
}

// windowCounts counts plain and traced windows with bench.js's ABBA rule.
func windowCounts(windows int) (plain, traced int) {
	for i := range windows {
		if isTracedWindow(i) {
			traced++
		} else {
			plain++
		}
	}
	return plain, traced
}

// isTracedWindow is bench.js's isTraced: plain, traced, traced, plain, ...
func isTracedWindow(i int) bool { return ((i+1)>>1)%2 == 1 }

// k6Duration writes d in whole milliseconds, which k6 and bench.js accept.
func k6Duration(d time.Duration) string {
	return strconv.FormatInt(d.Milliseconds(), 10) + "ms"
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func tail(b *bytes.Buffer) string {
	s := strings.TrimSpace(b.String())
	if s == "" {
		return ""
	}
	return "\nk6 stderr:\n" + string(clip([]byte(s)))
}

// clip keeps the end of long output, where k6 puts its errors.
func clip(b []byte) []byte {
	const limit = 4000
	if len(b) > limit {
		return append([]byte("..."), b[len(b)-limit:]...)
	}
	return b
}
