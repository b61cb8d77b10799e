package options

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// reportNames are the keys of traceReport's options; backendNames those
// of its backend option.
var (
	reportNames  = []string{"backend"}
	backendNames = []string{"type", "url", "headers", "timeout", "settle", "concurrency"}
)

const (
	allowedReport  = `an object such as { backend: { type: "jaeger", url: "http://localhost:16686" } }, or nothing`
	allowedBackend = `true (the K6_TRACING_BACKEND_* variables), false, or an object such as ` +
		`{ type: "tempo", url: "http://localhost:3200", headers: { "X-Scope-OrgID": "team-a" } }`
)

// DecodeReport reads traceReport's options argument: the backend to read
// the report's traces back from, or nil for none (the default). The
// K6_TRACING_BACKEND_* variables are the backend option's defaults.
func DecodeReport(v sobek.Value, def Defaults) (*explain.Config, error) {
	if common.IsNullish(v) {
		return nil, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, InvalidOptions(v, allowedReport)
	}
	var cfg *explain.Config
	for _, key := range obj.Keys() {
		if key != "backend" {
			return nil, Unknown(key, reportNames)
		}
		var err error
		if cfg, err = decodeBackend(obj.Get(key), def); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

func decodeBackend(v sobek.Value, def Defaults) (*explain.Config, error) {
	if common.IsNullish(v) {
		return nil, nil
	}
	if b, ok := v.Export().(bool); ok {
		if !b {
			return nil, nil
		}
		if def.backendEnvErr != nil {
			return nil, def.backendEnvErr
		}
		cfg := backendDefaults(def)
		return &cfg, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, Invalid("backend", jsvalue.Describe(v)+" is not a boolean or an object", allowedBackend)
	}
	if def.backendEnvErr != nil {
		return nil, def.backendEnvErr
	}
	cfg := backendDefaults(def)
	var kind, url string
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		if common.IsNullish(value) && slices.Contains(backendNames, key) {
			continue
		}
		var err error
		switch key {
		case "type":
			kind, err = decodeBackendType(value)
		case "url":
			url, err = decodeBackendURL(value)
		case "headers":
			var h map[string]string
			if h, err = decodeStringMap("backend.headers", value); err == nil {
				cfg.Backend.Header = http.Header{}
				for k, v := range h {
					cfg.Backend.Header.Set(k, v)
				}
			}
		case "timeout":
			cfg.Options.Timeout, err = decodeDuration("backend.timeout", value)
		case "settle":
			cfg.Options.Poll.Settle, err = decodeDuration("backend.settle", value)
		case "concurrency":
			cfg.Options.Poll.Concurrency, err = decodeCount("backend.concurrency", value, explain.MaxConcurrency, "4")
		default:
			err = Unknown("backend."+key, prefixed("backend.", backendNames))
		}
		if err != nil {
			return nil, err
		}
	}
	if kind != "" {
		// Another type at the default URL of the one before: the type's own.
		if cfg.Backend.URL == explain.DefaultURL(cfg.Backend.Kind) {
			cfg.Backend.URL = explain.DefaultURL(kind)
		}
		cfg.Backend.Kind = kind
	}
	if url != "" {
		cfg.Backend.URL = url
	}
	return &cfg, nil
}

func decodeBackendType(v sobek.Value) (string, error) {
	s, ok := v.Export().(string)
	if !ok {
		return "", Invalid("backend.type", jsvalue.Describe(v)+" is not a string", `"jaeger", "tempo"`)
	}
	kind, err := explain.ParseKind(s)
	if err != nil {
		return "", Invalid("backend.type", strconv.Quote(s)+" is "+err.Error(), "")
	}
	return kind, nil
}

func decodeBackendURL(v sobek.Value) (string, error) {
	s, err := decodeString("backend.url", v, `a base URL such as "http://localhost:16686"`)
	if err != nil {
		return "", err
	}
	u, err := explain.ParseURL(s)
	if err != nil {
		return "", Invalid("backend.url", strconv.Quote(s)+" is "+err.Error(), "")
	}
	return u, nil
}

// backendDefaults is the configuration the K6_TRACING_BACKEND_* variables
// give, or the plain default where they were not read.
func backendDefaults(def Defaults) explain.Config {
	if def.backend.Backend.Kind == "" {
		return explain.DefaultConfig()
	}
	cfg := def.backend
	cfg.Backend.Header = cfg.Backend.Header.Clone()
	return cfg
}
