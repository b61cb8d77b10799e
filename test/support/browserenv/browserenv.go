// Package browserenv holds the k6 browser settings every test and benchmark
// that drives Chromium needs on this kind of machine, so that nobody has to
// remember them: Debian's Chromium, headless, no sandbox (the tests run as
// root, which Chromium's sandbox refuses) and no background networking
// (the machine's closed network refuses those connections, many at a time).
package browserenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// Flags are the Chromium flags the k6 browser module adds to its defaults.
var Flags = []string{
	"no-sandbox",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
	"disable-gpu",
	"disable-quic",
}

// candidates are the Chromium binaries looked for, Debian's first.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// ErrNoChromium is returned when no Chromium binary is found.
var ErrNoChromium = errors.New("no Chromium found: run `make chromium` (installs Debian's chromium as root)")

// Executable returns the path of the Chromium binary to use:
// K6_BROWSER_EXECUTABLE_PATH when set, else the first candidate found.
func Executable() (string, error) {
	if p := os.Getenv("K6_BROWSER_EXECUTABLE_PATH"); p != "" {
		return p, nil
	}
	for _, c := range candidates {
		if p, err := exec.LookPath(c); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// Env returns the environment variables, in KEY=value form, that make a
// `k6 run` of a browser script work here. They go after os.Environ(), so
// they win over the caller's, except K6_BROWSER_ARGS, whose flags are
// added to.
func Env() ([]string, error) {
	exe, err := Executable()
	if err != nil {
		return nil, err
	}
	args := Flags
	if extra := os.Getenv("K6_BROWSER_ARGS"); extra != "" {
		args = append(strings.Split(extra, ","), Flags...)
	}
	return []string{
		"K6_BROWSER_EXECUTABLE_PATH=" + exe,
		"K6_BROWSER_HEADLESS=true",
		"K6_BROWSER_ARGS=" + strings.Join(args, ","),
		fmt.Sprintf("K6_BROWSER_TIMEOUT=%s", "60s"),
	}, nil
}
