package options

import (
	"fmt"
	"strings"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// envPropagators is OpenTelemetry's variable for the default propagators:
// https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/
const envPropagators = "OTEL_PROPAGATORS"

// FromEnv returns the defaults with the propagators of OTEL_PROPAGATORS
// and the span export of the OTEL_EXPORTER_OTLP_* variables, each read
// from the script environment (k6 run -e, or the system environment k6
// passes on), else from the process environment (lookupEnv, nil for
// none). An empty variable means the default, as OpenTelemetry specifies.
// A bad value is kept as an error for the first options object that does
// not name its propagator: that is when it matters, and it throws there.
func FromEnv(lookupEnv func(string) (string, bool), scriptEnv map[string]string) Defaults {
	lookup := func(name string) (string, bool) {
		if v, ok := scriptEnv[name]; ok {
			return v, true
		}
		if lookupEnv != nil {
			return lookupEnv(name)
		}
		return "", false
	}
	def := Defaults{HTTP: Default()}
	def.spans, def.spansEnvErr = spans.FromEnv(lookup)
	def.backend, def.backendEnvErr = explain.ConfigFromEnv(lookup)
	value, ok := lookup(envPropagators)
	if !ok || strings.TrimSpace(value) == "" {
		return def
	}
	from := fmt.Sprintf("the default from %s=%q", envPropagators, value)
	p, err := parsePropagators(strings.Split(value, ","), func(int) string { return "propagator" }, from)
	if err != nil {
		def.envErr = err
		return def
	}
	def.Propagator = p
	return def
}
