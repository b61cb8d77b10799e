// Package explaincmd is `k6 x explain`, the subcommand that reads a trace
// report saved from handleSummary (JSON.stringify(traceReport())), reads
// its traces back from Jaeger or Tempo and prints where their time went
// and where their errors began: the same explanation as
// traceReport({ backend }), for backends that ingest slowly and for CI.
//
// Files:
//   - explain.go: the command, its flags and the report file.
package explaincmd

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/afero"
	"github.com/spf13/cobra"
	"go.k6.io/k6/v2/cmd/state"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
)

// Name is the subcommand's name: `k6 x explain`.
const Name = "explain"

// ErrBadReport means the file is not a trace report.
var ErrBadReport = errors.New("not a trace report")

// ErrNothingRead means no trace of the report could be read back.
var ErrNothingRead = errors.New("no trace could be read back")

// maxReport bounds the report file: a report holds at most a few dozen
// entries per k6 instance.
const maxReport = 64 << 20

// New returns the command, with the K6_TRACING_BACKEND_* variables of k6's
// environment as its flags' defaults.
func New(gs *state.GlobalState) *cobra.Command {
	var f flags
	cmd := &cobra.Command{
		Use:   Name + " [flags] <report.json | ->",
		Short: "Explain a trace report's slow and failed requests from their backend traces",
		Long: `Reads a trace report saved from handleSummary (JSON.stringify(traceReport())),
reads each request's trace back from Jaeger (/api/v3/traces) or Tempo
(/api/v2/traces), and prints where the slow requests' time went (the services
and operations on their critical paths, with their shares) and where the
failed ones' errors began. The flags default to the K6_TRACING_BACKEND_*
variables. It exits 1 when no trace could be read.`,
		Example: `  k6 x explain traces.json
  k6 x explain --type tempo --url http://localhost:3200 --header X-Scope-OrgID=team-a traces.json
  k6 x explain --json traces.json > explanation.json`,
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: false,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := f.config(func(name string) (string, bool) { v, ok := gs.Env[name]; return v, ok })
			if err != nil {
				return err
			}
			requests, err := readReport(gs.FS, cmd.InOrStdin(), args[0])
			if err != nil {
				return err
			}
			rep := explain.ExplainReport(cmd.Context(), cfg.Backend, requests, cfg.Options)
			if rep.Warning != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "warning:", rep.Warning)
			}
			if err := write(cmd.OutOrStdout(), rep, f); err != nil {
				return err
			}
			if len(requests) > 0 && rep.Read == 0 {
				return fmt.Errorf("%w from %s %s", ErrNothingRead, cfg.Backend.Kind, cfg.Backend.URL)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.kind, "type", "", `the backend: "jaeger" or "tempo" (default "jaeger", or `+explain.EnvType+`)`)
	fs.StringVar(&f.url, "url", "", "the query API's base URL (default http://localhost:16686, :3200 for tempo, or "+explain.EnvURL+")")
	fs.StringArrayVar(&f.headers, "header", nil, "a header for every read, as Name=value (repeatable; adds to "+explain.EnvHeaders+")")
	fs.DurationVar(&f.timeout, "timeout", 0, "how long reading back may take in all (default 15s, or "+explain.EnvTimeout+")")
	fs.DurationVar(&f.settle, "settle", 0, "how long a trace's span count must stay the same (default 6s, or "+explain.EnvSettle+")")
	fs.IntVar(&f.concurrency, "concurrency", 0, "how many traces are read at once (default 4, or "+explain.EnvConcurrency+")")
	fs.BoolVar(&f.json, "json", false, "write the explanation as JSON (the shape of traceReport({ backend }).explanation)")
	fs.StringVar(&f.traceURL, "trace-url", "", "turn trace ids into links: {traceId} is replaced, e.g. http://localhost:16686/trace/{traceId}")
	return cmd
}

type flags struct {
	kind, url, traceURL string
	headers             []string
	timeout, settle     time.Duration
	concurrency         int
	json                bool
}

