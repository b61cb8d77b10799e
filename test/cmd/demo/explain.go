package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/xk6-tracing/xk6-tracing/test/support/checkout"
	"github.com/xk6-tracing/xk6-tracing/test/support/jaeger"
)

// explainScript is the demo's last part: a checkout through three services,
// one of them slow on some requests and failing on others, explained from
// their traces in Jaeger.
const explainScript = "examples/explain.ts"

// runExplanation starts Jaeger and the checkout system (gateway, orders,
// payments, each with the OpenTelemetry Go SDK, exporting to Jaeger in
// its default 5 s batches), runs the explain example against them, and
// prints its summary: the facade's rendering of traceReport({ backend }).
// It fails when the explanation does not name payments' slow and failing
// operations, which the system makes slow and failing.
func runExplanation(stdout io.Writer, k6, jaegerPath string, timeout time.Duration) error {
	if _, err := os.Stat(jaegerPath); err != nil {
		return fmt.Errorf("%w (build it with: make jaeger)", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	dir, err := os.MkdirTemp("", "k6-demo-jaeger-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	j, err := jaeger.Start(jaegerPath, dir)
	if err != nil {
		return err
	}
	defer func() { _ = j.Close() }()
	otlp := strings.TrimSuffix(j.OTLPHTTP, "/v1/traces")
	sys, err := checkout.Start(ctx, otlp)
	if err != nil {
		return err
	}
	defer func() { _ = sys.Stop(context.Background()) }()

	fmt.Fprintf(stdout, "\ndemo: why are some checkouts slow, and why do some fail? k6 -> gateway %s -> orders -> payments,\n"+
		"      payments slow on 1 checkout in 5 and failing on another; every service's spans to Jaeger %s\n", sys.URL, j.Query)
	args := []string{"run", "--quiet", "--no-color", "-e", "BASE_URL=" + sys.URL, "-e", "JAEGER_URL=" + j.Query, explainScript}
	fmt.Fprintf(stdout, "demo: OTEL_EXPORTER_OTLP_ENDPOINT=%s %s %s\n\n", otlp, k6, strings.Join(args, " "))
	var out, logs bytes.Buffer
	cmd := exec.CommandContext(ctx, k6, args...)
	cmd.Stdout, cmd.Stderr = io.MultiWriter(stdout, &out), &logs
	cmd.Env = k6Env(os.Environ(), otlp)
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("k6 run failed: %w\n--- k6 stderr ---\n%s", err, logs.String())
	}
	for _, want := range []string{`payments "` + checkout.SpanCharge + `"`, `payments "` + checkout.SpanAuthorize + `": card declined`} {
		if !strings.Contains(out.String(), want) {
			return fmt.Errorf("the explanation does not name %s\n--- k6 stderr ---\n%s", want, logs.String())
		}
	}
	c := sys.Counts()
	fmt.Fprintf(stdout, "\ndemo: %d checkouts (%d ok, %d slow, %d failing); the explanation names payments' slow and failing operations\n",
		c[checkout.KindOK]+c[checkout.KindSlow]+c[checkout.KindFail], c[checkout.KindOK], c[checkout.KindSlow], c[checkout.KindFail])
	return nil
}
