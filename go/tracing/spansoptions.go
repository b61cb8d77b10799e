package tracing

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/lib/types"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// spansOptionNames are the keys of an object given as the spans option.
var spansOptionNames = []string{"endpoint", "protocol", "headers", "insecure", "serviceName", "queueSize", "flushTimeout"}

const allowedSpans = `allowed: true (OTLP to the OTEL_EXPORTER_OTLP_* endpoint, by default http://localhost:4318), ` +
	`false, or an object such as { endpoint: "http://localhost:4318", protocol: "http/protobuf" }`

// decodeSpans reads the spans option: off (nil) by default, on with the
// OTEL_* configuration for true, or that configuration changed by the
// object's keys.
func decodeSpans(v sobek.Value, def defaults) (*spans.Config, error) {
	if isNullish(v) {
		return nil, nil
	}
	if b, ok := v.Export().(bool); ok {
		if !b {
			return nil, nil
		}
		if def.spansEnvErr != nil {
			return nil, def.spansEnvErr
		}
		cfg := spansDefaults(def)
		return &cfg, nil
	}
	obj, ok := plainObject(v)
	if !ok {
		return nil, fmt.Errorf(`%w "spans": %s is not a boolean or an object; %s`, ErrInvalidOption, describe(v), allowedSpans)
	}
	if def.spansEnvErr != nil {
		return nil, def.spansEnvErr
	}
	base := spansDefaults(def)
	cfg := base
	var endpoint string
	var insecure *bool
	protocolSet := false
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		if isNullish(value) && slices.Contains(spansOptionNames, key) {
			continue // null and undefined mean the default, as at the top level
		}
		var err error
		switch key {
		case "endpoint":
			endpoint, err = decodeString("spans.endpoint", value, `a URL such as "http://localhost:4318", or host:port`)
		case "protocol":
			s, isString := value.Export().(string)
			if !isString {
				err = fmt.Errorf(`%w "spans.protocol": %s is not a string; allowed: %s`,
					ErrInvalidOption, describe(value), `"http/protobuf", "grpc"`)
			} else {
				cfg.Protocol, err = spans.ParseProtocol(s)
				if err != nil {
					err = fmt.Errorf(`%w "spans.protocol": %w`, ErrInvalidOption, err)
				}
				protocolSet = true
			}
		case "headers":
			cfg.Headers, err = decodeStringMap("spans.headers", value)
		case "insecure":
			var b bool
			b, err = decodeBool("spans.insecure", value)
			insecure = &b
		case "serviceName":
			cfg.ServiceName, err = decodeString("spans.serviceName", value, `a name such as "k6"`)
		case "queueSize":
			cfg.QueueSize, err = decodeCount("spans.queueSize", value)
		case "flushTimeout":
			cfg.FlushTimeout, err = decodeDuration("spans.flushTimeout", value)
		default:
			err = unknownOption("spans."+key, prefixed("spans.", spansOptionNames))
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case endpoint != "":
		full, err := optionEndpoint(endpoint, cfg.Protocol, insecure != nil && *insecure)
		if err != nil {
			return nil, err
		}
		cfg.Endpoint = full
	case protocolSet && base.Endpoint == spans.DefaultEndpoint(base.Protocol):
		// Only the protocol changed: the local collector's other port.
		cfg.Endpoint = spans.DefaultEndpoint(cfg.Protocol)
	}
	return &cfg, nil
}

// optionEndpoint reads spans.endpoint: host:port (https unless insecure),
// as OpenTelemetry's WithEndpoint takes it, a base URL, to which HTTP adds
// /v1/traces, or the traces URL itself.
func optionEndpoint(endpoint string, p spans.Protocol, insecure bool) (string, error) {
	given := endpoint
	if !strings.Contains(endpoint, "://") {
		scheme := "https://"
		if insecure {
			scheme = "http://"
		}
		endpoint = scheme + endpoint
	}
	full, err := spans.BaseEndpoint(endpoint, p)
	if err != nil {
		return "", fmt.Errorf(`%w "spans.endpoint": %q is %w`, ErrInvalidOption, given, err)
	}
	if strings.HasSuffix(strings.TrimSuffix(endpoint, "/"), "/v1/traces") {
		return endpoint, nil
	}
	return full, nil
}

// spansDefaults is the configuration the OTEL_* variables give, or the
// plain default where they were not read (unit tests of the decoders).
func spansDefaults(def defaults) spans.Config {
	if def.spans.Endpoint == "" {
		return spans.DefaultConfig()
	}
	return def.spans
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// decodeString reads a string that must not be blank; allowed says what
// the option takes.
func decodeString(name string, v sobek.Value, allowed string) (string, error) {
	s, ok := v.Export().(string)
	switch {
	case !ok:
		return "", fmt.Errorf(`%w %q: %s is not a string; allowed: %s`, ErrInvalidOption, name, describe(v), allowed)
	case strings.TrimSpace(s) == "":
		return "", fmt.Errorf(`%w %q: %q is blank; allowed: %s`, ErrInvalidOption, name, s, allowed)
	}
	return strings.TrimSpace(s), nil
}

const allowedHeaders = `an object of strings such as { authorization: "Bearer ..." }`

func decodeStringMap(name string, v sobek.Value) (map[string]string, error) {
	obj, ok := plainObject(v)
	if !ok {
		return nil, fmt.Errorf(`%w %q: %s is not an object; allowed: %s`, ErrInvalidOption, name, describe(v), allowedHeaders)
	}
	out := map[string]string{}
	for _, k := range obj.Keys() {
		s, ok := obj.Get(k).Export().(string)
		if !ok {
			return nil, fmt.Errorf(`%w "%s.%s": %s is not a string; allowed: %s`,
				ErrInvalidOption, name, k, describe(obj.Get(k)), allowedHeaders)
		}
		out[k] = s
	}
	return out, nil
}

func decodeCount(name string, v sobek.Value) (int, error) {
	f, ok := jsNumber(v.Export())
	if !ok || f < 1 || f > math.MaxInt32 || f != math.Trunc(f) {
		return 0, fmt.Errorf(`%w %q: %s is not a whole number from 1 to %d; allowed: a count such as 2048`,
			ErrInvalidOption, name, describe(v), math.MaxInt32)
	}
	return int(f), nil
}

// decodeDuration reads a k6 duration: a string such as "5s" or "1500ms",
// or a number of milliseconds.
func decodeDuration(name string, v sobek.Value) (time.Duration, error) {
	var d time.Duration
	switch x := v.Export().(type) {
	case string:
		parsed, err := types.ParseExtendedDuration(x)
		if err != nil {
			d = -1
		} else {
			d = parsed
		}
	case int64:
		d = time.Duration(x) * time.Millisecond
	case float64:
		d = time.Duration(x * float64(time.Millisecond))
	default:
		d = -1
	}
	if d <= 0 {
		return 0, fmt.Errorf(`%w %q: %s is not a positive duration; allowed: a string such as "5s" or "500ms", `+
			`or a number of milliseconds`, ErrInvalidOption, name, describe(v))
	}
	return d, nil
}
