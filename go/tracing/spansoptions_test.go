package tracing

import (
	"testing"
	"time"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// decodeSpansJS decodes the spans option written as a JS expression, with
// the OTEL_* variables env.
func decodeSpansJS(t *testing.T, expr string, env map[string]string) (*spans.Config, error) {
	t.Helper()
	v, err := sobek.New().RunString("(" + expr + ")")
	require.NoError(t, err)
	return decodeSpans(v, envDefaults(nil, env))
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
	}
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
			`"spans.queueSize", "spans.flushTimeout"`},
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
