// Command benchbrowser measures what instrumentBrowser costs a k6 browser
// test: the load time of a page with 100 same-origin sub-resources, not
// instrumented and instrumented four ways, in one k6 run.
//
// It starts a loopback server serving the page (/page) and its
// sub-resources (/r/...: PNG and SVG images, scripts, stylesheets, and
// small JSON bodies the page's script fetches with fetch() as it starts),
// all with Cache-Control: no-store, so that the browser cache cannot favour
// a setup; -cache makes the sub-resources cacheable instead, to show what
// interception costs when the page would otherwise come from the cache
// (Chromium bypasses its cache for an intercepted page). It also starts an
// OTLP/HTTP sink for the setups with spans. It then runs
// test/cmd/benchbrowser/benchbrowser.js once with the given k6 binary; the
// script loads the page in a fresh page of one browser context, in rounds
// of the five setups (rotated each round):
//
//	plain   not instrumented
//	route   instrumentBrowser(page): page.route handled in Go
//	static  instrumentBrowser(page, { mode: "static" }): setExtraHTTPHeaders
//	fetch   instrumentBrowser(page, { mode: "fetch", spans }): the page's
//	        fetch() calls traced from inside the page, a span each
//	js      a JavaScript page.route handler that sets the same traceparent
//
// (-setups can add continue: a JavaScript page.route handler that
// continues every request unchanged, the cost of a route callback;
// nomatch: a route that matches nothing, so that k6 continues every request
// in Go, the cost of interception alone; and routespans: route mode with
// spans), and prints one console line per load, which this program reads.
// The server counts what each load sent (requests, traceparents, trace and
// span ids), to show that every setup did what it claims.
//
// It prints, per setup, the median and p90 load time (page.goto until the
// load event and the page's last fetch() answer, as k6 sees it), the
// browser's own median of the same, the ratio of the setup's median to the
// plain median, and three targets: route mode at most 1.15× plain, route
// mode faster than the JavaScript handler, and fetch mode at most 1.05×
// plain. A missed target is reported, not an error: the exit status is
// non-zero only when the benchmark could not run.
//
//	go run ./test/cmd/benchbrowser -k6 ./k6 [-rounds 16] [-warmup 2] [-cache] [-runs 1]
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
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/browserenv"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// defaultTarget is the highest acceptable route/plain ratio of medians.
const defaultTarget = 1.15

// linePrefix starts the console line benchbrowser.js prints per load.
const linePrefix = "BENCHBROWSER "

// fetchTarget is the highest acceptable fetch/plain ratio of medians.
const fetchTarget = 1.05

// defaultSetups are the setups run by default, in the order they are
// printed; -setups can add "continue", a JavaScript page.route handler that
// continues every request unchanged (the floor of route and js),
// "nomatch", a route that matches nothing (interception alone), and
// "routespans", route mode with spans.
var defaultSetups = []string{"plain", "route", "static", "fetch", "js"}

// extraSetups may be added with -setups.
var extraSetups = []string{"continue", "nomatch", "routespans"}

// setupTitle describes a setup in the table.
var setupTitle = map[string]string{
	"plain":  "not instrumented",
	"route":  "instrumentBrowser (route)",
	"static": "instrumentBrowser (static)",
	"fetch":  "instrumentBrowser (fetch, spans)",
	"js":     "JS page.route handler",
	// Not run by default.
	"continue":   "JS route.continue() only",
	"nomatch":    "interception, no callback",
	"routespans": "instrumentBrowser (route, spans)",
}

// config is what one benchmark run needs.
type config struct {
	k6      string
	script  string
	rounds  int
	warmup  int
	setups  []string
	cache   bool
	timeout time.Duration
	verbose bool
	// spansEndpoint is the sink's, for the setups with spans.
	spansEndpoint string
}

