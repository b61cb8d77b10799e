package options

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// The decoders of the HTTP options' own keys; spans is in spans.go.

const (
	allowedSampling   = "a number from 0 to 1, or null for 1"
	allowedLayouts    = `"k6", "random", "xray"`
	allowedTraceState = "an object of at most 32 tracestate members such as { vendor: \"value\" }; " +
		"keys are lower-case letters, digits and _-*/ (a tenant@system form is allowed), " +
		"values are printable ASCII without \",\" and \"=\" that do not end in a space"
	allowedBaggage = "true for the k6 members, or an object of baggage members such as { tenant: \"acme\" }, " +
		"whose keys are HTTP tokens and whose values are strings"
)

// allowedPropagators names every propagator, canonical names first.
func allowedPropagators() string {
	var canonical, aliases []string
	for _, name := range propagation.FormatNames() {
		if f, _ := propagation.ParseFormat(name); f.String() == name {
			canonical = append(canonical, name)
		} else {
			aliases = append(aliases, name)
		}
	}
	return fmt.Sprintf("a name or an array of names from %s (OpenTelemetry's %s are aliases)",
		quoteAll(canonical), quoteAll(aliases))
}

func decodePropagator(v sobek.Value) (propagation.Propagator, error) {
	if items, ok := jsvalue.Items(v); ok {
		if len(items) == 0 {
			return propagation.Propagator{}, Invalid("propagator", "an empty array names no propagator",
				allowedPropagators()+`, or "none" to send no trace headers`)
		}
		names := make([]string, len(items))
		for i, item := range items {
			name, ok := item.Export().(string)
			if !ok {
				return propagation.Propagator{}, Invalid(fmt.Sprintf("propagator[%d]", i),
					jsvalue.Describe(item)+" is not a string", allowedPropagators())
			}
			names[i] = name
		}
		return parsePropagators(names, func(i int) string { return fmt.Sprintf("propagator[%d]", i) }, "")
	}
	name, ok := v.Export().(string)
	if !ok {
		return propagation.Propagator{}, Invalid("propagator", jsvalue.Describe(v)+" is not a string or an array",
			allowedPropagators())
	}
	return parsePropagators([]string{name}, func(int) string { return "propagator" }, "")
}

// parsePropagators turns names into a propagator; option names the option
// of the i-th name in errors, and from where the names came from when not
// from the script.
func parsePropagators(names []string, option func(i int) string, from string) (propagation.Propagator, error) {
	formats := make([]propagation.Format, len(names))
	for i, name := range names {
		f, ok := propagation.ParseFormat(name)
		if !ok {
			hint := ""
			if s := Suggest(strings.TrimSpace(name), propagation.FormatNames()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return propagation.Propagator{}, invalidFrom(option(i), from,
				strconv.Quote(name)+" is not a known propagator"+hint, allowedPropagators())
		}
		if f == propagation.None && len(names) > 1 {
			return propagation.Propagator{}, invalidFrom(option(i), from,
				`"none" cannot be combined with other propagators`, allowedPropagators())
		}
		formats[i] = f
	}
	return propagation.NewPropagator(formats...), nil
}

func decodeSampling(v sobek.Value) (float64, error) {
	if common.IsNullish(v) {
		return 1, nil
	}
	rate, ok := jsvalue.Number(v.Export())
	if !ok {
		return 0, Invalid("sampling", jsvalue.Describe(v)+" is not a number", allowedSampling)
	}
	if math.IsNaN(rate) || rate < 0 || rate > 1 {
		return 0, Invalid("sampling", jsvalue.Describe(v)+" is out of range", allowedSampling)
	}
	return rate, nil
}

func decodeTraceState(v sobek.Value) (propagation.TraceState, error) {
	if common.IsNullish(v) {
		return propagation.TraceState{}, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return propagation.TraceState{}, Invalid("tracestate", jsvalue.Describe(v)+" is not an object", allowedTraceState)
	}
	var ts propagation.TraceState
	keys := obj.Keys()
	if len(keys) > propagation.MaxTraceStateMembers {
		return propagation.TraceState{}, Invalid("tracestate",
			fmt.Sprintf("%d members are more than %d", len(keys), propagation.MaxTraceStateMembers), allowedTraceState)
	}
	// Set moves each key to the front, so walk backwards to keep the
	// script's order.
	for i := len(keys) - 1; i >= 0; i-- {
		value := obj.Get(keys[i])
		s, ok := value.Export().(string)
		if !ok {
			return propagation.TraceState{}, Invalid("tracestate."+keys[i], jsvalue.Describe(value)+" is not a string",
				allowedTraceState)
		}
		if err := ts.Set(keys[i], s); err != nil {
			return propagation.TraceState{}, invalidBecause("tracestate", err)
		}
	}
	return ts, nil
}

// decodeBaggage reads the baggage option: a boolean turns the k6 members
// on or off, an object gives static members.
func decodeBaggage(v sobek.Value, k6 bool) (*propagation.Baggage, bool, error) {
	if common.IsNullish(v) {
		return nil, k6, nil
	}
	if b, ok := v.Export().(bool); ok {
		return nil, b, nil
	}
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, k6, Invalid("baggage", jsvalue.Describe(v)+" is not a boolean or an object", allowedBaggage)
	}
	b := &propagation.Baggage{}
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		s, ok := value.Export().(string)
		if !ok {
			return nil, k6, Invalid("baggage."+key, jsvalue.Describe(value)+" is not a string", allowedBaggage)
		}
		if err := b.Set(key, s); err != nil {
			return nil, k6, invalidBecause("baggage", err)
		}
	}
	if b.Len() == 0 {
		return nil, k6, nil
	}
	return b, k6, nil
}

func decodeLayout(v sobek.Value) (propagation.Layout, error) {
	if common.IsNullish(v) {
		return propagation.LayoutK6, nil // the default; an xray propagator then picks xray
	}
	return decodeChoice("traceIdFormat", v, map[string]propagation.Layout{
		"k6": propagation.LayoutK6, "random": propagation.LayoutRandom, "xray": propagation.LayoutXRay,
	}, "a trace-id format", allowedLayouts)
}
