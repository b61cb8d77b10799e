package tracing

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// decodeBrowserJS decodes the options written as a JS expression.
func decodeBrowserJS(t *testing.T, expr string) (BrowserOptions, error) {
	t.Helper()
	rt := sobek.New()
	v, err := rt.RunString("(" + expr + ")")
	require.NoError(t, err)
	return decodeBrowserOptions(rt, v, defaults{Options: DefaultOptions()})
}

func TestDecodeBrowserOptions(t *testing.T) {
	t.Parallel()
	opts, err := decodeBrowserJS(t, `undefined`)
	require.NoError(t, err)
	require.Equal(t, ModeRoute, opts.Mode)
	require.Equal(t, ScopeOwn, opts.TraceScope)
	require.True(t, opts.PropagateTo.empty())
	require.Equal(t, "w3c", opts.Propagator.String())

	opts, err = decodeBrowserJS(t, `{ mode: "static", traceScope: "iteration", propagator: ["b3"], sampling: 0 }`)
	require.NoError(t, err)
	require.Equal(t, ModeStatic, opts.Mode)
	require.Equal(t, ScopeIteration, opts.TraceScope)
	require.Equal(t, "b3", opts.Propagator.String())
	require.Zero(t, opts.Sampling)

	opts, err = decodeBrowserJS(t, `{ mode: null, traceScope: null, propagateTo: null, baggage: { a: "b" } }`)
	require.NoError(t, err)
	require.Equal(t, ModeRoute, opts.Mode)
	require.True(t, opts.Propagator.Has(propagation.W3CBaggage), "baggage still adds its header")
}

func TestDecodeBrowserOptionsErrors(t *testing.T) {
	t.Parallel()
	const allowedTo = `allowed: an origin such as "https://api.example.com", a URL prefix such as ` +
		`"https://api.example.com/v1/", either with "*" for any characters but "/" ("https://*.example.com"), ` +
		`"*" for every origin, a RegExp tested against the whole URL, or an array of these`
	cases := []struct{ expr, want string }{
		{`"route"`, `invalid options: "route" (a string) is not an object; allowed: an object such as ` +
			`{ propagator: "w3c", propagateTo: ["https://api.example.com"] }, or nothing for the defaults`},
		{`{ mode: "fast" }`, `invalid option "mode": "fast" (a string) is not a mode; allowed: "route" ` +
			`(a span per request, page.route) or "static" (one span per page, page.setExtraHTTPHeaders)`},
		{`{ traceScope: "test" }`, `invalid option "traceScope": "test" (a string) is not a trace scope; ` +
			`allowed: "page" (a trace per page) or "iteration" (one trace for the pages of a VU iteration)`},
		{`{ propagateTo: 42 }`, `invalid option "propagateTo": 42 is not a string or a RegExp; ` + allowedTo},
		{`{ propagateTo: ["https://a.example", {}] }`,
			`invalid option "propagateTo[1]": an object is not a string or a RegExp; ` + allowedTo},
		{`{ propagateTo: ["api.example.com"] }`, `invalid option "propagateTo[0]": "api.example.com" is not ` +
			`an origin or URL prefix: it needs a scheme and a host, as in "https://api.example.com"; ` + allowedTo},
		{`{ propagateTo: "https:///path" }`, `invalid option "propagateTo": "https:///path" is not ` +
			`an origin or URL prefix: it needs a scheme and a host, as in "https://api.example.com"; ` + allowedTo},
		{`{ mode: "static", propagateTo: "*" }`, `invalid option "propagateTo": static mode sends its headers ` +
			`to every origin, because page.setExtraHTTPHeaders cannot tell origins apart; allowed: mode "route" ` +
			`with propagateTo, or static mode without it`},
		{`{ propagteTo: "*" }`, `unknown option "propagteTo" (did you mean "propagateTo"?); allowed options: ` +
			`"propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "mode", ` +
			`"propagateTo", "traceScope"`},
		{`{ spans: true }`, `invalid option "spans": instrumentBrowser exports no spans yet; allowed: the option ` +
			`on instrumentHTTP or a Client`},
		{`{ sampling: 2 }`, `invalid option "sampling": 2 is out of range; allowed: a number from 0 to 1, or null for 1`},
	}
	for _, c := range cases {
		_, err := decodeBrowserJS(t, c.expr)
		require.EqualError(t, err, c.want, c.expr)
	}
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
