//go:build integration

// Package integration runs the real k6 binary, built with the extension, on
// scripts against a loopback recording server, and compares what the server
// received with what k6 reported through --out json. Build k6 first
// (make build); `make test` does both.
package integration

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/recorder"
)

var k6Path = flag.String("k6", "../../k6", "path to the k6 binary built with the extension")

func TestMain(m *testing.M) {
	flag.Parse()
	abs, err := filepath.Abs(*k6Path)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "integration tests need the k6 binary at %s (run `make build`): %v\n", *k6Path, err)
		os.Exit(1)
	}
	*k6Path = abs
	os.Exit(m.Run())
}

// result is one k6 run: its exit code, output and metric samples.
type result struct {
	exitCode int
	stdout   string
	stderr   string // k6's log messages, one a line
	samples  []sample
}

// sample is one "Point" line of k6's JSON output.
type sample struct {
	Metric string `json:"metric"`
	Type   string `json:"type"`
	Data   struct {
		Time     time.Time         `json:"time"`
		Value    float64           `json:"value"`
		Tags     map[string]string `json:"tags"`
		Metadata map[string]string `json:"metadata"`
	} `json:"data"`
}

// startServer starts a recording server that stops with the test.
func startServer(t *testing.T) *recorder.Server {
	t.Helper()
	s, err := recorder.Start()
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// runK6 runs `k6 run` on script with the given -e variables and extra
// process environment, bounded to two minutes.
func runK6(t *testing.T, script string, vars map[string]string, env ...string) result {
	t.Helper()
	return runK6WithArgs(t, nil, script, vars, env...)
}

// runK6WithArgs is runK6 with extra `k6 run` flags.
func runK6WithArgs(t *testing.T, flags []string, script string, vars map[string]string, env ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out := filepath.Join(t.TempDir(), "samples.json")
	args := []string{"run", "--quiet", "--no-color", "--log-format=json", "--out", "json=" + out}
	args = append(args, flags...)
	for k, v := range vars {
		args = append(args, "-e", k+"="+v)
	}
	args = append(args, script)
	cmd := exec.CommandContext(ctx, *k6Path, args...)
	cmd.Env = append(os.Environ(), append([]string{"K6_NO_USAGE_REPORT=true"}, env...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		require.NoError(t, err)
	}
	res := result{exitCode: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: logMessages(stderr.String())}
	res.samples = readSamples(t, out)
	return res
}

// logMessages turns k6's JSON log lines back into their plain messages, so
// that tests compare the text a user reads, not its escaped form.
func logMessages(stderr string) string {
	var b strings.Builder
	for _, line := range strings.Split(stderr, "\n") {
		var entry struct {
			Msg string `json:"msg"`
		}
		if json.Unmarshal([]byte(line), &entry) == nil && entry.Msg != "" {
			line = entry.Msg
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func readSamples(t *testing.T, path string) []sample {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // k6 stopped before it opened the output
	}
	require.NoError(t, err)
	defer f.Close()
	var samples []sample
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var s sample
		require.NoError(t, json.Unmarshal(sc.Bytes(), &s))
		if s.Type == "Point" {
			samples = append(samples, s)
		}
	}
	require.NoError(t, sc.Err())
	return samples
}

// requireSuccess fails the test with k6's output when k6 did not exit 0.
func requireSuccess(t *testing.T, r result) {
	t.Helper()
	require.Equal(t, 0, r.exitCode, "k6 failed:\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
}

// httpSamplesByURL groups the http_* samples by their url tag.
func httpSamplesByURL(samples []sample) map[string][]sample {
	out := map[string][]sample{}
	for _, s := range samples {
		if len(s.Metric) > 5 && s.Metric[:5] == "http_" {
			out[s.Data.Tags["url"]] = append(out[s.Data.Tags["url"]], s)
		}
	}
	return out
}