// config is the environment's configuration with the flags given over it.
func (f flags) config(lookup func(string) (string, bool)) (explain.Config, error) {
	cfg, err := explain.ConfigFromEnv(lookup)
	if err != nil {
		return cfg, err
	}
	invalid := func(flag, value, problem string) error {
		return fmt.Errorf("%w: --%s %q: %s", explain.ErrInvalidConfig, flag, value, problem)
	}
	if f.kind != "" {
		kind, err := explain.ParseKind(f.kind)
		if err != nil {
			return cfg, invalid("type", f.kind, err.Error())
		}
		if cfg.Backend.URL == explain.DefaultURL(cfg.Backend.Kind) {
			cfg.Backend.URL = explain.DefaultURL(kind)
		}
		cfg.Backend.Kind = kind
	}
	if f.url != "" {
		u, err := explain.ParseURL(f.url)
		if err != nil {
			return cfg, invalid("url", f.url, err.Error())
		}
		cfg.Backend.URL = u
	}
	for _, h := range f.headers {
		name, value, ok := strings.Cut(h, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return cfg, invalid("header", h, "not Name=value")
		}
		if cfg.Backend.Header == nil {
			cfg.Backend.Header = http.Header{}
		}
		cfg.Backend.Header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	for _, d := range []struct {
		flag  string
		value time.Duration
		to    *time.Duration
	}{{"timeout", f.timeout, &cfg.Options.Timeout}, {"settle", f.settle, &cfg.Options.Poll.Settle}} {
		switch {
		case d.value < 0:
			return cfg, invalid(d.flag, d.value.String(), "not a positive duration")
		case d.value > 0:
			*d.to = d.value
		}
	}
	switch {
	case f.concurrency < 0 || f.concurrency > explain.MaxConcurrency:
		return cfg, invalid("concurrency", fmt.Sprint(f.concurrency), fmt.Sprintf("not from 1 to %d", explain.MaxConcurrency))
	case f.concurrency > 0:
		cfg.Options.Poll.Concurrency = f.concurrency
	}
	return cfg, nil
}

// readReport reads the requests of a saved trace report, "-" for stdin.
func readReport(fs afero.Fs, stdin io.Reader, path string) ([]explain.Request, error) {
	var r io.Reader = stdin
	if path != "-" {
		file, err := fs.Open(path)
		if err != nil {
			return nil, err
		}
		defer func() { _ = file.Close() }()
		r = file
	}
	body, err := io.ReadAll(io.LimitReader(r, maxReport+1))
	if err != nil {
		return nil, err
	}
	if len(body) > maxReport {
		return nil, fmt.Errorf("%w: %s is larger than %d MiB", ErrBadReport, path, maxReport>>20)
	}
	var report struct {
		Slowest *[]explain.ReportEntry `json:"slowest"`
		Failed  *[]explain.ReportEntry `json:"failed"`
	}
	if err := json.Unmarshal(body, &report); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrBadReport, path, err)
	}
	if report.Slowest == nil || report.Failed == nil {
		return nil, fmt.Errorf(`%w: %s has no "slowest" and "failed" lists; save one with `+
			`handleSummary() { return { "traces.json": JSON.stringify(traceReport()) } }`, ErrBadReport, path)
	}
	for _, e := range append(append([]explain.ReportEntry(nil), *report.Slowest...), *report.Failed...) {
		if !isHex(e.TraceID, 32) || !isHex(e.SpanID, 16) {
			return nil, fmt.Errorf("%w: %s: an entry with traceId %q and spanId %q: ids are 32 and 16 lower-case hex digits",
				ErrBadReport, path, e.TraceID, e.SpanID)
		}
	}
	return explain.ReportRequests(*report.Slowest, *report.Failed), nil
}

func write(w io.Writer, rep explain.Report, f flags) error {
	if f.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.WriteText(w, f.traceURL)
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
