package explain

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// ErrInvalidConfig means a K6_TRACING_BACKEND_* variable or a flag has a
// value this package cannot use.
var ErrInvalidConfig = errors.New("invalid trace backend configuration")

// The variables that configure the backend, for traceReport's backend
// option and `k6 x explain`.
const (
	EnvType        = "K6_TRACING_BACKEND_TYPE"
	EnvURL         = "K6_TRACING_BACKEND_URL"
	EnvHeaders     = "K6_TRACING_BACKEND_HEADERS"
	EnvTimeout     = "K6_TRACING_BACKEND_TIMEOUT"
	EnvSettle      = "K6_TRACING_BACKEND_SETTLE"
	EnvConcurrency = "K6_TRACING_BACKEND_CONCURRENCY"
)

// Kinds are the kinds of backend this package reads.
var Kinds = []string{"jaeger", "tempo"}

// MaxConcurrency bounds PollOptions.Concurrency from a configuration.
const MaxConcurrency = 32

// DefaultURL is where each kind's query API listens by default.
func DefaultURL(kind string) string {
	if kind == "tempo" {
		return "http://localhost:3200"
	}
	return "http://localhost:16686"
}

// Config is a backend and how to read it.
type Config struct {
	Backend Backend
	Options Options
}

// DefaultConfig is Jaeger on localhost, read with the default options.
func DefaultConfig() Config {
	return Config{Backend: Backend{Kind: "jaeger", URL: DefaultURL("jaeger")}, Options: Options{Timeout: DefaultTimeout}}
}

// ConfigFromEnv returns DefaultConfig with what the K6_TRACING_BACKEND_*
// variables set; lookup reads one. A blank variable means the default.
func ConfigFromEnv(lookup func(string) (string, bool)) (Config, error) {
	c := DefaultConfig()
	get := func(name string) (string, bool) {
		v, ok := lookup(name)
		return strings.TrimSpace(v), ok && strings.TrimSpace(v) != ""
	}
	invalid := func(name, v, problem string) error {
		return fmt.Errorf("%w: %s=%q: %s", ErrInvalidConfig, name, v, problem)
	}
	if v, ok := get(EnvType); ok {
		kind, err := ParseKind(v)
		if err != nil {
			return c, invalid(EnvType, v, err.Error())
		}
		c.Backend.Kind, c.Backend.URL = kind, DefaultURL(kind)
	}
	if v, ok := get(EnvURL); ok {
		u, err := ParseURL(v)
		if err != nil {
			return c, invalid(EnvURL, v, err.Error())
		}
		c.Backend.URL = u
	}
	if v, ok := get(EnvHeaders); ok {
		kvs, err := spans.ParseKeyValues(v)
		if err != nil {
			return c, fmt.Errorf("%w: %s: %w", ErrInvalidConfig, EnvHeaders, err)
		}
		c.Backend.Header = http.Header{}
		for _, kv := range kvs {
			c.Backend.Header.Set(kv.Key, kv.Value)
		}
	}
	for _, d := range []struct {
		name string
		to   *time.Duration
	}{{EnvTimeout, &c.Options.Timeout}, {EnvSettle, &c.Options.Poll.Settle}} {
		if v, ok := get(d.name); ok {
			parsed, err := time.ParseDuration(v)
			if err != nil || parsed <= 0 {
				return c, invalid(d.name, v, `not a positive duration such as "15s"`)
			}
			*d.to = parsed
		}
	}
	if v, ok := get(EnvConcurrency); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxConcurrency {
			return c, invalid(EnvConcurrency, v, fmt.Sprintf("not a whole number from 1 to %d", MaxConcurrency))
		}
		c.Options.Poll.Concurrency = n
	}
	return c, nil
}

// ParseKind reads a backend's kind.
func ParseKind(s string) (string, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for _, known := range Kinds {
		if k == known {
			return k, nil
		}
	}
	return "", fmt.Errorf(`not a backend this module reads; allowed: "jaeger", "tempo"`)
}

// ParseURL reads a query API's base URL: http or https, a host, no query.
func ParseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	switch {
	case err != nil:
		return "", fmt.Errorf("not a URL: %w", err)
	case u.Scheme != "http" && u.Scheme != "https":
		return "", errors.New(`not an http or https URL such as "http://localhost:16686"`)
	case u.Host == "":
		return "", errors.New("a URL without a host")
	case u.RawQuery != "" || u.Fragment != "":
		return "", errors.New("a URL with a query or a fragment, which a base URL has not")
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}
