package spans

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Protocol is the OTLP transport.
type Protocol int

const (
	// HTTPProtobuf is OTLP over HTTP with protobuf bodies, OpenTelemetry's
	// default.
	HTTPProtobuf Protocol = iota
	// GRPC is OTLP over gRPC.
	GRPC
)

// String returns the protocol's name in OTEL_EXPORTER_OTLP_PROTOCOL.
func (p Protocol) String() string {
	if p == GRPC {
		return "grpc"
	}
	return "http/protobuf"
}

// ErrInvalidConfig is wrapped by every configuration error.
var ErrInvalidConfig = errors.New("invalid span export configuration")

// Config says where and how spans are exported.
type Config struct {
	// Endpoint is the full URL spans are sent to: for HTTP with its path
	// (http://localhost:4318/v1/traces), for gRPC without one.
	Endpoint string
	Protocol Protocol
	// Headers are sent with every export request (authentication).
	Headers map[string]string
	// ServiceName is the service.name resource attribute.
	ServiceName string
	// Resource holds the other resource attributes, in order.
	Resource []Attribute
	// QueueSize bounds the spans waiting for export; more are dropped.
	QueueSize int
	// FlushTimeout bounds the flush at the end of the test.
	FlushTimeout time.Duration
	// ExportTimeout bounds one export request.
	ExportTimeout time.Duration
	// ConcurrentExports bounds the export requests in flight at once;
	// [DefaultConcurrentExports] when below 1.
	ConcurrentExports int
}

// concurrentExports is ConcurrentExports, or its default for a Config
// that sets none: the queue's workers, the exporter's encoders and its
// gRPC connections all count on it.
func (c Config) concurrentExports() int {
	if c.ConcurrentExports < 1 {
		return DefaultConcurrentExports
	}
	return c.ConcurrentExports
}

// Attribute is one resource attribute.
type Attribute struct{ Key, Value string }

// Defaults of a Config that sets nothing.
const (
	DefaultServiceName   = "k6"
	DefaultQueueSize     = 65536
	DefaultFlushTimeout  = 5 * time.Second
	DefaultExportTimeout = 10 * time.Second
	defaultHTTPEndpoint  = "http://localhost:4318"
	defaultGRPCEndpoint  = "http://localhost:4317"
	tracesPath           = "/v1/traces"
)

// DefaultConfig is the configuration without options or variables: OTLP
// over HTTP to a collector on localhost.
func DefaultConfig() Config {
	return Config{
		Endpoint:          defaultHTTPEndpoint + tracesPath,
		ServiceName:       DefaultServiceName,
		QueueSize:         DefaultQueueSize,
		FlushTimeout:      DefaultFlushTimeout,
		ExportTimeout:     DefaultExportTimeout,
		ConcurrentExports: DefaultConcurrentExports,
	}
}

// Variables read by [FromEnv], as OpenTelemetry names them; the TRACES_
// ones win over the general ones.
const (
	EnvEndpoint           = "OTEL_EXPORTER_OTLP_ENDPOINT"
	EnvTracesEndpoint     = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"
	EnvHeaders            = "OTEL_EXPORTER_OTLP_HEADERS"
	EnvTracesHeaders      = "OTEL_EXPORTER_OTLP_TRACES_HEADERS"
	EnvProtocol           = "OTEL_EXPORTER_OTLP_PROTOCOL"
	EnvTracesProtocol     = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
	EnvTimeout            = "OTEL_EXPORTER_OTLP_TIMEOUT"
	EnvTracesTimeout      = "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"
	EnvServiceName        = "OTEL_SERVICE_NAME"
	EnvResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES"
)