// load is one console line of benchbrowser.js: one page load.
type load struct {
	Setup  string  `json:"setup"`
	Round  int     `json:"round"`  // negative in the warm-up
	MS     float64 `json:"ms"`     // page.goto to the load event, in k6
	Nav    float64 `json:"nav"`    // navigation start to loadEventStart or the last fetch() answer, in the browser
	Prep   float64 `json:"prep"`   // newPage and instrumentation
	Res    int     `json:"res"`    // resource timing entries
	Wait   float64 `json:"wait"`   // median sub-resource startTime to requestStart
	Status int     `json:"status"` // the page's HTTP status
}

// setupResult is one setup's figures over the measured loads of one run.
type setupResult struct {
	setup     string
	loads     int
	median    float64
	p90       float64
	navMedian float64
	prep      float64 // median preparation time
	ratio     float64 // median / plain median; NaN without plain
	paired    float64 // median over rounds of load / plain load of the same round
	res       float64 // median resource entries per load
	wait      float64 // median of the loads' median sub-resource wait
	// From the server.
	requests     float64 // median requests per load
	tpShare      float64 // requests with a valid traceparent / requests
	spans        float64 // median distinct span ids per load
	traces       float64 // median distinct trace ids per load
	invalid      int     // requests with an invalid traceparent
	statusNot200 int
}

func main() {
	var (
		cfg    config
		runs   int
		target float64
		setups string
	)
	flag.StringVar(&cfg.k6, "k6", "./k6", "k6 binary built with the extension")
	flag.StringVar(&cfg.script, "script", "test/cmd/benchbrowser/benchbrowser.js", "benchmark script")
	flag.IntVar(&cfg.rounds, "rounds", 16,
		"measured rounds; a round loads the page once per setup; a multiple of the number of setups puts each setup in each place of the rotation equally often")
	flag.IntVar(&cfg.warmup, "warmup", 2, "unmeasured warm-up rounds first")
	flag.StringVar(&setups, "setups", strings.Join(defaultSetups, ","),
		"setups to run, comma-separated, printed in this order; \"continue\" (a route callback that only continues), \"nomatch\" (interception alone) and \"routespans\" (route mode with spans) may be added")
	flag.BoolVar(&cfg.cache, "cache", false, "make the sub-resources cacheable (max-age=3600) instead of no-store")
	flag.DurationVar(&cfg.timeout, "timeout", 0, "bound of one k6 run (0: from the number of loads)")
	flag.BoolVar(&cfg.verbose, "v", false, "print k6's output too")
	flag.IntVar(&runs, "runs", 1, "k6 runs; with more than one, the median ratios are printed too")
	flag.Float64Var(&target, "target", defaultTarget, "highest acceptable route/plain ratio of medians")
	flag.Parse()

	var err error
	if cfg.setups, err = parseSetups(setups); err == nil {
		err = run(cfg, runs, target, os.Stdout)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchbrowser: %v\n", err)
		os.Exit(1)
	}
}

// parseSetups checks a comma-separated list of setups.
func parseSetups(s string) ([]string, error) {
	var out []string
	for _, x := range strings.Split(s, ",") {
		x = strings.TrimSpace(x)
		if x == "" {
			continue
		}
		if _, ok := setupTitle[x]; !ok {
			return nil, fmt.Errorf("-setups: unknown setup %q; allowed: %s", x, strings.Join(slices.Concat(defaultSetups, extraSetups), ", "))
		}
		for _, y := range out {
			if x == y {
				return nil, fmt.Errorf("-setups: %q twice", x)
			}
		}
		out = append(out, x)
	}
	if len(out) == 0 {
		return nil, errors.New("-setups: no setup")
	}
	return out, nil
}

