package spans

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		env  map[string]string
		want func(*Config)
	}{
		{"nothing set", nil, func(*Config) {}},
		{"base endpoint, http: /v1/traces appended", map[string]string{EnvEndpoint: "http://collector:4318/"},
			func(c *Config) { c.Endpoint = "http://collector:4318/v1/traces" }},
		{"base endpoint with a path", map[string]string{EnvEndpoint: "https://otlp.example/otlp"},
			func(c *Config) { c.Endpoint = "https://otlp.example/otlp/v1/traces" }},
		{"traces endpoint used as it is, and wins", map[string]string{
			EnvEndpoint: "http://a:4318", EnvTracesEndpoint: "http://b:4318/custom"},
			func(c *Config) { c.Endpoint = "http://b:4318/custom" }},
		{"grpc: default endpoint", map[string]string{EnvProtocol: "grpc"},
			func(c *Config) { c.Protocol, c.Endpoint = GRPC, "http://localhost:4317" }},
		{"grpc: base endpoint as it is", map[string]string{EnvTracesProtocol: "grpc", EnvProtocol: "http/protobuf",
			EnvEndpoint: "http://collector:4317"},
			func(c *Config) { c.Protocol, c.Endpoint = GRPC, "http://collector:4317" }},
		{"headers, percent-decoded; traces headers win", map[string]string{
			EnvHeaders: "a=1", EnvTracesHeaders: " Authorization = Basic%20abc=, x-scope-orgid=t1 "},
			func(c *Config) {
				c.Headers = map[string]string{"Authorization": "Basic abc=", "x-scope-orgid": "t1"}
			}},
		{"timeout in milliseconds", map[string]string{EnvTimeout: "2500"},
			func(c *Config) { c.ExportTimeout = 2500 * time.Millisecond }},
		{"resource attributes; service.name from them", map[string]string{
			EnvResourceAttributes: "deployment.environment=load%20test,service.name=shop-k6,team=perf"},
			func(c *Config) {
				c.ServiceName = "shop-k6"
				c.Resource = []Attribute{{"deployment.environment", "load test"}, {"team", "perf"}}
			}},
		{"OTEL_SERVICE_NAME wins over the attribute", map[string]string{
			EnvResourceAttributes: "service.name=a", EnvServiceName: "b"},
			func(c *Config) { c.ServiceName = "b" }},
	}
	for _, tc := range cases {
		got, err := FromEnv(envOf(tc.env))
		require.NoError(t, err, tc.name)
		want := DefaultConfig()
		tc.want(&want)
		require.Equal(t, want, got, tc.name)
	}
}

func TestFromEnvErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		env  map[string]string
		want string
	}{
		"protocol": {map[string]string{EnvProtocol: "http"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_PROTOCOL="http": "http" is not an OTLP protocol; allowed: "http/protobuf", "grpc"`},
		"json": {map[string]string{EnvTracesProtocol: "http/json"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http/json": "http/json" is not supported by the OpenTelemetry Go ` +
			`exporter; allowed: "http/protobuf", "grpc"`},
		"endpoint": {map[string]string{EnvEndpoint: "collector:4318"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_ENDPOINT="collector:4318": not an http:// or https:// URL with a host, ` +
			`such as "http://localhost:4318"`},
		"traces endpoint": {map[string]string{EnvTracesEndpoint: "ftp://x"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT="ftp://x": not an http:// or https:// URL with a host, ` +
			`such as "http://localhost:4318"`},
		"headers": {map[string]string{EnvHeaders: "a=1,broken"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_HEADERS: "broken" is not a key=value pair`},
		"encoding": {map[string]string{EnvResourceAttributes: "a=%zz"}, `invalid span export configuration: ` +
			`OTEL_RESOURCE_ATTRIBUTES: the value of "a" is not percent-encoded correctly: "%zz"`},
		"timeout": {map[string]string{EnvTracesTimeout: "10s"}, `invalid span export configuration: ` +
			`OTEL_EXPORTER_OTLP_TRACES_TIMEOUT="10s": not a positive number of milliseconds`},
	}
	for name, tc := range cases {
		_, err := FromEnv(envOf(tc.env))
		require.EqualError(t, err, tc.want, name)
		require.ErrorIs(t, err, ErrInvalidConfig, name)
	}
}
