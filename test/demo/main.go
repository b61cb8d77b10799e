// Command demo shows one trace crossing three hops: k6 with the
// k6/x/tracing extension, a "frontend" service that continues the trace, and
// a "backend" service that receives it. It is the program behind
// `make demo`:
//
//	go run ./test/demo -k6 ./k6 -script examples/quickstart.ts
//
// It starts both services on 127.0.0.1, runs the script against the
// frontend, reads the trace_id metadata of k6's http_reqs samples (from
// --out json) and the trace headers the script logged (from k6's JSON
// console log on stderr), prints one table row per hop, and exits non-zero
// with a message when any hop disagrees about the trace.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

func main() {
	k6 := flag.String("k6", "./k6", "the k6 binary built with this extension")
	script := flag.String("script", "examples/quickstart.ts", "the k6 script; it must read __ENV.BASE_URL")
	timeout := flag.Duration("timeout", 90*time.Second, "how long k6 may run")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(os.Stdout, *k6, *script, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "demo: FAIL:", err)
		os.Exit(1)
	}
}

func run(stdout io.Writer, k6, script string, timeout time.Duration) error {
	k6, err := exec.LookPath(k6)
	if err != nil {
		return fmt.Errorf("%w (build it with: make build)", err)
	}
	backend, err := startService(backendHandler)
	if err != nil {
		return fmt.Errorf("backend: %w", err)
	}
	defer func() { _ = backend.shutdown() }()
	frontend, err := startService(frontendHandler(backend.URL))
	if err != nil {
		return fmt.Errorf("frontend: %w", err)
	}
	defer func() { _ = frontend.shutdown() }()
	fmt.Fprintf(stdout, "demo: k6 -> frontend %s -> backend %s\n", frontend.URL, backend.URL)

	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	reqs, logs, err := runK6(ctx, stdout, k6, script, frontend.URL)
	if err != nil {
		return err
	}
	// Stop both services so that their records are complete and final.
	if err := errors.Join(frontend.shutdown(), backend.shutdown()); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}

	xs, problems := match(reqs, parseConsole(bytes.NewReader(logs)), frontend.frontRecords(), backend.backRecords())
	fmt.Fprintln(stdout)
	printTable(stdout, xs)
	if len(reqs) == 0 {
		problems = append(problems, "k6 reported no http_reqs samples")
	}
	problems = append(problems, verify(xs)...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "demo: mismatch:", p)
		}
		return fmt.Errorf("%d mismatch(es) across %d requests", len(problems), len(reqs))
	}
	traces := map[string]bool{}
	for _, r := range reqs {
		traces[r.TraceID] = true
	}
	fmt.Fprintf(stdout, "demo: %d requests, %d traces, every hop agrees\n", len(reqs), len(traces))
	return nil
}

// runK6 runs the script against baseURL and returns k6's http_reqs samples
// and its stderr (JSON log lines, console.log among them).
func runK6(ctx context.Context, stdout io.Writer, k6, script, baseURL string) ([]k6Request, []byte, error) {
	dir, err := os.MkdirTemp("", "k6-demo-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	outFile := filepath.Join(dir, "samples.json")
	args := []string{"run", "--quiet", "--no-color", "--log-format=json",
		"--out", "json=" + outFile, "-e", "BASE_URL=" + baseURL, script}
	fmt.Fprintf(stdout, "demo: %s %s\n", k6, strings.Join(args, " "))

	var summary, logs bytes.Buffer
	cmd := exec.CommandContext(ctx, k6, args...)
	cmd.Stdout, cmd.Stderr = &summary, &logs
	cmd.Env = append(os.Environ(), "K6_NO_USAGE_REPORT=true") // no phoning home from a demo
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return nil, nil, fmt.Errorf("k6 run failed: %w\n--- k6 stdout ---\n%s--- k6 stderr ---\n%s", err, summary.String(), logs.String())
	}
	f, err := os.Open(outFile)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	reqs, err := parseK6Output(f)
	return reqs, logs.Bytes(), err
}

// printTable writes one block per k6 request: the k6 row, then what the
// frontend and the backend received, then a legend of the k6 row labels.
func printTable(w io.Writer, xs []exchange) {
	rows := [][]string{{"WHO", "METHOD", "URL PATH", "TRACE ID", "SPAN ID", "SAMPLED"}}
	labels := map[string]bool{}
	for i, x := range xs {
		if i > 0 {
			rows = append(rows, nil) // a blank line between requests
		}
		k6Row := []string{"k6 (sent header)", x.K6.Method, x.K6.Path, orDash(x.K6.TraceID), "-", "-"}
		switch {
		case x.Console != nil && x.Console.Valid:
			k6Row[4], k6Row[5] = x.Console.Ctx.SpanID.String(), yesNo(x.Console.Ctx.Sampled)
		case x.Front != nil && x.Front.In.Valid:
			k6Row[0] = "k6 (metadata)"
			k6Row[4], k6Row[5] = x.Front.In.Ctx.SpanID.String(), yesNo(x.Front.In.Ctx.Sampled)
		default:
			k6Row[0] = "k6 (metadata)"
		}
		labels[k6Row[0]] = true
		rows = append(rows, k6Row)
		if x.Front != nil {
			rows = append(rows, hopRow("frontend", x.Front.Method, x.Front.Path, x.Front.In))
		} else {
			rows = append(rows, []string{"frontend (missing)", "-", "-", "-", "-", "-"})
		}
		if x.Back != nil {
			rows = append(rows, hopRow("backend", x.Back.Method, x.Back.Path, x.Back.In))
		} else {
			rows = append(rows, []string{"backend (missing)", "-", "-", "-", "-", "-"})
		}
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], len(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			if i < len(r)-1 {
				fmt.Fprintf(&b, "%-*s  ", widths[i], cell)
			} else {
				b.WriteString(cell)
			}
		}
		fmt.Fprintln(w, b.String())
	}
	fmt.Fprintln(w)
	if labels["k6 (sent header)"] {
		fmt.Fprintln(w, "k6 (sent header): trace id from the sample's trace_id metadata; span id and sampled from the header the script logged.")
	}
	if labels["k6 (metadata)"] {
		fmt.Fprintln(w, "k6 (metadata):    trace id from the sample's trace_id metadata; span id and sampled as the frontend received them.")
	}
	fmt.Fprintln(w, "frontend/backend: the context each service received; the backend's span id is the span the frontend created.")
	fmt.Fprintln(w)
}

// hopRow is a service's row: the context it received, labelled with the
// header it came in when that is not a valid traceparent.
func hopRow(who, method, path string, in received) []string {
	switch {
	case in.Header == "":
		return []string{who + " (no header)", method, path, "-", "-", "-"}
	case !in.Valid:
		return []string{who + " (bad " + in.Header + ")", method, path, "-", "-", "-"}
	case in.Header != propagation.TraceparentHeader:
		who += " (" + in.Header + ")"
	}
	return []string{who, method, path, in.Ctx.TraceID.String(), in.Ctx.SpanID.String(), yesNo(in.Ctx.Sampled)}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
