package tracing

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/errext"
	"go.k6.io/k6/v2/js/modulestest"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// optionTable is test/options-table.json, shared with the TypeScript facade.
type optionTable struct {
	Comment        string                             `json:"$comment"`
	Valid          []validOptions[wantOptions]        `json:"valid"`
	Invalid        []invalidOptions                   `json:"invalid"`
	BrowserValid   []validOptions[wantBrowserOptions] `json:"browserValid"`
	BrowserInvalid []invalidOptions                   `json:"browserInvalid"`
	Calls          []invalidCall                      `json:"calls"`
}

// invalidCall is a call of the table's calls: JS source and the reason
// it aborts the test with in VU code.
type invalidCall struct {
	Name  string `json:"name"`
	Call  string `json:"call"`
	Error string `json:"error"`
}

type validOptions[W any] struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Want    W               `json:"want"`
}

type invalidOptions struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Error   string          `json:"error"`
}

// wantOptions is a decoded [Options] as the table writes it.
type wantOptions struct {
	Propagator    string  `json:"propagator"`
	Sampling      float64 `json:"sampling"`
	TraceState    string  `json:"tracestate"`
	Baggage       string  `json:"baggage"`
	K6Baggage     bool    `json:"k6Baggage"`
	TraceIDFormat string  `json:"traceIdFormat"`
}

// loadOptionTable reads the table strictly: a misspelt key in it fails
// rather than comparing a zero value.
func loadOptionTable(t *testing.T) optionTable {
	t.Helper()
	raw, err := os.ReadFile("../../test/options-table.json")
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var table optionTable
	require.NoError(t, dec.Decode(&table))
	require.NotEmpty(t, table.Valid)
	require.NotEmpty(t, table.Invalid)
	require.NotEmpty(t, table.BrowserValid)
	require.NotEmpty(t, table.BrowserInvalid)
	require.NotEmpty(t, table.Calls)
	return table
}

// requireOptions checks decoded options against the table's want.
func requireOptions(t *testing.T, want wantOptions, opts Options) {
	t.Helper()
	require.Equal(t, want.Propagator, opts.Propagator.String(), "propagator")
	require.InDelta(t, want.Sampling, opts.Sampling, 0, "sampling")
	require.Equal(t, want.TraceState, opts.TraceState.String(), "tracestate")
	baggage := ""
	if opts.Baggage != nil {
		baggage = opts.Baggage.String()
	}
	require.Equal(t, want.Baggage, baggage, "baggage")
	require.Equal(t, want.K6Baggage, opts.K6Baggage, "k6Baggage")
	require.Equal(t, want.TraceIDFormat, opts.Layout.String(), "traceIdFormat")
}

func TestOptionTableDecode(t *testing.T) {
	t.Parallel()
	table := loadOptionTable(t)
	for _, tc := range table.Valid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			rt := modulestest.NewRuntime(t).VU.Runtime()
			v, err := rt.RunString(fmt.Sprintf("(%s)", tc.Options))
			require.NoError(t, err)
			opts, err := decodeOptions(v, defaults{Options: DefaultOptions()})
			require.NoError(t, err)
			requireOptions(t, tc.Want, opts)
		})
	}
}

// TestOptionTableErrors checks every bad option where users meet it: in
// instrumentHTTP, new Client and Client.configure, each naming itself.
func TestOptionTableErrors(t *testing.T) {
	t.Parallel()
	table := loadOptionTable(t)
	for _, tc := range table.Invalid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing"); const client = new tracing.Client();`)
			for call, prefix := range map[string]string{
				"tracing.instrumentHTTP(%s)": "instrumentHTTP: ",
				"new tracing.Client(%s)":     "new Client: ",
				"client.configure(%s)":       "Client.configure: ",
			} {
				_, err := h.run(fmt.Sprintf(call, tc.Options))
				require.Error(t, err, call)
				require.Contains(t, err.Error(), prefix+tc.Error, call)
			}
		})
	}
}

// TestOptionTableCalls runs the table's calls in VU code, with page a
// stand-in Page: each aborts the test with exactly its error.
func TestOptionTableCalls(t *testing.T) {
	t.Parallel()
	for _, tc := range loadOptionTable(t).Calls {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing"); const page = ` + stubPage + `;`)
			h.toVU()
			_, err := h.run(tc.Call)
			var interrupted *sobek.InterruptedError
			require.ErrorAs(t, err, &interrupted, tc.Call)
			abort, ok := interrupted.Value().(*errext.InterruptError)
			require.True(t, ok, "interrupted with %T", interrupted.Value())
			require.Equal(t, errext.AbortTest+": "+tc.Error, abort.Reason, tc.Call)
		})
	}
}

func TestOptionErrorsForJSOnlyValues(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, options, want string
		sentinel            error
	}{
		{"undefined means the defaults", "undefined", "", nil},
		{"NaN sampling", "{ sampling: NaN }", `invalid option "sampling": NaN is out of range`, ErrInvalidOption},
		{"infinite sampling", "{ sampling: Infinity }", `invalid option "sampling": Infinity is out of range`, ErrInvalidOption},
		{"function as options", "() => 1", "invalid options: a function is not an object", ErrInvalidOptions},
		{"object as propagator", `{ propagator: { name: "w3c" } }`, `invalid option "propagator": an object is not a string or an array`, ErrInvalidOption},
		{"undefined propagator", `{ propagator: undefined }`, `invalid option "propagator": undefined is not a string or an array`, ErrInvalidOption},
		{"undefined in a propagator list", `{ propagator: ["w3c", undefined] }`, `invalid option "propagator[1]": undefined is not a string`, ErrInvalidOption},
		{"unknown key", `{ sampler: 1 }`, `unknown option "sampler" (did you mean "sampling"?)`, ErrUnknownOption},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rt := modulestest.NewRuntime(t).VU.Runtime()
			v, err := rt.RunString("(" + tc.options + ")")
			require.NoError(t, err)
			opts, err := decodeOptions(v, defaults{Options: DefaultOptions()})
			if tc.sentinel == nil {
				require.NoError(t, err)
				require.Equal(t, DefaultOptions(), opts)
				return
			}
			require.ErrorIs(t, err, tc.sentinel)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDefaultOptions(t *testing.T) {
	t.Parallel()
	require.Equal(t, Options{Propagator: propagation.NewPropagator(propagation.W3C), Sampling: 1}, DefaultOptions())
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	tests := []struct{ word, want string }{
		{"propagater", "propagator"},
		{"Sampling", "sampling"},
		{"samplingRate", "sampling"},
		{"propagators", "propagator"},
		{"sampler", "sampling"},
		{"endpoint", ""},
		{"s", ""},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, suggest(tc.word, optionNames), tc.word)
	}
}

func TestErrorsAreSentinels(t *testing.T) {
	t.Parallel()
	err := unknownOption("x", optionNames)
	require.True(t, errors.Is(err, ErrUnknownOption))
}
