// Command demo shows k6 requests as distributed traces across three hops:
// k6 with the k6/x/tracing extension, a "frontend" service that continues
// each trace, and a "backend" service that receives it. It is the program
// behind `make demo`:
//
//	go run ./test/cmd/demo -k6 ./k6 -script examples/spans.ts
//
// It starts an OTLP/HTTP trace sink and both services on 127.0.0.1, the
// services instrumented with the OpenTelemetry Go SDK and exporting to the
// sink, and runs the script against the frontend with k6's
// OTEL_EXPORTER_OTLP_ENDPOINT set to the sink as well. Then it prints
//
//   - one table row per hop: the trace_id metadata of k6's http_reqs
//     samples (from --out json), the headers the script logged (from k6's
//     JSON console log on stderr) and the headers each service received;
//   - each trace the sink reassembled from the spans of k6 and of both
//     services, as a waterfall;
//   - then, with Chromium, a browser journey (browser.go): the frontend's
//     shop page loaded by examples/browser-spans.ts, and its trace: the
//     page, its requests, the frontend, the backend;
//   - last, the explanation of slow and failed requests (explain.go):
//     examples/explain.ts loads a checkout through three services
//     exporting to a real Jaeger, payments slow on some requests and
//     failing on others, and prints what traceReport({ backend }) read
//     back: the operation the slow requests waited for, and where the
//     failures began;
//
// and exits non-zero with a message when any hop disagrees, about the
// trace in the headers or about the shape of the trace in the spans.
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
	"slices"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

func main() {
	k6 := flag.String("k6", "./k6", "the k6 binary built with this extension")
	script := flag.String("script", "examples/spans.ts", "the k6 script; it must read __ENV.BASE_URL")
	timeout := flag.Duration("timeout", 90*time.Second, "how long k6 may run")
	withBrowser := flag.Bool("browser", true, "run the browser journey ("+browserScript+") after the script")
	withExplain := flag.Bool("explain", true, "explain a checkout's slow and failed requests ("+explainScript+") last")
	jaegerPath := flag.String("jaeger", "", "the Jaeger v2 binary for the explanation (make jaeger builds it into build/)")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	color := useColor(os.Stdout)
	err := run(os.Stdout, color, *k6, *script, *timeout)
	if err == nil && *withBrowser {
		if err = runBrowserJourney(os.Stdout, color, *k6, *timeout); errors.Is(err, errNoChromium) {
			err = nil // said how to get it; the HTTP part stands
		}
	}
	if err == nil && *withExplain {
		err = runExplanation(os.Stdout, *k6, *jaegerPath, *timeout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo: FAIL:", err)
		os.Exit(1)
	}
}

func run(stdout io.Writer, color bool, k6, script string, timeout time.Duration) error {
	k6, err := exec.LookPath(k6)
	if err != nil {
		return fmt.Errorf("%w (build it with: make build)", err)
	}
	return withStack(timeout, func(ctx context.Context, st *stack) error {
		fmt.Fprintf(stdout, "demo: k6 -> frontend %s -> backend %s, spans to the OTLP sink %s\n",
			st.frontend.URL, st.backend.URL, st.sink.Endpoint())
		reqs, logs, err := runK6(ctx, stdout, k6, script, st.frontend.URL, st.sink.Endpoint())
		if err != nil {
			return err
		}
		// k6 flushed its spans before exiting; the services flush theirs here.
		if err := st.stop(ctx); err != nil {
			return err
		}
		return report(stdout, color, reqs, parseConsole(bytes.NewReader(logs)), st)
	})
}

// report prints the header table and the waterfall, then every
// disagreement found in either, or the summary line when there is none.
func report(stdout io.Writer, color bool, reqs []k6Request, console []consoleHeader, st *stack) error {
	xs, problems := match(reqs, console, st.frontend.frontRecords(), st.backend.backRecords())
	fmt.Fprintln(stdout)
	printTable(stdout, xs)
	if len(reqs) == 0 {
		problems = append(problems, "k6 reported no http_reqs samples")
	}
	problems = append(problems, verify(xs)...)

	spans := st.sink.Spans()
	traces := buildTraces(spans)
	k6Spans := slices.ContainsFunc(spans, func(s otlpsink.Span) bool { return s.Service == k6Service })
	if !k6Spans {
		// The services' spans are still drawn and checked, to show what arrived.
		problems = append(problems, "k6 exported no spans: the script must call instrumentHTTP with spans: true")
	}
	fmt.Fprint(stdout, "demo: the traces, as the OTLP sink received their spans:\n\n")
	renderWaterfall(stdout, traces, color)
	fmt.Fprintln(stdout)
	if len(spans) == 0 {
		problems = append(problems, "the OTLP sink received no spans")
	}
	problems = append(problems, verifySpans(traces, k6Spans)...)
	problems = append(problems, crossCheck(xs, traces, k6Spans)...)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "demo: mismatch:", p)
		}
		return fmt.Errorf("%d mismatch(es) across %s and %s", len(problems), plural(len(reqs), "request"), plural(len(spans), "span"))
	}
	fmt.Fprintf(stdout, "demo: %s, %s, %s, every hop agrees\n",
		plural(len(reqs), "request"), plural(len(traces), "trace"), plural(len(spans), "span"))
	return nil
}
