package tracing

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// flakyPage is a stub k6/browser Page whose route and setExtraHTTPHeaders
// reject the first `failures` calls with the error k6 v2.2 gives when its
// CDP session drops a reply, then resolve. calls counts them.
const flakyPage = `function flakyPage(failures) {
	const page = { calls: 0 };
	const call = () => {
		page.calls++;
		return page.calls <= failures
			? Promise.reject(new Error("internal error while updating protocol request interception *fetch.EnableParams: context canceled"))
			: Promise.resolve();
	};
	page.route = call;
	page.setExtraHTTPHeaders = call;
	page.url = () => "about:blank";
	page.mainFrame = () => ({});
	return page;
}`

// TestInstrumentBrowserAsksThePageAgain: a page call that fails is made
// again, up to pageSetupAttempts times, and instrumentBrowser settles by
// the outcome of the last; in both modes.
func TestInstrumentBrowserAsksThePageAgain(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		failures int
		calls    int
		outcome  string
	}{
		{"the first call fails", 1, 2, "resolved"},
		{"all but the last fail", pageSetupAttempts - 1, pageSetupAttempts, "resolved"},
		{"every call fails", pageSetupAttempts + 5, pageSetupAttempts, "rejected"},
	}
	for _, mode := range []string{"route", "static"} {
		for _, tc := range cases {
			t.Run(mode+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				h := newHarness(t)
				h.mustRun(`const tracing = require("k6/x/tracing");` + flakyPage)
				h.toVU()
				_, err := h.runtime.RunOnEventLoop(fmt.Sprintf(`var page = flakyPage(%d), outcome = "pending", reason = "";
					tracing.instrumentBrowser(page, { mode: %q }).then(
						(pt) => { outcome = pt.mode === %q ? "resolved" : "wrong handle"; },
						(e) => { outcome = "rejected"; reason = String(e && e.message); });`, tc.failures, mode, mode))
				require.NoError(t, err)
				require.Equal(t, tc.outcome, h.mustRun("outcome").String())
				require.EqualValues(t, tc.calls, h.mustRun("page.calls").ToInteger())
				if tc.outcome == "rejected" {
					method := map[string]string{"route": "route", "static": "setExtraHTTPHeaders"}[mode]
					require.Equal(t, fmt.Sprintf("instrumentBrowser: page.%s failed (attempt %d of at most %d): "+
						"Error: internal error while updating protocol request interception *fetch.EnableParams: context canceled",
						method, pageSetupAttempts, pageSetupAttempts), h.mustRun("reason").String())
				}
			})
		}
	}
}

// TestInstrumentBrowserDoesNotAskAgainAfterTheIteration: once the
// iteration is over, a failed page call is final.
func TestInstrumentBrowserDoesNotAskAgainAfterTheIteration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing");` + flakyPage)
	h.toVU()
	ctx, cancel := context.WithCancel(h.runtime.VU.Context())
	defer cancel()
	h.runtime.VU.CtxField = ctx
	require.NoError(t, h.runtime.VU.Runtime().Set("endIteration", cancel))
	_, err := h.runtime.RunOnEventLoop(`var page = flakyPage(1), outcome = "pending", reason = "";
		var calls = page.route;
		page.route = () => { const r = calls(); endIteration(); return r; };
		tracing.instrumentBrowser(page).then(() => { outcome = "resolved"; }, (e) => { outcome = "rejected"; reason = e.message; });`)
	require.NoError(t, err)
	require.Equal(t, "rejected", h.mustRun("outcome").String())
	require.EqualValues(t, 1, h.mustRun("page.calls").ToInteger())
	require.Contains(t, h.mustRun("reason").String(), "page.route failed (attempt 1 of at most 3)")
}
