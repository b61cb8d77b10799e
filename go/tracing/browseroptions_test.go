package tracing

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
)

// decodeBrowserJS decodes the options written as a JS expression.
func decodeBrowserJS(t *testing.T, expr string) (BrowserOptions, error) {
	t.Helper()
	rt := sobek.New()
	v, err := rt.RunString("(" + expr + ")")
	require.NoError(t, err)
	return decodeBrowserOptions(rt, v, defaults{Options: DefaultOptions()})
}

// wantBrowserOptions is a decoded [BrowserOptions] as the table writes it.
type wantBrowserOptions struct {
	wantOptions
	Mode        string `json:"mode"`
	TraceScope  string `json:"traceScope"`
	PropagateTo struct {
		All      bool     `json:"all"`
		Origins  []string `json:"origins"`
		Prefixes []string `json:"prefixes"`
	} `json:"propagateTo"`
}

// requireBrowserOptions checks decoded browser options against the
// table's want. propagateTo's patterns are compared as the expressions
// they compile to, so a pattern kept un-normalized fails.
func requireBrowserOptions(t *testing.T, want wantBrowserOptions, opts BrowserOptions) {
	t.Helper()
	requireOptions(t, want.wantOptions, opts.Options)
	require.Equal(t, want.Mode, opts.Mode.String(), "mode")
	scope := map[TraceScope]string{ScopeOwn: "page", ScopeIteration: "iteration"}[opts.TraceScope]
	require.Equal(t, want.TraceScope, scope, "traceScope")
	m := opts.PropagateTo
	require.Equal(t, want.PropagateTo.All, m.all, "propagateTo: every origin")
	require.Equal(t, globExprs(want.PropagateTo.Origins, true), regexpExprs(m.origins), "propagateTo: origins")
	require.Equal(t, globExprs(want.PropagateTo.Prefixes, false), regexpExprs(m.prefixes), "propagateTo: prefixes")
	require.Empty(t, m.regexps, "propagateTo: the table holds no RegExp")
}

func globExprs(patterns []string, whole bool) []string {
	out := make([]string, len(patterns))
	for i, p := range patterns {
		out[i] = globRegexp(p, whole).String()
	}
	return out
}

func regexpExprs(res []*regexp.Regexp) []string {
	out := make([]string, len(res))
	for i, re := range res {
		out[i] = re.String()
	}
	return out
}

func TestBrowserOptionTableDecode(t *testing.T) {
	t.Parallel()
	for _, tc := range loadOptionTable(t).BrowserValid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			opts, err := decodeBrowserJS(t, string(tc.Options))
			require.NoError(t, err)
			requireBrowserOptions(t, tc.Want, opts)
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

// TestBrowserOptionTableErrors checks each bad option twice: the decoder's
// exact text, and the same text where users meet it, from instrumentBrowser
// in VU code, where it aborts the test.
func TestBrowserOptionTableErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range loadOptionTable(t).BrowserInvalid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeBrowserJS(t, string(tc.Options))
			require.EqualError(t, err, tc.Error)

			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing");`)
			h.toVU()
			_, err = h.run(fmt.Sprintf("tracing.instrumentBrowser(%s, %s)", stubPage, tc.Options))
			require.Error(t, err)
			require.Contains(t, err.Error(), "instrumentBrowser: "+tc.Error)
		})
	}
}

// TestDecodeBrowserOptionsJSOnly covers the valid values JSON cannot hold:
// undefined and RegExps.
func TestDecodeBrowserOptionsJSOnly(t *testing.T) {
	t.Parallel()
	opts, err := decodeBrowserJS(t, `undefined`)
	require.NoError(t, err)
	require.Equal(t, BrowserOptions{Options: DefaultOptions()}, opts)

	opts, err = decodeBrowserJS(t, `{ mode: undefined, traceScope: undefined, propagateTo: undefined }`)
	require.NoError(t, err)
	require.Equal(t, BrowserOptions{Options: DefaultOptions()}, opts)

	opts, err = decodeBrowserJS(t, `{ propagateTo: /\/api\// }`)
	require.NoError(t, err)
	require.Len(t, opts.PropagateTo.regexps, 1)
	require.False(t, opts.PropagateTo.empty())

	opts, err = decodeBrowserJS(t, `{ propagateTo: ["https://a.example", /b/, "https://c.example/v1/", /d/i] }`)
	require.NoError(t, err)
	require.Len(t, opts.PropagateTo.regexps, 2)
	require.Equal(t, globExprs([]string{"https://a.example"}, true), regexpExprs(opts.PropagateTo.origins))
	require.Equal(t, globExprs([]string{"https://c.example/v1/"}, false), regexpExprs(opts.PropagateTo.prefixes))
	// The errors of values JSON cannot hold are the option table's calls
	// (TestOptionTableCalls), which the facade is tested against too.
}

func TestPropagateToMatches(t *testing.T) {
	t.Parallel()
	cases := []struct {
		patterns string
		url      string
		want     bool
	}{
		{`"https://api.example.com"`, "https://api.example.com/v1/items", true},
		{`"https://api.example.com"`, "https://api.example.com.evil.net/", false},
		{`"https://api.example.com"`, "http://api.example.com/", false},
		{`"https://API.example.com:443"`, "https://api.example.com/", true},
		{`"http://127.0.0.1:8081"`, "http://127.0.0.1:8081/x", true},
		{`"http://127.0.0.1:8081"`, "http://127.0.0.1:8082/x", false},
		{`"https://*.example.com"`, "https://api.example.com/", true},
		{`"https://*.example.com"`, "https://example.com/", false},
		{`"https://*.example.com"`, "https://a.b/.example.com/", false},
		{`"https://api.example.com/v1/"`, "https://api.example.com/v1/items", true},
		{`"https://api.example.com/v1/"`, "https://api.example.com/v2/items", false},
		{`"https://api.example.com/*/items"`, "https://api.example.com/v9/items?x", true},
		{`"*"`, "https://anything.example/", true},
		{`/\/cors$/`, "http://127.0.0.1:1/cors", true},
		{`/\/cors$/`, "http://127.0.0.1:1/cors/x", false},
		{`/cors/g`, "http://h/cors", true},
		{`[/nothing/, "https://b.example"]`, "https://b.example/", true},
		{`[]`, "https://b.example/", false},
	}
	for _, c := range cases {
		rt := sobek.New()
		v, err := rt.RunString("(" + c.patterns + ")")
		require.NoError(t, err)
		m, err := decodePropagateTo(rt, v)
		require.NoError(t, err, c.patterns)
		origin, ok := urlOrigin(c.url)
		require.True(t, ok, c.url)
		require.Equal(t, c.want, m.matches(c.url, origin), "%s on %s", c.patterns, c.url)
		if c.patterns == `/cors/g` {
			// A global RegExp keeps lastIndex between tests; each starts anew.
			require.True(t, m.matches(c.url, origin), "second test of a global RegExp")
		}
	}
}

func TestURLOrigin(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]string{
		"http://Example.COM:80/a":  "http://example.com",
		"https://example.com:443/": "https://example.com",
		"https://example.com:8443": "https://example.com:8443",
		"http://127.0.0.1:8080/":   "http://127.0.0.1:8080",
	} {
		got, ok := urlOrigin(url)
		require.True(t, ok, url)
		require.Equal(t, want, got, url)
	}
	for _, url := range []string{"data:text/html,x", "about:blank", "blob:http://a/1", "http://", "%"} {
		_, ok := urlOrigin(url)
		require.False(t, ok, url)
	}
}
