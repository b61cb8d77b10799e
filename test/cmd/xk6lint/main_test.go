package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// versionOutput is `k6 version` of ./k6 as `make build` makes it (go build
// of go/cmd/k6); xk6 builds print a module version after the path.
const (
	versionOutput = "k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n" +
		"  github.com/xk6-tracing/xk6-tracing/go/tracing , k6/x/tracing [js]\n" +
		"  github.com/xk6-tracing/xk6-tracing/go/tracing , k6/x/tracing/pyroscope [js]\n"
	xk6VersionOutput = "k6 v2.2.0 (go1.26.8, linux/amd64)\nExtensions:\n" +
		"  github.com/xk6-tracing/xk6-tracing/go/tracing v0.0.0-00010101000000-000000000000, k6/x/tracing [js]\n"
	module = "github.com/xk6-tracing/xk6-tracing"
)

// withVersion is a state whose `k6 version` output is out, so that the
// checkers that need no k6 run can be tested without one.
func withVersion(dir, out string) *state {
	s := newState(dir, "k6")
	s.version, s.verDone = []byte(out), true
	return s
}

// TestRepository runs the checkers that need no k6 run on this repository:
// `go test ./...` keeps it compliant between `make xk6lint` runs.
func TestRepository(t *testing.T) {
	t.Parallel()
	s := withVersion("../../..", versionOutput)
	for _, c := range checkers {
		if c.id == "smoke" {
			continue // runs k6: make xk6lint and the integration test TestSmoke
		}
		r := c.run(context.Background(), s)
		require.True(t, r.passed, "%s: %s", c.id, r.details)
	}
}

func TestExtensionTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, output, module string
		want                 []string
	}{
		{"go build of go/cmd/k6", versionOutput, module, []string{"js", "js"}},
		{"xk6 build with a module version", xk6VersionOutput, module, []string{"js"}},
		{"another module", versionOutput, "github.com/grafana/xk6-faker", nil},
		{"a dot of the path is not a wildcard", versionOutput, "github.com/xk6-tracing/xk6-tracingX", nil},
		{"no extensions", "k6 v2.2.0 (go1.26.8, linux/amd64)\n", module, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, extensionTypes([]byte(tt.output), tt.module))
		})
	}
}

func TestNotJavaScript(t *testing.T) {
	t.Parallel()
	s := withVersion("../../..", "k6 v2.2.0\nExtensions:\n  "+module+"/go/out v1.0.0, out [output]\n")
	for _, c := range []func(context.Context, *state) result{checkSmoke, checkExamples, checkTypes} {
		r := c(context.Background(), s)
		require.Equal(t, result{passed: true, details: "skipped due to non JavaScript extension"}, r)
	}
	r := checkBuild(context.Background(), withVersion("../../..", "k6 v2.2.0\n"))
	require.Equal(t, result{details: "extension for `" + module + "` not found in k6"}, r)
}

// extension makes an extension directory with a go.mod and files.
func extension(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module " + module + "\n\ngo 1.26.0\n" + files["go.mod"]
	for name, body := range files {
		path := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	}
	return dir
}

func TestFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		dirs  []string // empty directories
		check func(context.Context, *state) result
		want  string
	}{
		{"replace directive", map[string]string{"go.mod": "replace example.com/a => ../a\n"}, nil, checkReplace,
			"the `go.mod` file contains `replace` directive(s)"},
		{"README only in docs", map[string]string{"docs/README.md": "x"}, nil, checkReadme, "no README file found"},
		{"no LICENSE", map[string]string{"COPYING": "MIT"}, nil, checkLicense, "no root `LICENSE` file found"},
		{"unaccepted license", map[string]string{"LICENSE": "SPDX-License-Identifier: MPL-2.0\n"}, nil, checkLicense,
			"`LICENSE` is not an accepted license"},
		{"no examples", map[string]string{}, nil, checkExamples, "missing `examples` directory"},
		{"only directories in examples", map[string]string{}, []string{"examples/k6-operator"}, checkExamples,
			"no examples found in the `examples` directory"},
		{"index.d.ts only in types", map[string]string{"types/index.d.ts": ""}, nil, checkTypes, "no `index.d.ts` file found"},
		{"smoke test in a subdirectory of test", map[string]string{"test/smoke/smoke.test.js": ""}, nil, checkSmoke,
			"no smoke test file found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := extension(t, tt.files)
			for _, d := range tt.dirs {
				require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
			}
			r := tt.check(context.Background(), withVersion(dir, versionOutput))
			require.Equal(t, result{details: tt.want}, r)
		})
	}
}

func TestFindFileOrder(t *testing.T) {
	t.Parallel()
	dir := extension(t, map[string]string{
		"test/smoke.test.ts": "", "test/smoke.js": "", "examples/smoke.test.js": "",
	})
	_, name, err := findFile(reSmoke, dir, filepath.Join(dir, "test"), filepath.Join(dir, "examples"))
	require.NoError(t, err)
	require.Equal(t, "smoke.js", name, "the first directory with a match, its first entry by name")
	_, _, err = findFile(reSmoke, filepath.Join(dir, "missing"), dir)
	require.Error(t, err, "an unreadable root is an error")
}

func TestIdentifyLicense(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"MIT text", "Permission is hereby granted, free of charge, to any person obtaining a copy of this software", "MIT"},
		{"SPDX id wins over the text", "SPDX-License-Identifier: MIT\nApache License\nVersion 2.0", "MIT"},
		{"lower-case SPDX line", "spdx-license-identifier: apache-2.0", "Apache-2.0"},
		{"GPL-2.0 is not accepted", "GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991", ""},
		{"BSD-3-Clause", "Redistribution and use in source and binary forms ... Neither the name", "BSD-3-Clause"},
		{"unknown", "All rights reserved.", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tt.want, identifyLicense(tt.text))
		})
	}
	ours, err := os.ReadFile("../../../LICENSE")
	require.NoError(t, err)
	require.Equal(t, "Apache-2.0", identifyLicense(string(ours)), "Apache-2.0 with a BSD-3-Clause part for Go's code")
}

func TestOutput(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	run := []checker{
		{"readme", checkReadme, "a README"},
		{"types", checkTypes, "an index.d.ts"},
	}
	ok := lint(context.Background(), withVersion(extension(t, map[string]string{"README.md": ""}), versionOutput), run, &b)
	require.False(t, ok)
	require.Equal(t, strings.Join([]string{
		"k6 extension compliance", "",
		"✔ readme", "  found `README.md` as README file",
		"✗ types", "  no `index.d.ts` file found", "  needs: an index.d.ts",
		"", "",
	}, "\n"), b.String())

	_, err := selectCheckers("smoke,nope")
	require.ErrorContains(t, err, `unknown checker "nope"`)
	sel, err := selectCheckers("types, smoke")
	require.NoError(t, err)
	require.Equal(t, "types", sel[0].id)
	require.Equal(t, "smoke", sel[1].id)
}