// FromEnv returns [DefaultConfig] with what the OTEL_* variables set, as
// the OpenTelemetry specification defines them. lookup reads one variable.
// An unusable value is an error that names the variable and the value.
func FromEnv(lookup func(string) (string, bool)) (Config, error) {
	c := DefaultConfig()
	get := func(specific, general string) (string, string, bool) {
		if v, ok := lookup(specific); ok && strings.TrimSpace(v) != "" {
			return specific, strings.TrimSpace(v), true
		}
		if v, ok := lookup(general); ok && strings.TrimSpace(v) != "" {
			return general, strings.TrimSpace(v), true
		}
		return "", "", false
	}
	if name, v, ok := get(EnvTracesProtocol, EnvProtocol); ok {
		p, err := ParseProtocol(v)
		if err != nil {
			return c, fmt.Errorf("%w: %s=%q: %w", ErrInvalidConfig, name, v, err)
		}
		c.Protocol = p
	}
	c.Endpoint = DefaultEndpoint(c.Protocol)
	if v, ok := lookup(EnvTracesEndpoint); ok && strings.TrimSpace(v) != "" {
		// The signal-specific endpoint is used as it is.
		if err := checkEndpoint(strings.TrimSpace(v)); err != nil {
			return c, fmt.Errorf("%w: %s=%q: %w", ErrInvalidConfig, EnvTracesEndpoint, v, err)
		}
		c.Endpoint = strings.TrimSpace(v)
	} else if v, ok := lookup(EnvEndpoint); ok && strings.TrimSpace(v) != "" {
		endpoint, err := BaseEndpoint(strings.TrimSpace(v), c.Protocol)
		if err != nil {
			return c, fmt.Errorf("%w: %s=%q: %w", ErrInvalidConfig, EnvEndpoint, v, err)
		}
		c.Endpoint = endpoint
	}
	if name, v, ok := get(EnvTracesHeaders, EnvHeaders); ok {
		h, err := ParseKeyValues(v)
		if err != nil {
			return c, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, name, err)
		}
		c.Headers = map[string]string{}
		for _, kv := range h {
			c.Headers[kv.Key] = kv.Value
		}
	}
	if name, v, ok := get(EnvTracesTimeout, EnvTimeout); ok {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 {
			return c, fmt.Errorf("%w: %s=%q: not a positive number of milliseconds", ErrInvalidConfig, name, v)
		}
		c.ExportTimeout = time.Duration(ms) * time.Millisecond
	}
	if v, ok := lookup(EnvResourceAttributes); ok && strings.TrimSpace(v) != "" {
		attrs, err := ParseKeyValues(v)
		if err != nil {
			return c, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, EnvResourceAttributes, err)
		}
		for _, a := range attrs {
			if a.Key == "service.name" {
				c.ServiceName = a.Value
				continue
			}
			c.Resource = append(c.Resource, a)
		}
	}
	if v, ok := lookup(EnvServiceName); ok && strings.TrimSpace(v) != "" {
		c.ServiceName = strings.TrimSpace(v)
	}
	return c, nil
}

// ParseProtocol reads a protocol name.
func ParseProtocol(s string) (Protocol, error) {
	switch s {
	case "http/protobuf":
		return HTTPProtobuf, nil
	case "grpc":
		return GRPC, nil
	case "http/json":
		return 0, errors.New(`"http/json" is not supported by the OpenTelemetry Go exporter; allowed: "http/protobuf", "grpc"`)
	}
	return 0, fmt.Errorf(`%q is not an OTLP protocol; allowed: "http/protobuf", "grpc"`, s)
}

// DefaultEndpoint is the endpoint of a local collector for protocol.
func DefaultEndpoint(p Protocol) string {
	if p == GRPC {
		return defaultGRPCEndpoint
	}
	return defaultHTTPEndpoint + tracesPath
}

// BaseEndpoint turns a base URL (OTEL_EXPORTER_OTLP_ENDPOINT) into the
// traces endpoint: for HTTP, /v1/traces is appended to its path.
func BaseEndpoint(base string, p Protocol) (string, error) {
	if err := checkEndpoint(base); err != nil {
		return "", err
	}
	if p == GRPC {
		return base, nil
	}
	return strings.TrimSuffix(base, "/") + tracesPath, nil
}

// checkEndpoint accepts http and https URLs with a host.
func checkEndpoint(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New(`not an http:// or https:// URL with a host, such as "http://localhost:4318"`)
	}
	return nil
}

// ParseKeyValues reads the "key=value,key2=value2" lists of
// OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES: values are
// percent-decoded, spaces around keys and values are dropped.
func ParseKeyValues(s string) ([]Attribute, error) {
	var out []Attribute
	for _, item := range strings.Split(s, ",") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		k, v, ok := strings.Cut(item, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("%q is not a key=value pair", strings.TrimSpace(item))
		}
		value, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("the value of %q is not percent-encoded correctly: %q", k, strings.TrimSpace(v))
		}
		out = append(out, Attribute{Key: k, Value: value})
	}
	return out, nil
}
