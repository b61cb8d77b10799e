// Command xk6lint mirrors the `xk6 lint` checkers that apply to this
// extension: module, replace, readme, license, build, smoke, examples and
// types (git and versions concern releases; security, vulnerability and
// codeowners are not mirrored). xk6 itself cannot be installed where the Go
// module proxy does not serve go.k6.io/xk6, so this program re-implements
// those checkers from xk6's source,
// https://github.com/grafana/xk6/tree/main/internal/lint (checker_*.go,
// state.go, check_util.go), as on its main branch with grafana/xk6#595,
// for the xk6 line the Makefile pins (XK6_VERSION v1.4.x):
//
//   - smoke runs the script with `--summary-mode=disabled`, as #595 does:
//     k6 v2 dropped the `--no-summary` flag that earlier xk6 passed, so with
//     those versions the smoke check fails for every k6 v2 extension;
//   - license follows grafana/xk6#582 (a root LICENSE whose SPDX identifier
//     or standard text is one of Grafana's accepted licenses), which is
//     stricter than released xk6's go-license-detector scan of the tree;
//   - build runs `k6 version` on the binary given with -k6 (make build)
//     instead of building one with the latest k6 release.
//
// Run it from the repository root after `make build`:
//
//	go run ./test/cmd/xk6lint -k6 ./k6
//
// It prints one result per checker, as `xk6 lint` does, and exits 1 when
// any of them failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// checker is one xk6 lint check: its id and the function that runs it.
type checker struct {
	id  string
	run func(ctx context.Context, s *state) result
	// resolution says what to do when the check fails, as xk6's help does.
	resolution string
}

// result is what a checker found; details is the line printed under it.
type result struct {
	passed  bool
	details string
}

func passed(format string, args ...any) result {
	return result{passed: true, details: fmt.Sprintf(format, args...)}
}

func failed(format string, args ...any) result {
	return result{details: fmt.Sprintf(format, args...)}
}

func checkError(err error) result {
	return result{details: "error: " + err.Error()}
}

// checkers in xk6's order.
var checkers = []checker{
	{"module", checkModule, "a go.mod file in the extension root that `go mod edit` can read"},
	{"replace", checkReplace, "remove the `replace` directives from go.mod"},
	{"readme", checkReadme, "a README file (README.md, README.rst, ...) in the extension root"},
	{"license", checkLicense, "a root LICENSE file with one of: AGPL-3.0, Apache-2.0, BSD-2-Clause, BSD-3-Clause, GPL-3.0, LGPL-3.0, MIT"},
	{"build", checkBuild, "`make build`; `k6 version` must list a module of this repository as an extension"},
	{"smoke", checkSmoke, "a smoke.test.js|ts (or smoke.js|ts) in the root, test/, tests/, examples/ or scripts/ that `k6 run` passes"},
	{"examples", checkExamples, "an examples/ directory with at least one file"},
	{"types", checkTypes, "an index.d.ts in the root, docs/ or api-docs/"},
}

func main() {
	dir := flag.String("dir", ".", "the extension's root directory")
	k6 := flag.String("k6", "./k6", "k6 built with the extension from -dir (make build)")
	only := flag.String("checks", "", "comma-separated checkers to run (default: all of them)")
	flag.Parse()

	run, err := selectCheckers(*only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if !lint(context.Background(), newState(*dir, *k6), run, os.Stdout) {
		fmt.Fprintln(os.Stderr, "linting failed")
		os.Exit(1)
	}
}

// selectCheckers returns the checkers named in list, all for "".
func selectCheckers(list string) ([]checker, error) {
	if list == "" {
		return checkers, nil
	}
	var out []checker
	for _, id := range strings.Split(list, ",") {
		found := false
		for _, c := range checkers {
			if c.id == strings.TrimSpace(id) {
				out, found = append(out, c), true
			}
		}
		if !found {
			ids := make([]string, len(checkers))
			for i, c := range checkers {
				ids[i] = c.id
			}
			return nil, fmt.Errorf("unknown checker %q; valid values are: %s", id, strings.Join(ids, ", "))
		}
	}
	return out, nil
}

// lint runs the checkers and prints their results as `xk6 lint` does;
// it returns whether all of them passed.
func lint(ctx context.Context, s *state, run []checker, w io.Writer) bool {
	fmt.Fprint(w, "k6 extension compliance\n\n")
	ok := true
	for _, c := range run {
		r := c.run(ctx, s)
		symbol := "✔"
		if !r.passed {
			symbol, ok = "✗", false
		}
		fmt.Fprintf(w, "%s %s\n", symbol, c.id)
		if r.details != "" {
			fmt.Fprintf(w, "  %s\n", r.details)
		}
		if !r.passed {
			fmt.Fprintf(w, "  needs: %s\n", c.resolution)
		}
	}
	fmt.Fprintln(w)
	return ok
}
