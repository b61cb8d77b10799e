package options

import (
	"strconv"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/explain"
	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// HTTP configures instrumentHTTP, a Client, headers() and the pyroscope
// entry point. It is decoded strictly from the JS object: unknown keys,
// wrong types and contradicting combinations are errors.
type HTTP struct {
	// Propagator is the ordered list of formats; w3c, or OTEL_PROPAGATORS,
	// by default. It gains the W3C baggage header when baggage is asked for
	// and no listed format carries baggage.
	Propagator propagation.Propagator
	// Sampling is the probability, from 0 to 1, that a new trace is sampled;
	// 1 by default. It only sets the flag: the headers are always sent.
	Sampling float64
	// TraceState holds the tracestate members of new traces, none by
	// default; they are merged in front of a caller's.
	TraceState propagation.TraceState
	// Baggage holds the static baggage members; nil for none.
	Baggage *propagation.Baggage
	// K6Baggage adds k6.test_run_id, k6.scenario and k6.name to each request.
	K6Baggage bool
	// Layout is how new trace ids are made.
	Layout propagation.Layout
	// Spans configures the export of client spans; nil, the default, for
	// none.
	Spans *spans.Config
	// TraceScope is how long a trace lasts: a request's own (the default)
	// or the VU iteration's.
	TraceScope Scope
	// HeaderFunc is the pyroscope library's header function, given instead
	// of options; nil for none. The library called it with a request's
	// URL, body and params and added the headers it returned, over the
	// caller's of the same name and instead of its default baggage.
	HeaderFunc sobek.Callable
}

// Scope is how long one trace lasts.
type Scope int

const (
	// ScopeOwn gives each request (instrumentHTTP, Client) or each page
	// (instrumentBrowser) a trace of its own: traceScope "request" or
	// "page".
	ScopeOwn Scope = iota
	// ScopeIteration shares one trace among everything a VU sends in one
	// iteration, under an iteration root span: traceScope "iteration".
	ScopeIteration
)

// Names lists the keys an options object may have, for errors and hints.
var Names = []string{"propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "spans", "traceScope"}

const allowedOptions = `an object such as { propagator: "w3c", sampling: 1 }, or nothing for the defaults`

// Default returns the options of a call that gives none, when
// OTEL_PROPAGATORS is not set.
func Default() HTTP {
	return HTTP{Propagator: propagation.NewPropagator(propagation.W3C), Sampling: 1}
}

// Defaults are what a VU's option objects start from: [Default] with the
// propagators OTEL_PROPAGATORS names, or the error that variable holds,
// reported when an options object does not name a propagator; see
// [FromEnv].
type Defaults struct {
	HTTP
	envErr error
	// spans is the span export configuration of the OTEL_* variables,
	// used when spans are turned on; spansEnvErr is what is wrong with
	// them, reported then.
	spans       spans.Config
	spansEnvErr error
	// backend is the trace backend of the K6_TRACING_BACKEND_*
	// variables, for traceReport's backend option; backendEnvErr is what
	// is wrong with them, reported when that option is used.
	backend       explain.Config
	backendEnvErr error
	// headerFuncs accepts a header function for options: the pyroscope
	// module's drop-in for its library.
	headerFuncs bool
}

// Pyroscope returns the defaults of the http-instrumentation-pyroscope
// library's drop-in: the k6 baggage members and no trace headers, whatever
// OTEL_PROPAGATORS says, and a header function accepted for options.
func (d Defaults) Pyroscope() Defaults {
	d.Propagator = propagation.NewPropagator(propagation.None)
	d.envErr = nil
	d.K6Baggage = true
	d.headerFuncs = true
	return d
}

// DecodeHTTP reads an options argument. undefined and null mean the
// defaults; anything else must be a plain object with known keys, or,
// where def accepts one, a header function.
func DecodeHTTP(v sobek.Value, def Defaults) (HTTP, error) {
	opts := def.HTTP
	if fn, ok := sobek.AssertFunction(v); ok && def.headerFuncs {
		// The function's headers replace the library's baggage.
		opts.K6Baggage = false
		opts.HeaderFunc = fn
		return opts, nil
	}
	set := map[string]bool{}
	if !common.IsNullish(v) {
		obj, ok := jsvalue.PlainObject(v)
		if !ok {
			allowed := allowedOptions
			if def.headerFuncs {
				allowed += ", or a function of a request's URL, body and params that returns headers to add"
			}
			return opts, InvalidOptions(v, allowed)
		}
		for _, key := range obj.Keys() {
			value := obj.Get(key)
			if err := decodeOption(&opts, key, value, def); err != nil {
				return opts, err
			}
			set[key] = !common.IsNullish(value) // null and undefined mean the default
		}
	}
	if !set["propagator"] && def.envErr != nil {
		return opts, def.envErr
	}
	return opts, resolve(&opts, set)
}

func decodeOption(opts *HTTP, key string, value sobek.Value, def Defaults) (err error) {
	switch key {
	case "propagator":
		opts.Propagator, err = decodePropagator(value)
	case "sampling":
		opts.Sampling, err = decodeSampling(value)
	case "tracestate":
		opts.TraceState, err = decodeTraceState(value)
	case "baggage":
		opts.Baggage, opts.K6Baggage, err = decodeBaggage(value, opts.K6Baggage)
	case "k6Baggage":
		opts.K6Baggage, err = Bool("k6Baggage", value)
	case "traceIdFormat":
		opts.Layout, err = decodeLayout(value)
	case "spans":
		opts.Spans, err = decodeSpans(value, def)
	case "traceScope":
		opts.TraceScope, err = decodeChoice("traceScope", value,
			map[string]Scope{"request": ScopeOwn, "iteration": ScopeIteration}, "a trace scope",
			`"request" (a trace per request) or "iteration" (one trace per VU iteration)`)
	default:
		err = Unknown(key, Names)
	}
	return err
}

// resolve checks the options against each other and fills in the
// defaults that depend on others.
func resolve(opts *HTTP, set map[string]bool) error {
	p := opts.Propagator
	if (opts.Baggage != nil || opts.K6Baggage) && !p.CarriesBaggage() {
		opts.Propagator = propagation.NewPropagator(append(p.Formats(), propagation.W3CBaggage)...)
	}
	if opts.TraceState.Len() > 0 && !p.Has(propagation.W3C) {
		return Invalid("tracestate", "tracestate is sent with traceparent, but propagator is "+
			strconv.Quote(p.String()), `a propagator list that includes "w3c"`)
	}
	switch {
	case !set["traceIdFormat"] && p.Has(propagation.XRay):
		opts.Layout = propagation.LayoutXRay
	case p.Has(propagation.XRay) && opts.Layout != propagation.LayoutXRay:
		return Invalid("traceIdFormat", strconv.Quote(opts.Layout.String())+` cannot be used with the "xray" propagator, `+
			`because X-Ray requires trace ids that start with the current time in seconds`, `"xray"`)
	}
	return nil
}
