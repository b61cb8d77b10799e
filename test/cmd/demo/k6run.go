package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// runK6 runs the script against baseURL, its spans (if it exports any)
// going to otlpEndpoint, with extraEnv added to k6's environment, and returns k6's http_reqs samples and its stderr
// (JSON log lines, console.log among them). k6 exits after flushing its
// spans.
func runK6(ctx context.Context, stdout io.Writer, k6, script, baseURL, otlpEndpoint string, extraEnv ...string) ([]k6Request, []byte, error) {
	dir, err := os.MkdirTemp("", "k6-demo-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	outFile := filepath.Join(dir, "samples.json")
	args := []string{"run", "--quiet", "--no-color", "--log-format=json",
		"--out", "json=" + outFile, "-e", "BASE_URL=" + baseURL, script}
	fmt.Fprintf(stdout, "demo: OTEL_EXPORTER_OTLP_ENDPOINT=%s %s %s\n", otlpEndpoint, k6, strings.Join(args, " "))

	var summary, logs bytes.Buffer
	cmd := exec.CommandContext(ctx, k6, args...)
	cmd.Stdout, cmd.Stderr = &summary, &logs
	cmd.Env = append(k6Env(os.Environ(), otlpEndpoint), extraEnv...)
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

// k6Env is k6's environment: the caller's without any OTEL_* variable,
// which could send k6's spans to another endpoint, in another protocol or
// under another service name than the demo checks, plus the sink as the
// OTLP endpoint.
func k6Env(environ []string, otlpEndpoint string) []string {
	env := make([]string, 0, len(environ)+2)
	for _, kv := range environ {
		if !strings.HasPrefix(kv, "OTEL_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"K6_NO_USAGE_REPORT=true", // no phoning home from a demo
		"OTEL_EXPORTER_OTLP_ENDPOINT="+otlpEndpoint,
	)
}
