package tracing

import (
	"fmt"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/errext"

	"github.com/xk6-tracing/xk6-tracing/test/support/optiontable"
)

// TestOptionTableErrors checks every bad option where users meet it: in
// instrumentHTTP, new Client and Client.configure, each naming itself.
func TestOptionTableErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range optiontable.Load(t).Invalid {
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

// TestOptionTableCalls runs the table's calls in VU code, with page a
// stand-in Page: each aborts the test with exactly its error. The bad
// browser options are among them, given to instrumentBrowser, which runs
// in VU code only.
func TestOptionTableCalls(t *testing.T) {
	t.Parallel()
	table := optiontable.Load(t)
	calls := table.Calls
	for _, tc := range table.BrowserInvalid {
		calls = append(calls, optiontable.Call{
			Name:  "instrumentBrowser " + tc.Name,
			Call:  fmt.Sprintf("tracing.instrumentBrowser(page, %s)", tc.Options),
			Error: "instrumentBrowser: " + tc.Error,
		})
	}
	for _, tc := range calls {
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
