package tracing

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/errext"
)

// errorTable is what the shared option table
// (test/testdata/options-table.json, whose options go/options decodes in
// full) says of errors, checked here where users meet them.
type errorTable struct {
	Invalid        []invalidOptions `json:"invalid"`
	BrowserInvalid []invalidOptions `json:"browserInvalid"`
	// Calls are calls whose arguments JSON cannot hold, as JS source,
	// with the reason each aborts the test with in VU code.
	Calls []struct {
		Name  string `json:"name"`
		Call  string `json:"call"`
		Error string `json:"error"`
	} `json:"calls"`
}

type invalidOptions struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Error   string          `json:"error"`
}

func loadErrorTable(t *testing.T) errorTable {
	t.Helper()
	raw, err := os.ReadFile("../../test/testdata/options-table.json")
	require.NoError(t, err)
	var table errorTable
	require.NoError(t, json.Unmarshal(raw, &table))
	require.NotEmpty(t, table.Invalid)
	require.NotEmpty(t, table.BrowserInvalid)
	require.NotEmpty(t, table.Calls)
	return table
}

// TestOptionTableErrors checks every bad option where users meet it: in
// instrumentHTTP, new Client and Client.configure, each naming itself.
func TestOptionTableErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range loadErrorTable(t).Invalid {
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

// stubPage is an object with the methods instrumentBrowser asks of a
// k6/browser Page; the table's options fail before any is called.
const stubPage = `({
	route: () => Promise.resolve(),
	setExtraHTTPHeaders: () => Promise.resolve(),
	url: () => "http://site.test/",
	mainFrame: () => ({}),
})`

// TestBrowserOptionTableErrors checks each bad browser option where users
// meet it: from instrumentBrowser in VU code, where it aborts the test.
func TestBrowserOptionTableErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range loadErrorTable(t).BrowserInvalid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing");`)
			h.toVU()
			_, err := h.run(fmt.Sprintf("tracing.instrumentBrowser(%s, %s)", stubPage, tc.Options))
			require.Error(t, err)
			require.Contains(t, err.Error(), "instrumentBrowser: "+tc.Error)
		})
	}
}

// TestOptionTableCalls runs the table's calls in VU code, with page a
// stand-in Page: each aborts the test with exactly its error.
func TestOptionTableCalls(t *testing.T) {
	t.Parallel()
	for _, tc := range loadErrorTable(t).Calls {
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
