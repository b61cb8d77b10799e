package options

import (
	"net/http"
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
)

// decodeReportJS decodes traceReport's options written as a JS expression,
// with the K6_TRACING_BACKEND_* variables env.
func decodeReportJS(t *testing.T, expr string, env map[string]string) (*explain.Config, error) {
	t.Helper()
	v, err := sobek.New().RunString("(" + expr + ")")
	require.NoError(t, err)
	return DecodeReport(v, FromEnv(nil, env))
}

func TestDecodeReport(t *testing.T) {
	t.Parallel()
	for _, off := range []string{"undefined", "null", "{}", "{ backend: false }", "{ backend: null }"} {
		cfg, err := decodeReportJS(t, off, nil)
		require.NoError(t, err)
		require.Nil(t, cfg, off)
	}
	tempoEnv := map[string]string{
		explain.EnvType: "tempo", explain.EnvHeaders: "X-Scope-OrgID=team-a,Authorization=Basic%20dTpw",
		explain.EnvTimeout: "30s", explain.EnvSettle: "2s", explain.EnvConcurrency: "8",
	}
	cases := []struct {
		expr string
		env  map[string]string
		want func(*explain.Config)
	}{
		{`{ backend: true }`, nil, func(*explain.Config) {}},
		{`{ backend: {} }`, nil, func(*explain.Config) {}},
		{`{ backend: { type: "tempo" } }`, nil, func(c *explain.Config) { c.Backend.Kind, c.Backend.URL = "tempo", "http://localhost:3200" }},
		{`{ backend: { url: "http://jaeger:16686/" } }`, nil, func(c *explain.Config) { c.Backend.URL = "http://jaeger:16686" }},
		{`{ backend: { url: "https://tempo.example/api", type: "tempo" } }`, nil,
			func(c *explain.Config) { c.Backend.Kind, c.Backend.URL = "tempo", "https://tempo.example/api" }},
		{`{ backend: { headers: { "x-scope-orgid": "team-b" }, timeout: 5000, settle: "1s", concurrency: 2 } }`, nil,
			func(c *explain.Config) {
				c.Backend.Header = http.Header{"X-Scope-Orgid": {"team-b"}}
				c.Options.Timeout, c.Options.Poll.Settle, c.Options.Poll.Concurrency = 5*time.Second, time.Second, 2
			}},
		{`{ backend: true }`, tempoEnv, func(c *explain.Config) {
			c.Backend.Kind, c.Backend.URL = "tempo", "http://localhost:3200"
			c.Backend.Header = http.Header{"X-Scope-Orgid": {"team-a"}, "Authorization": {"Basic dTpw"}}
			c.Options.Timeout, c.Options.Poll.Settle, c.Options.Poll.Concurrency = 30*time.Second, 2*time.Second, 8
		}},
		{`{ backend: { url: "http://t:3200", timeout: null } }`, tempoEnv, func(c *explain.Config) {
			c.Backend.Kind, c.Backend.URL = "tempo", "http://t:3200"
			c.Backend.Header = http.Header{"X-Scope-Orgid": {"team-a"}, "Authorization": {"Basic dTpw"}}
			c.Options.Timeout, c.Options.Poll.Settle, c.Options.Poll.Concurrency = 30*time.Second, 2*time.Second, 8
		}},
		{`{ backend: true }`, map[string]string{explain.EnvURL: "http://q:16686"}, func(c *explain.Config) { c.Backend.URL = "http://q:16686" }},
	}
	for _, tc := range cases {
		cfg, err := decodeReportJS(t, tc.expr, tc.env)
		require.NoError(t, err, tc.expr)
		want := explain.DefaultConfig()
		tc.want(&want)
		require.Equal(t, want, *cfg, tc.expr)
	}
}

func TestDecodeReportErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		expr string
		env  map[string]string
		want string
	}{
		{`"jaeger"`, nil, `invalid options: "jaeger" (a string) is not an object; allowed: an object such as ` +
			`{ backend: { type: "jaeger", url: "http://localhost:16686" } }, or nothing`},
		{`{ backnd: true }`, nil, `unknown option "backnd" (did you mean "backend"?); allowed options: "backend"`},
		{`{ backend: "jaeger" }`, nil, `invalid option "backend": "jaeger" (a string) is not a boolean or an object; ` +
			`allowed: true (the K6_TRACING_BACKEND_* variables), false, or an object such as { type: "tempo", ` +
			`url: "http://localhost:3200", headers: { "X-Scope-OrgID": "team-a" } }`},
		{`{ backend: { type: "zipkin" } }`, nil, `invalid option "backend.type": "zipkin" is not a backend this ` +
			`module reads; allowed: "jaeger", "tempo"`},
		{`{ backend: { url: "localhost:16686" } }`, nil, `invalid option "backend.url": "localhost:16686" is not ` +
			`an http or https URL such as "http://localhost:16686"`},
		{`{ backend: { url: "http://q:16686/?x=1" } }`, nil, `invalid option "backend.url": "http://q:16686/?x=1" ` +
			`is a URL with a query or a fragment, which a base URL has not`},
		{`{ backend: { timeout: "soon" } }`, nil, `invalid option "backend.timeout": "soon" (a string) is not a ` +
			`positive duration; allowed: a string such as "5s" or "500ms", or a number of milliseconds`},
		{`{ backend: { concurrency: 100 } }`, nil, `invalid option "backend.concurrency": 100 is not a ` +
			`whole number from 1 to 32; allowed: a count such as 4`},
		{`{ backend: { headers: { a: 1 } } }`, nil, `invalid option "backend.headers.a": 1 is not a ` +
			`string; allowed: an object of strings such as { authorization: "Bearer ..." }`},
		{`{ backend: { tipe: "tempo" } }`, nil, `unknown option "backend.tipe" (did you mean "backend.type"?); ` +
			`allowed options: "backend.type", "backend.url", "backend.headers", "backend.timeout", ` +
			`"backend.settle", "backend.concurrency"`},
		{`{ backend: true }`, map[string]string{explain.EnvTimeout: "15"}, `invalid trace backend configuration: ` +
			`K6_TRACING_BACKEND_TIMEOUT="15": not a positive duration such as "15s"`},
		{`{ backend: {} }`, map[string]string{explain.EnvType: "zipkin"}, `invalid trace backend configuration: ` +
			`K6_TRACING_BACKEND_TYPE="zipkin": not a backend this module reads; allowed: "jaeger", "tempo"`},
	}
	for _, tc := range cases {
		_, err := decodeReportJS(t, tc.expr, tc.env)
		require.EqualError(t, err, tc.want, tc.expr)
	}
	// Without the backend option, a bad variable is not an error: it is
	// not read.
	cfg, err := decodeReportJS(t, `undefined`, map[string]string{explain.EnvType: "zipkin"})
	require.NoError(t, err)
	require.Nil(t, cfg)
}