func run(cfg config, runs int, target float64, out io.Writer) error {
	switch {
	case cfg.rounds < 1:
		return errors.New("-rounds must be at least 1")
	case cfg.warmup < 0:
		return errors.New("-warmup must not be negative")
	case runs < 1:
		return errors.New("-runs must be at least 1")
	}
	if cfg.timeout == 0 {
		// Generous: a load takes well under a second here, but a
		// stalled browser should not hang the benchmark for long.
		loads := (cfg.rounds + cfg.warmup) * len(cfg.setups)
		cfg.timeout = time.Minute + time.Duration(loads)*4*time.Second
	}
	if cfg.timeout < time.Minute {
		return errors.New("-timeout must be at least 1m")
	}
	if _, err := os.Stat(cfg.script); err != nil {
		return fmt.Errorf("script: %w (run from the repository root, or pass -script)", err)
	}
	env, err := browserenv.Env()
	if err != nil {
		return err
	}

	s := newSite(cfg.cache)
	tr := newTracker()
	baseURL, stop, err := startServer(s, tr)
	if err != nil {
		return fmt.Errorf("server: %w", err)
	}
	defer stop()
	sink, err := otlpsink.Start(otlpsink.Options{})
	if err != nil {
		return fmt.Errorf("span sink: %w", err)
	}
	defer sink.Close()
	cfg.spansEndpoint = sink.Endpoint()

	variant := "sub-resources Cache-Control: no-store"
	if cfg.cache {
		variant = "sub-resources cacheable (" + s.subCache + "), page no-store"
	}
	fmt.Fprintf(out, "benchbrowser: %d measured rounds after %d warm-up, 1 VU, a fresh page per load, %d sub-resources, %s\n",
		cfg.rounds, cfg.warmup, numResources, variant)

	var routeRatios, routeJS []float64
	for i := 1; i <= runs; i++ {
		tr.reset()
		started, loadBefore := time.Now(), loadAverage()
		spansBefore := sink.Count()
		loads, err := runOnce(cfg, env, baseURL, out)
		if err != nil {
			if runs > 1 {
				return fmt.Errorf("run %d: %w", i, err)
			}
			return err
		}
		results := summarize(loads, tr.snapshot(), cfg.setups)
		took := time.Since(started).Round(time.Second)
		// The machine may be shared: its load says how far to trust the run.
		fmt.Fprintf(out, "\nrun %d/%d: k6 took %s; 1-minute load average %s before, %s after\n",
			i, runs, took, loadBefore, loadAverage())
		printTable(out, results)
		fmt.Fprintf(out, "spans received by the sink: %d\n", sink.Count()-spansBefore)
		printChecks(out, results, cfg.cache)
		rr, rj := printTargets(out, results, target)
		if !math.IsNaN(rr) {
			routeRatios = append(routeRatios, rr)
		}
		if !math.IsNaN(rj) {
			routeJS = append(routeJS, rj)
		}
	}
	if runs > 1 {
		fmt.Fprintf(out, "\nover %d runs:\n", runs)
		if len(routeRatios) > 0 {
			m := median(routeRatios)
			fmt.Fprintf(out, "median route/plain %.3f (runs: %s), target <= %.2f: %s\n",
				m, joinFloats(routeRatios), target, metOrMissed(ratioMet(m, target)))
		}
		if len(routeJS) > 0 {
			m := median(routeJS)
			fmt.Fprintf(out, "median route/js %.3f (runs: %s), target < 1: %s\n",
				m, joinFloats(routeJS), metOrMissed(m < 1))
		}
	}
	return nil
}

