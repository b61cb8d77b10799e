package tracing

import (
	"fmt"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// Options configure instrumentHTTP, Client, headers and the pyroscope
// entry point. They are decoded strictly from the JS object: unknown keys,
// wrong types and contradicting combinations are errors.
type Options struct {
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
	TraceScope TraceScope
	// HeaderFunc is the pyroscope library's header function, given instead
	// of options (see headerfunc.go); nil for none.
	HeaderFunc sobek.Callable
}

// optionNames lists the keys an options object may have, for errors and hints.
var optionNames = []string{"propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "spans", "traceScope"}

const allowedOptions = `allowed: an object such as { propagator: "w3c", sampling: 1 }, or nothing for the defaults`

// DefaultOptions are the options of a call that gives none, when
// OTEL_PROPAGATORS is not set.
func DefaultOptions() Options {
	return Options{Propagator: propagation.NewPropagator(propagation.W3C), Sampling: 1}
}

// defaults are what a VU's option objects start from: [DefaultOptions]
// with the propagators OTEL_PROPAGATORS names, or the error that variable
// holds, reported when an options object does not name a propagator.
type defaults struct {
	Options
	envErr error
	// spans is the span export configuration of the OTEL_* variables,
	// used when spans are turned on; spansEnvErr is what is wrong with
	// them, reported then.
	spans       spans.Config
	spansEnvErr error
	// headerFuncs accepts a header function for options: the pyroscope
	// module's drop-in for its library.
	headerFuncs bool
}

// decodeOptions reads an options argument. undefined and null mean the
// defaults; anything else must be a plain object with known keys.
func decodeOptions(v sobek.Value, def defaults) (Options, error) {
	if opts, ok := decodeHeaderFunc(v, def); ok {
		return opts, nil
	}
	opts := def.Options
	set := map[string]bool{}
	if !isNullish(v) {
		obj, ok := plainObject(v)
		if !ok {
			allowed := allowedOptions
			if def.headerFuncs {
				allowed += ", or a function of a request's URL, body and params that returns headers to add"
			}
			return opts, fmt.Errorf("%w: %s is not an object; %s", ErrInvalidOptions, describe(v), allowed)
		}
		for _, key := range obj.Keys() {
			value := obj.Get(key)
			if err := decodeOption(&opts, key, value, def); err != nil {
				return opts, err
			}
			set[key] = !isNullish(value) // null and undefined mean the default
		}
	}
	if !set["propagator"] && def.envErr != nil {
		return opts, def.envErr
	}
	return opts, resolveOptions(&opts, set)
}

func decodeOption(opts *Options, key string, value sobek.Value, def defaults) (err error) {
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
		opts.K6Baggage, err = decodeBool("k6Baggage", value)
	case "traceIdFormat":
		opts.Layout, err = decodeLayout(value)
	case "spans":
		opts.Spans, err = decodeSpans(value, def)
	case "traceScope":
		opts.TraceScope, err = decodeRequestScope(value)
	default:
		err = unknownOption(key, optionNames)
	}
	return err
}

// resolveOptions checks the options against each other and fills in the
// defaults that depend on others.
func resolveOptions(opts *Options, set map[string]bool) error {
	p := opts.Propagator
	if (opts.Baggage != nil || opts.K6Baggage) && !p.CarriesBaggage() {
		opts.Propagator = propagation.NewPropagator(append(p.Formats(), propagation.W3CBaggage)...)
	}
	if opts.TraceState.Len() > 0 && !p.Has(propagation.W3C) {
		return fmt.Errorf(`%w "tracestate": tracestate is sent with traceparent, but propagator is %q; `+
			`allowed: a propagator list that includes "w3c"`, ErrInvalidOption, p.String())
	}
	switch {
	case !set["traceIdFormat"] && p.Has(propagation.XRay):
		opts.Layout = propagation.LayoutXRay
	case p.Has(propagation.XRay) && opts.Layout != propagation.LayoutXRay:
		return fmt.Errorf(`%w "traceIdFormat": %q cannot be used with the "xray" propagator, `+
			`because X-Ray requires trace ids that start with the current time in seconds; allowed: "xray"`,
			ErrInvalidOption, opts.Layout.String())
	}
	return nil
}
