package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/browserenv"
)

// browserScript is the browser journey: one page of the frontend's shop,
// with instrumentBrowser's spans.
const browserScript = "examples/browser-spans.ts"

// pageSpanName is the name of instrumentBrowser's page span.
const pageSpanName = "browser page"

// browserEnv is k6's environment for Chromium, or why there is none.
var browserEnv = browserenv.Env

// errNoChromium says the journey could not run here; the demo still
// passes, having said how to get Chromium.
var errNoChromium = errors.New("no Chromium")

// runBrowserJourney runs the browser journey against a stack of its own
// and draws its trace: the page, the browser's requests, the frontend,
// the backend. Without Chromium it says how to get it and returns
// errNoChromium.
func runBrowserJourney(stdout io.Writer, color bool, k6 string, timeout time.Duration) error {
	env, err := browserEnv()
	if err != nil {
		fmt.Fprintf(stdout, "\ndemo: the browser journey is skipped: %v.\n"+
			"      As root, `make chromium` installs Debian's chromium package (or: apt-get install chromium);\n"+
			"      or point K6_BROWSER_EXECUTABLE_PATH at a Chromium or Chrome binary, then run `make demo` again.\n", err)
		return errNoChromium
	}
	return withStack(timeout, func(ctx context.Context, st *stack) error {
		fmt.Fprintf(stdout, "\ndemo: a browser journey: Chromium loads the frontend's shop page, whose script calls its API\n")
		if _, _, err := runK6(ctx, stdout, k6, browserScript, st.frontend.URL, st.sink.Endpoint(), env...); err != nil {
			return err
		}
		if err := st.stop(ctx); err != nil {
			return err
		}
		return drawBrowserTrace(stdout, color, buildTraces(st.sink.Spans()))
	})
}

// drawBrowserTrace draws the journey's trace and checks its shape.
func drawBrowserTrace(stdout io.Writer, color bool, traces []*traceTree) error {
	fmt.Fprint(stdout, "demo: the page's trace, as the OTLP sink received its spans:\n\n")
	renderWaterfall(stdout, traces, color)
	fmt.Fprintln(stdout)
	if problems := verifyBrowserTrace(traces); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(os.Stderr, "demo: mismatch:", p)
		}
		return fmt.Errorf("%d mismatch(es) in the browser journey's trace", len(problems))
	}
	fmt.Fprintln(stdout, "demo: the page, its requests, the frontend and the backend are one trace")
	return nil
}

// verifyBrowserTrace checks the journey's one trace: the page span at its
// root; under it a span for each request the page made, each that carried
// its own headers the parent of the frontend's SERVER span; the API
// call's frontend span calls the backend.
func verifyBrowserTrace(traces []*traceTree) []string {
	if len(traces) != 1 {
		return []string{fmt.Sprintf("%s, want the page's one", plural(len(traces), "trace"))}
	}
	t := traces[0]
	var problems []string
	if len(t.Roots) != 1 || t.Roots[0].Name != pageSpanName || t.Roots[0].Service != k6Service {
		return []string{fmt.Sprintf("the trace's root is not k6's %q span", pageSpanName)}
	}
	page := t.Roots[0]
	paths := map[string]bool{}
	for _, req := range page.Children {
		path := pathOf(req.Attrs["url.full"])
		paths[path] = true
		if req.Attrs["k6.browser.propagated"] != "true" {
			continue
		}
		front := childOf(req, frontendService)
		if front == nil {
			problems = append(problems, fmt.Sprintf("%s %s: no frontend span under k6's", req.Name, path))
			continue
		}
		if path == shopAPIPath && childOf(childOf(front, frontendService), backendService) == nil &&
			childOf(front, backendService) == nil {
			problems = append(problems, "the API call's frontend span has no backend span under it")
		}
	}
	for path := range shopAssets {
		if !paths[path] {
			problems = append(problems, fmt.Sprintf("no span of the page's request for %s", path))
		}
	}
	if !paths[shopAPIPath] {
		problems = append(problems, "no span of the page's fetch() of "+shopAPIPath)
	}
	return problems
}

// childOf returns n's first child of service, nil for none (or n nil).
func childOf(n *spanNode, service string) *spanNode {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Service == service {
			return c
		}
	}
	return nil
}

// pathOf returns the path of an absolute URL, the URL itself otherwise.
func pathOf(rawURL string) string {
	_, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return rawURL
	}
	i := strings.IndexByte(rest, '/')
	if i < 0 {
		return "/"
	}
	path, _, _ := strings.Cut(rest[i:], "?")
	return path
}
