package options

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
	"github.com/xk6-tracing/xk6-tracing/test/support/optiontable"
)

// requireOptions checks decoded options against the table's want.
func requireOptions(t *testing.T, want optiontable.Want, opts HTTP) {
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
	table := optiontable.Load(t)
	for _, tc := range table.Valid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			rt := sobek.New()
			v, err := rt.RunString(fmt.Sprintf("(%s)", tc.Options))
			require.NoError(t, err)
			opts, err := DecodeHTTP(v, Defaults{HTTP: Default()})
			require.NoError(t, err)
			requireOptions(t, tc.Want, opts)
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
			rt := sobek.New()
			v, err := rt.RunString("(" + tc.options + ")")
			require.NoError(t, err)
			opts, err := DecodeHTTP(v, Defaults{HTTP: Default()})
			if tc.sentinel == nil {
				require.NoError(t, err)
				require.Equal(t, Default(), opts)
				return
			}
			require.ErrorIs(t, err, tc.sentinel)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestDefaultOptions(t *testing.T) {
	t.Parallel()
	require.Equal(t, HTTP{Propagator: propagation.NewPropagator(propagation.W3C), Sampling: 1}, Default())
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
		require.Equal(t, tc.want, Suggest(tc.word, Names), tc.word)
	}
}

func TestErrorsAreSentinels(t *testing.T) {
	t.Parallel()
	err := Unknown("x", Names)
	require.True(t, errors.Is(err, ErrUnknownOption))
}

// decodeBrowserJS decodes the options written as a JS expression.
func decodeBrowserJS(t *testing.T, expr string) (Browser, error) {
	t.Helper()
	rt := sobek.New()
	v, err := rt.RunString("(" + expr + ")")
	require.NoError(t, err)
	return DecodeBrowser(rt, v, Defaults{HTTP: Default()})
}

// requireBrowserOptions checks decoded browser options against the
// table's want. propagateTo's patterns are compared as the expressions
// they compile to, so a pattern kept un-normalized fails.
func requireBrowserOptions(t *testing.T, want optiontable.BrowserWant, opts Browser) {
	t.Helper()
	requireOptions(t, want.Want, opts.HTTP)
	require.Equal(t, want.Mode, opts.Mode.String(), "mode")
	scope := map[Scope]string{ScopeOwn: "page", ScopeIteration: "iteration"}[opts.TraceScope]
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
	for _, tc := range optiontable.Load(t).BrowserValid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			opts, err := decodeBrowserJS(t, string(tc.Options))
			require.NoError(t, err)
			requireBrowserOptions(t, tc.Want, opts)
		})
	}
}

// TestBrowserOptionTableErrors checks the decoder's exact text for each
// bad option of the table; the module's tests check it where users meet it.
func TestBrowserOptionTableErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range optiontable.Load(t).BrowserInvalid {
		t.Run(tc.Name, func(t *testing.T) {
			t.Parallel()
			_, err := decodeBrowserJS(t, string(tc.Options))
			require.EqualError(t, err, tc.Error)
		})
	}
}

// TestDecodeBrowserOptionsJSOnly covers the valid values JSON cannot hold:
// undefined and RegExps.
func TestDecodeBrowserOptionsJSOnly(t *testing.T) {
	t.Parallel()
	opts, err := decodeBrowserJS(t, `undefined`)
	require.NoError(t, err)
	require.Equal(t, Browser{HTTP: Default()}, opts)

	opts, err = decodeBrowserJS(t, `{ mode: undefined, traceScope: undefined, propagateTo: undefined }`)
	require.NoError(t, err)
	require.Equal(t, Browser{HTTP: Default()}, opts)

	opts, err = decodeBrowserJS(t, `{ propagateTo: /\/api\// }`)
	require.NoError(t, err)
	require.Len(t, opts.PropagateTo.regexps, 1)
	require.False(t, opts.PropagateTo.Empty())

	opts, err = decodeBrowserJS(t, `{ propagateTo: ["https://a.example", /b/, "https://c.example/v1/", /d/i] }`)
	require.NoError(t, err)
	require.Len(t, opts.PropagateTo.regexps, 2)
	require.Equal(t, globExprs([]string{"https://a.example"}, true), regexpExprs(opts.PropagateTo.origins))
	require.Equal(t, globExprs([]string{"https://c.example/v1/"}, false), regexpExprs(opts.PropagateTo.prefixes))
	// The errors of values JSON cannot hold are the option table's calls,
	// which the module's tests (go/tracing) and the facade's run.
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
		origin, ok := OriginOf(c.url)
		require.True(t, ok, c.url)
		require.Equal(t, c.want, m.Matches(c.url, origin), "%s on %s", c.patterns, c.url)
		if c.patterns == `/cors/g` {
			// A global RegExp keeps lastIndex between tests; each starts anew.
			require.True(t, m.Matches(c.url, origin), "second test of a global RegExp")
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
		got, ok := OriginOf(url)
		require.True(t, ok, url)
		require.Equal(t, want, got, url)
	}
	for _, url := range []string{"data:text/html,x", "about:blank", "blob:http://a/1", "http://", "%"} {
		_, ok := OriginOf(url)
		require.False(t, ok, url)
	}
}

