package options

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// spansNames are the keys of an object given as the spans option.
var spansNames = []string{
	"endpoint", "protocol", "headers", "insecure", "serviceName", "queueSize", "flushTimeout", "concurrentExports",
}

// maxConcurrentExports bounds spans.concurrentExports: each export in
// flight holds a batch and a connection.
const maxConcurrentExports = 64

const allowedSpans = `true (OTLP to the OTEL_EXPORTER_OTLP_* endpoint, by default http://localhost:4318), ` +
	`false, or an object such as { endpoint: "http://localhost:4318", protocol: "http/protobuf" }`

// decodeSpans reads the spans option: off (nil) by default, on with the
// OTEL_* configuration for true, or that configuration changed by the
// object's keys.
func decodeSpans(v sobek.Value, def Defaults) (*spans.Config, error) {
	if common.IsNullish(v) {
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
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, Invalid("spans", jsvalue.Describe(v)+" is not a boolean or an object", allowedSpans)
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
		if common.IsNullish(value) && slices.Contains(spansNames, key) {
			continue // null and undefined mean the default, as at the top level
		}
		var err error
		switch key {
		case "endpoint":
			endpoint, err = decodeString("spans.endpoint", value, `a URL such as "http://localhost:4318", or host:port`)
		case "protocol":
			cfg.Protocol, err = decodeProtocol(value)
			protocolSet = true
		case "headers":
			cfg.Headers, err = decodeStringMap("spans.headers", value)
		case "insecure":
			var b bool
			b, err = Bool("spans.insecure", value)
			insecure = &b
		case "serviceName":
			cfg.ServiceName, err = decodeString("spans.serviceName", value, `a name such as "k6"`)
		case "queueSize":
			cfg.QueueSize, err = decodeCount("spans.queueSize", value, math.MaxInt32, "2048")
		case "flushTimeout":
			cfg.FlushTimeout, err = decodeDuration("spans.flushTimeout", value)
		case "concurrentExports":
			cfg.ConcurrentExports, err = decodeCount("spans.concurrentExports", value, maxConcurrentExports, "4")
		default:
			err = Unknown("spans."+key, prefixed("spans.", spansNames))
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

func decodeProtocol(v sobek.Value) (spans.Protocol, error) {
	s, ok := v.Export().(string)
	if !ok {
		return 0, Invalid("spans.protocol", jsvalue.Describe(v)+" is not a string", `"http/protobuf", "grpc"`)
	}
	p, err := spans.ParseProtocol(s)
	if err != nil {
		return 0, invalidBecause("spans.protocol", err)
	}
	return p, nil
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
		return "", invalidBecause("spans.endpoint", fmt.Errorf("%s is %w", strconv.Quote(given), err))
	}
	if strings.HasSuffix(strings.TrimSuffix(endpoint, "/"), "/v1/traces") {
		return endpoint, nil
	}
	return full, nil
}

// spansDefaults is the configuration the OTEL_* variables give, or the
// plain default where they were not read (unit tests of the decoders).
func spansDefaults(def Defaults) spans.Config {
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
