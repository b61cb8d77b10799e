package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
)

// state holds what several checkers need, computed once, as xk6's
// internal/lint/state.go does.
type state struct {
	dir, k6 string

	mod     *goMod
	modErr  error
	version []byte // `k6 version` output
	verErr  error
	verDone bool
}

// goMod is the part of `go mod edit -json` the checkers read.
type goMod struct {
	Module  struct{ Path string }
	Replace []json.RawMessage
}

func newState(dir, k6 string) *state { return &state{dir: dir, k6: k6} }

// goMod parses dir/go.mod. xk6 uses golang.org/x/mod/modfile; the go
// command's own parser accepts the same files.
func (s *state) goMod(ctx context.Context) (*goMod, error) {
	if s.mod != nil || s.modErr != nil {
		return s.mod, s.modErr
	}
	out, err := exec.CommandContext(ctx, "go", "mod", "edit", "-json", filepath.Join(s.dir, "go.mod")).Output()
	if err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			err = fmt.Errorf("%w: %s", err, exit.Stderr)
		}
		s.modErr = err
		return nil, err
	}
	var m goMod
	if err := json.Unmarshal(out, &m); err != nil {
		s.modErr = err
		return nil, err
	}
	s.mod = &m
	return s.mod, nil
}

// versionOutput runs `k6 version` once.
func (s *state) versionOutput(ctx context.Context) ([]byte, error) {
	if !s.verDone {
		s.verDone = true
		s.version, s.verErr = exec.CommandContext(ctx, s.k6, "version").CombinedOutput()
		if s.verErr != nil {
			s.verErr = fmt.Errorf("%s version: %w (run `make build`)", s.k6, s.verErr)
		}
	}
	return s.version, s.verErr
}

// extensionTypes returns the types ("js", "output", ...) of the extensions
// that `k6 version` lists for a package of module, as xk6's state.isJS
// reads them: "  <module path>... , <import path> [js]". The module path
// is quoted here; xk6 puts it in the pattern as it is.
func extensionTypes(versionOutput []byte, module string) []string {
	rex := regexp.MustCompile(`(?i)  ` + regexp.QuoteMeta(module) + `[^,]+, [^ ]+ \[([a-z]+)\]`)
	var types []string
	for _, m := range rex.FindAllSubmatch(versionOutput, -1) {
		types = append(types, string(m[1]))
	}
	return types
}

// isJS says whether k6 lists a JavaScript module of this extension: the
// smoke, examples and types checks apply only then.
func (s *state) isJS(ctx context.Context) (bool, error) {
	mod, err := s.goMod(ctx)
	if err != nil {
		return false, err
	}
	out, err := s.versionOutput(ctx)
	if err != nil {
		return false, err
	}
	for _, t := range extensionTypes(out, mod.Module.Path) {
		if t == "js" {
			return true, nil
		}
	}
	return false, nil
}

// findFile returns the first entry (in name order) of the first of dirs
// that has one whose name matches rex, as xk6's findFile: an unreadable
// first directory is an error, the others are skipped.
func findFile(rex *regexp.Regexp, dirs ...string) (path, name string, err error) {
	for i, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if i == 0 {
				return "", "", err
			}
			continue
		}
		for _, e := range entries {
			if rex.MatchString(e.Name()) {
				return filepath.Join(dir, e.Name()), e.Name(), nil
			}
		}
	}
	return "", "", nil
}

func checkModule(ctx context.Context, s *state) result {
	mod, err := s.goMod(ctx)
	if err != nil {
		return checkError(err)
	}
	return passed("found `%s` as go module", mod.Module.Path)
}

func checkReplace(ctx context.Context, s *state) result {
	mod, err := s.goMod(ctx)
	if err != nil {
		return failed("missing go.mod")
	}
	if len(mod.Replace) != 0 {
		return failed("the `go.mod` file contains `replace` directive(s)")
	}
	return passed("no `replace` directive in the `go.mod` file")
}

var reREADME = regexp.MustCompile(`(?i)^readme\.(?:markdown|mdown|mkdn|md|textile|rdoc|org|creole|mediawiki|wiki|rst|asciidoc|adoc|asc|pod|txt)`)

func checkReadme(_ context.Context, s *state) result {
	_, name, err := findFile(reREADME, s.dir)
	if err != nil {
		return checkError(err)
	}
	if name == "" {
		return failed("no README file found")
	}
	return passed("found `%s` as README file", name)
}

func checkBuild(ctx context.Context, s *state) result {
	mod, err := s.goMod(ctx)
	if err != nil {
		return checkError(err)
	}
	out, err := s.versionOutput(ctx)
	if err != nil {
		return checkError(err)
	}
	if len(extensionTypes(out, mod.Module.Path)) == 0 {
		return failed("extension for `%s` not found in k6", mod.Module.Path)
	}
	return passed("`%s version` lists the extension (built with the k6 version the Makefile pins)", s.k6)
}

var reSmoke = regexp.MustCompile(`(?i)^smoke(\.test)?\.(?:js|ts)`)

// checkSmoke runs the smoke script as xk6 does (after grafana/xk6#595).
func checkSmoke(ctx context.Context, s *state) result {
	js, err := s.isJS(ctx)
	if err != nil {
		return checkError(err)
	}
	if !js {
		return passed("skipped due to non JavaScript extension")
	}
	path, name, err := findFile(reSmoke, s.dir,
		filepath.Join(s.dir, "test"), filepath.Join(s.dir, "tests"),
		filepath.Join(s.dir, "examples"), filepath.Join(s.dir, "scripts"))
	if err != nil {
		return checkError(err)
	}
	if name == "" {
		return failed("no smoke test file found")
	}
	cmd := exec.CommandContext(ctx, s.k6, "run", "--no-usage-report", "--summary-mode=disabled", "--quiet", path)
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintln(os.Stderr, string(out))
		return checkError(err)
	}
	rel, err := filepath.Rel(s.dir, path)
	if err != nil {
		rel = name
	}
	return passed("`%s` successfully run with k6", rel)
}

func checkExamples(ctx context.Context, s *state) result {
	js, err := s.isJS(ctx)
	if err != nil {
		return checkError(err)
	}
	if !js {
		return passed("skipped due to non JavaScript extension")
	}
	dir := filepath.Join(s.dir, "examples")
	info, err := os.Stat(dir)
	if errors.Is(err, os.ErrNotExist) {
		return failed("missing `examples` directory")
	}
	if err != nil {
		return checkError(err)
	}
	if !info.IsDir() {
		return failed("`examples` is not a directory")
	}
	hasRegular := false
	err = filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			hasRegular = true
		}
		return err
	})
	if err != nil {
		return checkError(err)
	}
	if !hasRegular {
		return failed("no examples found in the `examples` directory")
	}
	return passed("found `examples` as examples directory")
}

var reIndexDTS = regexp.MustCompile(`^index\.d\.ts$`)

func checkTypes(ctx context.Context, s *state) result {
	js, err := s.isJS(ctx)
	if err != nil {
		return checkError(err)
	}
	if !js {
		return passed("skipped due to non JavaScript extension")
	}
	path, name, err := findFile(reIndexDTS, s.dir, filepath.Join(s.dir, "docs"), filepath.Join(s.dir, "api-docs"))
	if err != nil {
		return checkError(err)
	}
	if name == "" {
		return failed("no `index.d.ts` file found")
	}
	rel, err := filepath.Rel(s.dir, path)
	if err != nil {
		rel = name
	}
	return passed("found `%s` file", rel)
}
