//go:build integration

package integration

import (
	"context"
	"os/exec"
	"regexp"
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