// runOnce runs k6 once and returns the loads it printed.
func runOnce(cfg config, env []string, baseURL string, out io.Writer) ([]load, error) {
	dir, err := os.MkdirTemp("", "benchbrowser-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	console := filepath.Join(dir, "console.log")

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	// The script stops itself a little before the bound, so that k6 can
	// still close the browser and the loads done so far are reported.
	maxDuration := cfg.timeout - 20*time.Second
	cmd := exec.CommandContext(ctx, cfg.k6, "run", "--quiet", "--no-color", "--no-usage-report",
		"--log-format", "raw", "--console-output", console,
		"-e", "BASE_URL="+baseURL,
		"-e", "ROUNDS="+strconv.Itoa(cfg.rounds),
		"-e", "WARMUP_ROUNDS="+strconv.Itoa(cfg.warmup),
		"-e", "SETUPS="+strings.Join(cfg.setups, ","),
		"-e", "SPANS_ENDPOINT="+cfg.spansEndpoint,
		"-e", "MAX_DURATION="+strconv.FormatInt(maxDuration.Milliseconds(), 10)+"ms",
		cfg.script)
	cmd.Env = append(os.Environ(), env...)
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	err = cmd.Run()
	if cfg.verbose {
		_, _ = out.Write(stdout.Bytes())
		_, _ = out.Write(stderr.Bytes())
	}
	if ctx.Err() != nil {
		return nil, fmt.Errorf("k6 did not finish within %s%s", cfg.timeout, tail("k6 stderr", stderr.Bytes()))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w%s", cfg.k6, err, tail("k6 stderr", stderr.Bytes()))
	}
	f, err := os.Open(console)
	if err != nil {
		return nil, fmt.Errorf("k6 console output: %w%s", err, tail("k6 stderr", stderr.Bytes()))
	}
	defer f.Close()
	loads, err := parseLoads(f)
	if err != nil {
		return nil, err
	}
	measured := 0
	for _, l := range loads {
		if l.Round >= 0 {
			measured++
		}
	}
	if want := cfg.rounds * len(cfg.setups); measured != want {
		return nil, fmt.Errorf("k6 reported %d measured loads, want %d%s", measured, want, tail("k6 stderr", stderr.Bytes()))
	}
	return loads, nil
}

// parseLoads reads the lines benchbrowser.js prints, "BENCHBROWSER {json}",
// either raw (--log-format raw) or as the msg of a logfmt line; other lines
// are skipped.
func parseLoads(r io.Reader) ([]load, error) {
	var loads []load
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, `msg="`); i >= 0 && !strings.HasPrefix(line, linePrefix) {
			q, err := strconv.QuotedPrefix(line[i+len("msg="):])
			if err != nil {
				continue
			}
			if line, err = strconv.Unquote(q); err != nil {
				continue
			}
		}
		rest, ok := strings.CutPrefix(line, linePrefix)
		if !ok {
			continue
		}
		var l load
		dec := json.NewDecoder(strings.NewReader(rest))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return nil, fmt.Errorf("load line %q: %w", line, err)
		}
		if _, ok := setupTitle[l.Setup]; !ok {
			return nil, fmt.Errorf("load line %q: unknown setup %q", line, l.Setup)
		}
		if l.MS < 0 || math.IsNaN(l.MS) {
			return nil, fmt.Errorf("load line %q: negative load time", line)
		}
		loads = append(loads, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading k6 console output: %w", err)
	}
	if len(loads) == 0 {
		return nil, errors.New("no " + strings.TrimSpace(linePrefix) + " lines in k6's console output")
	}
	return loads, nil
}

// summarize computes every setup's figures from the measured loads (round
// >= 0) and the server's per-load counts.
func summarize(loads []load, server map[loadKey]loadCounts, setups []string) []setupResult {
	plainByRound := map[int]float64{}
	for _, l := range loads {
		if l.Setup == "plain" && l.Round >= 0 {
			plainByRound[l.Round] = l.MS
		}
	}
	results := make([]setupResult, 0, len(setups))
	for _, s := range setups {
		var pairs []float64
		var ms, nav, prep, res, wait, reqs, spans, traces []float64
		r := setupResult{setup: s}
		var requests, tp int
		for _, l := range loads {
			if l.Setup != s || l.Round < 0 {
				continue
			}
			r.loads++
			ms = append(ms, l.MS)
			if p, ok := plainByRound[l.Round]; ok && p > 0 {
				pairs = append(pairs, l.MS/p)
			}
			nav = append(nav, l.Nav)
			prep = append(prep, l.Prep)
			res = append(res, float64(l.Res))
			wait = append(wait, l.Wait)
			if l.Status != 200 {
				r.statusNot200++
			}
			c := server[loadKey{setup: s, round: l.Round}]
			reqs = append(reqs, float64(c.requests))
			spans = append(spans, float64(c.spans))
			traces = append(traces, float64(c.traces))
			requests += c.requests
			tp += c.traceparent
			r.invalid += c.invalid
		}
		// NaN when the setup has no measured loads.
		r.median, r.p90, r.paired = median(ms), percentile(ms, 0.9), median(pairs)
		r.navMedian, r.prep, r.res, r.wait = median(nav), median(prep), median(res), median(wait)
		r.requests, r.spans, r.traces = median(reqs), median(spans), median(traces)
		if requests > 0 {
			r.tpShare = float64(tp) / float64(requests)
		}
		results = append(results, r)
	}
	plain := math.NaN()
	for _, r := range results {
		if r.setup == "plain" && r.loads > 0 {
			plain = r.median
		}
	}
	for i := range results {
		results[i].ratio = ratio(results[i].median, plain)
	}
	return results
}

