package tracing

import (
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

// invalidOptionCases are the bad options of the shared option table
// (test/testdata/options-table.json, which go/options decodes in full): here each
// is checked where users meet it.
func invalidOptionCases(t *testing.T) (http, browser []invalidOptions) {
	t.Helper()
	raw, err := os.ReadFile("../../test/testdata/options-table.json")
	require.NoError(t, err)
	var table struct {
		Invalid        []invalidOptions `json:"invalid"`
		BrowserInvalid []invalidOptions `json:"browserInvalid"`
	}
	require.NoError(t, json.Unmarshal(raw, &table))
	require.NotEmpty(t, table.Invalid)
	require.NotEmpty(t, table.BrowserInvalid)
	return table.Invalid, table.BrowserInvalid
}

type invalidOptions struct {
	Name    string          `json:"name"`
	Options json.RawMessage `json:"options"`
	Error   string          `json:"error"`
}

// TestOptionTableErrors checks every bad option where users meet it: in
// instrumentHTTP, new Client and Client.configure, each naming itself.
func TestOptionTableErrors(t *testing.T) {
	t.Parallel()
	cases, _ := invalidOptionCases(t)
	for _, tc := range cases {
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
	_, cases := invalidOptionCases(t)
	for _, tc := range cases {
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
