//go:build integration

package integration

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBenchDriver runs `make bench`'s driver (test/cmd/bench) on a few windows
// with the real k6, so that bench.js and the Go driver are checked to agree
// on every window's kind and the pairs taken: ABBA pairs traced with plain,
// and with spans ABCCBA also pairs traced with propagation only. With spans,
// the collector counts one span per traced request. The rates are not
// asserted: a smoke run on shared cores measures nothing.
func TestBenchDriver(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		args  []string
		lines []*regexp.Regexp
	}{
		{
			name: "propagation",
			args: []string{"-windows", "4"},
			lines: []*regexp.Regexp{
				regexp.MustCompile(`^bench: plain \d+ req/s, traced \d+ req/s, ratio \d\.\d{3} \(median of 2 window pairs; pooled \d\.\d{3}\)`),
			},
		},
		{
			// Windows 0-1 and 4-5 pair traced with plain, 1-2 and 3-4 traced
			// with propagation only.
			name: "spans",
			args: []string{"-spans", "-windows", "6", "-memory", "0"},
			lines: []*regexp.Regexp{
				regexp.MustCompile(`^bench: plain \d+ req/s, traced with spans \d+ req/s, ratio \d\.\d{3} \(median of 2 window pairs; pooled \d\.\d{3}\)`),
				regexp.MustCompile(`^bench: in the same run, propagation only \d+ req/s: with spans over propagation only, ratio \d\.\d{3} \(median of 2 window pairs; pooled \d\.\d{3}\)$`),
				regexp.MustCompile(`^bench: spans: the collector received \d+ for \d+ traced requests(, one span each| \(\+\d+: requests whose iteration a window's end cut before the script counted them, at most \d+\))$`),
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "go", append([]string{"run", "./test/cmd/bench", "-k6", *k6Path}, tt.args...)...)
			cmd.Dir = "../.."
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "%s", out)
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			require.Len(t, lines, len(tt.lines), "%s", out)
			for i, want := range tt.lines {
				require.Regexp(t, want, lines[i])
			}
		})
	}
}

// TestBenchBrowser runs `make bench`'s browser benchmark
// (test/cmd/benchbrowser) for three rounds with the real k6 and Chromium, so
// that every setup is checked to do what it claims (the server's counts of
// traceparents, trace and span ids per load, and the span sink's count)
// and every target is computed. The load times are not asserted.
func TestBenchBrowser(t *testing.T) {
	t.Parallel()
	env := browserEnv(t)
	chromiumSlots <- struct{}{}
	defer func() { <-chromiumSlots }()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// One warm-up round takes Chromium's one /favicon.ico request, which
	// the per-load request counts would otherwise see.
	cmd := exec.CommandContext(ctx, "go", "run", "./test/cmd/benchbrowser", "-k6", *k6Path, "-rounds", "2", "-warmup", "1")
	cmd.Dir = "../.."
	cmd.Env = append(cmd.Environ(), env...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	text := string(out)
	require.Contains(t, text, "checks: every load got its page and sub-resources; traceparents as each setup promises")
	require.NotContains(t, text, "CHECK FAILED")
	// The fetch setup's spans: the page span and one a request, for each
	// of its 3 loads (and the favicon's, when it came first).
	m := regexp.MustCompile(`spans received by the sink: (\d+)\n`).FindStringSubmatch(text)
	require.NotNil(t, m, text)
	spans, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	require.GreaterOrEqual(t, spans, 3*102, text)
	require.LessOrEqual(t, spans, 3*102+1, text)
	for _, target := range []string{"route mode <= 1.15×", "route mode faster than the JS handler", "fetch mode with spans <= 1.05×"} {
		require.Regexp(t, `target `+regexp.QuoteMeta(target)+`[^\n]*: target (met|missed)\n`, text)
	}
}