// loadAverage is the machine's 1-minute load average, "?" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// ratio is a/b, NaN when b is missing or zero.
func ratio(a, b float64) float64 {
	if math.IsNaN(b) || b == 0 {
		return math.NaN()
	}
	return a / b
}

func printTable(out io.Writer, results []setupResult) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "setup\tloads\tmedian\tp90\tratio\tpaired\tbrowser nav→load\tsub-resource wait\tprep\tresources\trequests/load\ttraceparent\tspan ids/load\t")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%d\t%.0f ms\t%.0f ms\t%s\t%s\t%.0f ms\t%.0f ms\t%.0f ms\t%.0f\t%.0f\t%.0f%%\t%.0f\t\n",
			setupTitle[r.setup], r.loads, r.median, r.p90, fmtRatio(r.ratio), fmtRatio(r.paired), r.navMedian, r.wait, r.prep, r.res,
			r.requests, 100*r.tpShare, r.spans)
	}
	_ = tw.Flush()
	fmt.Fprintln(out, "(median, p90: page.goto to the load event and the page's last fetch() answer, as k6 sees it; ratio: median / not-instrumented median;")
	fmt.Fprintln(out, " paired: median over rounds of the load / the not-instrumented load of the same round;")
	fmt.Fprintln(out, " browser nav→load: the page's own navigation start to loadEventStart or the last fetch() answer, the later;")
	fmt.Fprintln(out, " sub-resource wait: median of startTime to requestStart (connection queueing, interception); prep: newPage + instrumentation, not timed;")
	fmt.Fprintln(out, " requests, traceparent, span ids: what the server received per load)")
}

// printChecks reports setups that did not do what they claim: these make
// the figures meaningless, but are reported rather than fatal.
func printChecks(out io.Writer, results []setupResult, cacheable bool) {
	var problems []string
	for _, r := range results {
		name := setupTitle[r.setup]
		if r.statusNot200 > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d loads without status 200", name, r.statusNot200))
		}
		if r.res < numResources {
			problems = append(problems, fmt.Sprintf("%s: the page loaded %.0f of %d sub-resources", name, r.res, numResources))
		}
		if r.invalid > 0 {
			problems = append(problems, fmt.Sprintf("%s: %d invalid traceparent headers", name, r.invalid))
		}
		switch r.setup {
		case "plain", "continue", "nomatch":
			if r.tpShare > 0 {
				problems = append(problems, name+": requests carried a traceparent")
			}
		case "fetch":
			// Only the fetch() calls, each with a span of its own.
			if !cacheable && math.Abs(r.tpShare*r.requests-numData) > 0.5 {
				problems = append(problems, fmt.Sprintf("%s: %.0f requests per load carried a traceparent, want the %d fetch() calls",
					name, r.tpShare*r.requests, numData))
			}
			if r.spans != numData {
				problems = append(problems, fmt.Sprintf("%s: %.0f span ids per load, want %d", name, r.spans, numData))
			}
			if r.traces != 1 {
				problems = append(problems, fmt.Sprintf("%s: %.0f trace ids per load, want 1", name, r.traces))
			}
		default:
			if r.tpShare < 1 {
				problems = append(problems, fmt.Sprintf("%s: only %.1f%% of requests carried a traceparent", name, 100*r.tpShare))
			}
			if r.traces != 1 {
				problems = append(problems, fmt.Sprintf("%s: %.0f trace ids per load, want 1", name, r.traces))
			}
		}
		switch r.setup {
		case "route", "js", "routespans":
			if r.spans != r.requests {
				problems = append(problems, fmt.Sprintf("%s: %.0f span ids for %.0f requests per load, want one each", name, r.spans, r.requests))
			}
		case "static":
			if r.spans != 1 {
				problems = append(problems, fmt.Sprintf("%s: %.0f span ids per load, want 1", name, r.spans))
			}
		}
		if !cacheable && r.requests != numResources+1 {
			problems = append(problems, fmt.Sprintf("%s: the server saw %.0f requests per load, want %d", name, r.requests, numResources+1))
		}
	}
	if len(problems) == 0 {
		fmt.Fprintln(out, "checks: every load got its page and sub-resources; traceparents as each setup promises")
		return
	}
	for _, p := range problems {
		fmt.Fprintf(out, "CHECK FAILED: %s\n", p)
	}
}

