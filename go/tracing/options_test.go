package tracing

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// optionTable is test/options-table.json, shared with the TypeScript facade.
type optionTable struct {
	Valid []struct {
		Name    string          `json:"name"`
		Options json.RawMessage `json:"options"`
		Want    struct {
			Propagator    string  `json:"propagator"`
			Sampling      float64 `json:"sampling"`
			TraceState    string  `json:"tracestate"`
			Baggage       string  `json:"baggage"`
			K6Baggage     bool    `json:"k6Baggage"`
			TraceIDFormat string  `json:"traceIdFormat"`
		} `json:"want"`
	} `json:"valid"`
	Invalid []struct {
		Name    string          `json:"name"`
		Options json.RawMessage `json:"options"`
		Error   string          `json:"error"`
	} `json:"invalid"`
}

func loadOptionTable(t *testing.T) optionTable {
	t.Helper()
	raw, err := os.ReadFile("../../test/options-table.json")
	require.NoError(t, err)
	var table optionTable
	require.NoError(t, json.Unmarshal(raw, &table))
	require.NotEmpty(t, table.Valid)
	require.NotEmpty(t, table.Invalid)
	return table
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
			require.Equal(t, tc.Want.Propagator, opts.Propagator.String())
			require.InDelta(t, tc.Want.Sampling, opts.Sampling, 0)
			require.Equal(t, tc.Want.TraceState, opts.TraceState.String())
			baggage := ""
			if opts.Baggage != nil {
				baggage = opts.Baggage.String()
			}
			require.Equal(t, tc.Want.Baggage, baggage)
			require.Equal(t, tc.Want.K6Baggage, opts.K6Baggage)
			require.Equal(t, tc.Want.TraceIDFormat, opts.Layout.String())
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