// decodeSpansJS decodes the spans option written as a JS expression, with
// the OTEL_* variables env.
func decodeSpansJS(t *testing.T, expr string, env map[string]string) (*spans.Config, error) {
	t.Helper()
	v, err := sobek.New().RunString("(" + expr + ")")
	require.NoError(t, err)
	return decodeSpans(v, FromEnv(nil, env))
}

func TestDecodeSpans(t *testing.T) {
	t.Parallel()
	for _, off := range []string{"undefined", "null", "false"} {
		cfg, err := decodeSpansJS(t, off, nil)
		require.NoError(t, err)
		require.Nil(t, cfg, off)
	}
	cases := []struct {
		expr string
		env  map[string]string
		want func(*spans.Config)
	}{
		{`true`, nil, func(*spans.Config) {}},
		{`true`, map[string]string{spans.EnvEndpoint: "http://collector:4318", spans.EnvServiceName: "shop"},
			func(c *spans.Config) { c.Endpoint, c.ServiceName = "http://collector:4318/v1/traces", "shop" }},
		{`{ endpoint: "http://tempo:4318" }`, nil, func(c *spans.Config) { c.Endpoint = "http://tempo:4318/v1/traces" }},
		{`{ endpoint: "http://tempo:4318/v1/traces" }`, nil, func(c *spans.Config) { c.Endpoint = "http://tempo:4318/v1/traces" }},
		{`{ endpoint: "tempo:4317", protocol: "grpc", insecure: true }`, nil,
			func(c *spans.Config) { c.Endpoint, c.Protocol = "http://tempo:4317", spans.GRPC }},
		{`{ endpoint: "tempo:4317", protocol: "grpc" }`, nil,
			func(c *spans.Config) { c.Endpoint, c.Protocol = "https://tempo:4317", spans.GRPC }},
		{`{ protocol: "grpc" }`, nil, func(c *spans.Config) { c.Endpoint, c.Protocol = "http://localhost:4317", spans.GRPC }},
		{`{ headers: { authorization: "Bearer x" }, serviceName: "checkout-test", queueSize: 10, flushTimeout: "2s" }`, nil,
			func(c *spans.Config) {
				c.Headers = map[string]string{"authorization": "Bearer x"}
				c.ServiceName, c.QueueSize, c.FlushTimeout = "checkout-test", 10, 2*time.Second
			}},
		{`{ flushTimeout: 1500 }`, nil, func(c *spans.Config) { c.FlushTimeout = 1500 * time.Millisecond }},
		{`{ concurrentExports: 8 }`, nil, func(c *spans.Config) { c.ConcurrentExports = 8 }},
	}
	def, err := decodeSpansJS(t, "true", nil)
	require.NoError(t, err)
	require.Equal(t, spans.DefaultConcurrentExports, def.ConcurrentExports, "several exports in flight by default")
	for _, tc := range cases {
		cfg, err := decodeSpansJS(t, tc.expr, tc.env)
		require.NoError(t, err, tc.expr)
		want, err := spans.FromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
		require.NoError(t, err)
		tc.want(&want)
		require.Equal(t, want, *cfg, tc.expr)
	}
}

func TestDecodeSpansErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		expr string
		env  map[string]string
		want string
	}{
		{`"yes"`, nil, `invalid option "spans": "yes" (a string) is not a boolean or an object; allowed: true ` +
			`(OTLP to the OTEL_EXPORTER_OTLP_* endpoint, by default http://localhost:4318), false, or an object such as ` +
			`{ endpoint: "http://localhost:4318", protocol: "http/protobuf" }`},
		{`{ endpiont: "x" }`, nil, `unknown option "spans.endpiont" (did you mean "spans.endpoint"?); allowed options: ` +
			`"spans.endpoint", "spans.protocol", "spans.headers", "spans.insecure", "spans.serviceName", ` +
			`"spans.queueSize", "spans.flushTimeout", "spans.concurrentExports"`},
		{`{ protocol: "http/json" }`, nil, `invalid option "spans.protocol": "http/json" is not supported by the ` +
			`OpenTelemetry Go exporter; allowed: "http/protobuf", "grpc"`},
		{`{ endpoint: "ftp://x" }`, nil, `invalid option "spans.endpoint": "ftp://x" is not an http:// or https:// ` +
			`URL with a host, such as "http://localhost:4318"`},
		{`{ flushTimeout: "soon" }`, nil, `invalid option "spans.flushTimeout": "soon" (a string) is not a positive ` +
			`duration; allowed: a string such as "5s" or "500ms", or a number of milliseconds`},
		{`true`, map[string]string{spans.EnvProtocol: "udp"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_PROTOCOL="udp": "udp" is not an OTLP protocol; allowed: "http/protobuf", "grpc"`},
	}
	for _, tc := range cases {
		_, err := decodeSpansJS(t, tc.expr, tc.env)
		require.EqualError(t, err, tc.want, tc.expr)
	}
}

func TestEnvDefaults(t *testing.T) {
	t.Parallel()
	lookup := func(env map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	}
	def := FromEnv(nil, map[string]string{"OTEL_PROPAGATORS": "tracecontext, baggage,b3multi"})
	require.NoError(t, def.envErr)
	require.Equal(t, "w3c,baggage,b3multi", def.Propagator.String())

	def = FromEnv(lookup(map[string]string{"OTEL_PROPAGATORS": "xray"}), nil)
	require.Equal(t, "xray", def.Propagator.String(), "the process environment counts when -e does not set it")

	def = FromEnv(lookup(map[string]string{"OTEL_PROPAGATORS": "jaeger"}), map[string]string{"OTEL_PROPAGATORS": "b3"})
	require.Equal(t, "b3", def.Propagator.String(), "-e wins over the process environment")

	def = FromEnv(nil, map[string]string{"OTEL_PROPAGATORS": " "})
	require.Equal(t, Default(), def.HTTP, "empty means the default")

	def = FromEnv(nil, map[string]string{"OTEL_PROPAGATORS": "tracecontext,zipkin"})
	require.ErrorIs(t, def.envErr, ErrInvalidOption)
	require.Contains(t, def.envErr.Error(), `OTEL_PROPAGATORS="tracecontext,zipkin"): "zipkin" is not a known propagator`)
}

func TestDecodeAttribute(t *testing.T) {
	t.Parallel()
	rt := sobek.New()
	for expr, want := range map[string]attribute.KeyValue{
		`"v"`:        attribute.String("k", "v"),
		`true`:       attribute.Bool("k", true),
		`42`:         attribute.Int64("k", 42),
		`1.5`:        attribute.Float64("k", 1.5),
		`["a", "b"]`: attribute.StringSlice("k", []string{"a", "b"}),
		`[1, 2.5]`:   attribute.Float64Slice("k", []float64{1, 2.5}),
		`[true]`:     attribute.BoolSlice("k", []bool{true}),
		`[]`:         attribute.StringSlice("k", nil),
	} {
		v, err := rt.RunString("(" + expr + ")")
		require.NoError(t, err)
		got, err := DecodeAttribute("k", v)
		require.NoError(t, err, expr)
		require.Equal(t, want, got, expr)
	}
	for _, expr := range []string{`null`, `undefined`, `({})`, `[[1]]`, `[1, "a"]`, `[true, 1]`, `(() => 1)`} {
		v, err := rt.RunString("(" + expr + ")")
		require.NoError(t, err)
		_, err = DecodeAttribute("k", v)
		require.Error(t, err, expr)
	}
	kind, err := decodeSpanKind(sobek.Undefined())
	require.NoError(t, err)
	require.Equal(t, trace.SpanKindInternal, kind)
}