// printTargets prints the two target lines and returns route/plain and
// route/js (NaN when a setup was not run).
func printTargets(out io.Writer, results []setupResult, target float64) (routePlain, routeJS float64) {
	byName := map[string]setupResult{}
	for _, r := range results {
		if r.loads > 0 {
			byName[r.setup] = r
		}
	}
	route, okRoute := byName["route"]
	plain, okPlain := byName["plain"]
	js, okJS := byName["js"]
	routePlain, routeJS = math.NaN(), math.NaN()
	if okRoute && okPlain {
		routePlain = route.ratio
		fmt.Fprintf(out, "target route mode <= %.2f× not instrumented: %s× (%.0f ms vs %.0f ms): %s\n",
			target, fmtRatio(route.ratio), route.median, plain.median, metOrMissed(ratioMet(route.ratio, target)))
	} else {
		fmt.Fprintf(out, "target route mode <= %.2f× not instrumented: not measured (-setups)\n", target)
	}
	if okRoute && okJS {
		routeJS = ratio(route.median, js.median)
		fmt.Fprintf(out, "target route mode faster than the JS handler: %.0f ms vs %.0f ms (%s×): %s\n",
			route.median, js.median, fmtRatio(routeJS), metOrMissed(route.median < js.median))
	} else {
		fmt.Fprintln(out, "target route mode faster than the JS handler: not measured (-setups)")
	}
	if fetch, ok := byName["fetch"]; ok && okPlain {
		fmt.Fprintf(out, "target fetch mode with spans <= %.2f× not instrumented: %s× (%.0f ms vs %.0f ms): %s\n",
			fetchTarget, fmtRatio(fetch.ratio), fetch.median, plain.median, metOrMissed(ratioMet(fetch.ratio, fetchTarget)))
	} else {
		fmt.Fprintf(out, "target fetch mode with spans <= %.2f× not instrumented: not measured (-setups)\n", fetchTarget)
	}
	return routePlain, routeJS
}

// ratioMet compares what is printed, so that "1.150" never reads as a miss.
func ratioMet(r, target float64) bool {
	return !math.IsNaN(r) && math.Round(r*1000) <= math.Round(target*1000)
}

func metOrMissed(ok bool) string {
	if ok {
		return "target met"
	}
	return "target missed"
}

func fmtRatio(r float64) string {
	if math.IsNaN(r) {
		return "-"
	}
	return strconv.FormatFloat(r, 'f', 3, 64)
}

func joinFloats(xs []float64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.FormatFloat(x, 'f', 3, 64)
	}
	return strings.Join(s, ", ")
}

func median(xs []float64) float64 { return percentile(xs, 0.5) }

// percentile interpolates linearly between the closest ranks, as k6's
// Trend does; NaN for no values.
func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if p <= 0 {
		return s[0]
	}
	if p >= 1 {
		return s[len(s)-1]
	}
	i := p * float64(len(s)-1)
	lo := int(i)
	if lo+1 >= len(s) {
		return s[lo]
	}
	return s[lo] + (s[lo+1]-s[lo])*(i-float64(lo))
}

// tail is the end of long output, where k6 puts its errors.
func tail(name string, b []byte) string {
	s := strings.TrimSpace(string(b))
	if s == "" {
		return ""
	}
	const limit = 4000
	if len(s) > limit {
		s = "..." + s[len(s)-limit:]
	}
	return "\n" + name + ":\n" + s
}
