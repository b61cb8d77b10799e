package tracing

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

const (
	allowedSampling   = "allowed: a number from 0 to 1, or null for 1"
	allowedLayouts    = `allowed: "k6", "random", "xray"`
	allowedTraceState = "allowed: an object of at most 32 tracestate members such as { vendor: \"value\" }; " +
		"keys are lower-case letters, digits and _-*/ (a tenant@system form is allowed), " +
		"values are printable ASCII without \",\" and \"=\" that do not end in a space"
	allowedBaggage = "allowed: true for the k6 members, or an object of baggage members such as { tenant: \"acme\" }, " +
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
	return fmt.Sprintf("allowed: a name or an array of names from %s (OpenTelemetry's %s are aliases)",
		quoteAll(canonical), quoteAll(aliases))
}

func decodePropagator(v sobek.Value) (propagation.Propagator, error) {
	if obj, ok := v.(*sobek.Object); ok && obj.ClassName() == "Array" {
		n := int(obj.Get("length").ToInteger())
		if n == 0 {
			return propagation.Propagator{}, fmt.Errorf(`%w "propagator": an empty array names no propagator; `+
				`%s, or "none" to send no trace headers`, ErrInvalidOption, allowedPropagators())
		}
		names := make([]string, n)
		for i := range n {
			item := obj.Get(strconv.Itoa(i))
			name, ok := item.Export().(string)
			if !ok {
				return propagation.Propagator{}, fmt.Errorf(`%w "propagator[%d]": %s is not a string; %s`,
					ErrInvalidOption, i, describe(item), allowedPropagators())
			}
			names[i] = name
		}
		return parsePropagatorNames(names, func(i int) string { return fmt.Sprintf(`"propagator[%d]"`, i) })
	}
	name, ok := v.Export().(string)
	if !ok {
		return propagation.Propagator{}, fmt.Errorf(`%w "propagator": %s is not a string or an array; %s`,
			ErrInvalidOption, describe(v), allowedPropagators())
	}
	return parsePropagatorNames([]string{name}, func(int) string { return `"propagator"` })
}

// parsePropagatorNames turns names into a propagator; where names the
// option (or variable) of the i-th name in errors.
func parsePropagatorNames(names []string, where func(i int) string) (propagation.Propagator, error) {
	formats := make([]propagation.Format, len(names))
	for i, name := range names {
		f, ok := propagation.ParseFormat(name)
		if !ok {
			hint := ""
			if s := suggest(strings.TrimSpace(name), propagation.FormatNames()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return propagation.Propagator{}, fmt.Errorf(`%w %s: %q is not a known propagator%s; %s`,
				ErrInvalidOption, where(i), name, hint, allowedPropagators())
		}
		if f == propagation.None && len(names) > 1 {
			return propagation.Propagator{}, fmt.Errorf(`%w %s: "none" cannot be combined with other propagators; %s`,
				ErrInvalidOption, where(i), allowedPropagators())
		}
		formats[i] = f
	}
	return propagation.NewPropagator(formats...), nil
}

func decodeSampling(v sobek.Value) (float64, error) {
	if isNullish(v) {
		return 1, nil
	}
	rate, ok := jsNumber(v.Export())
	if !ok {
		return 0, fmt.Errorf(`%w "sampling": %s is not a number; %s`, ErrInvalidOption, describe(v), allowedSampling)
	}
	if math.IsNaN(rate) || rate < 0 || rate > 1 {
		return 0, fmt.Errorf(`%w "sampling": %s is out of range; %s`, ErrInvalidOption, describe(v), allowedSampling)
	}
	return rate, nil
}

func decodeTraceState(v sobek.Value) (propagation.TraceState, error) {
	if isNullish(v) {
		return propagation.TraceState{}, nil
	}
	obj, ok := plainObject(v)
	if !ok {
		return propagation.TraceState{}, fmt.Errorf(`%w "tracestate": %s is not an object; %s`,
			ErrInvalidOption, describe(v), allowedTraceState)
	}
	var ts propagation.TraceState
	keys := obj.Keys()
	if len(keys) > propagation.MaxTraceStateMembers {
		return propagation.TraceState{}, fmt.Errorf(`%w "tracestate": %d members are more than %d; %s`,
			ErrInvalidOption, len(keys), propagation.MaxTraceStateMembers, allowedTraceState)
	}
	// Set moves each key to the front, so walk backwards to keep the
	// script's order.
	for i := len(keys) - 1; i >= 0; i-- {
		value := obj.Get(keys[i])
		s, ok := value.Export().(string)
		if !ok {
			return propagation.TraceState{}, fmt.Errorf(`%w "tracestate.%s": %s is not a string; %s`,
				ErrInvalidOption, keys[i], describe(value), allowedTraceState)
		}
		if err := ts.Set(keys[i], s); err != nil {
			return propagation.TraceState{}, fmt.Errorf(`%w "tracestate": %w`, ErrInvalidOption, err) // err says what is allowed
		}
	}
	return ts, nil
}

// decodeBaggage reads the baggage option: a boolean turns the k6 members
// on or off, an object gives static members.
func decodeBaggage(v sobek.Value, k6 bool) (*propagation.Baggage, bool, error) {
	if isNullish(v) {
		return nil, k6, nil
	}
	if b, ok := v.Export().(bool); ok {
		return nil, b, nil
	}
	obj, ok := plainObject(v)
	if !ok {
		return nil, k6, fmt.Errorf(`%w "baggage": %s is not a boolean or an object; %s`,
			ErrInvalidOption, describe(v), allowedBaggage)
	}
	b := &propagation.Baggage{}
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		s, ok := value.Export().(string)
		if !ok {
			return nil, k6, fmt.Errorf(`%w "baggage.%s": %s is not a string; %s`,
				ErrInvalidOption, key, describe(value), allowedBaggage)
		}
		if err := b.Set(key, s); err != nil {
			return nil, k6, fmt.Errorf(`%w "baggage": %w`, ErrInvalidOption, err) // err says what is allowed
		}
	}
	if b.Len() == 0 {
		return nil, k6, nil
	}
	return b, k6, nil
}

func decodeBool(name string, v sobek.Value) (bool, error) {
	if isNullish(v) {
		return false, nil
	}
	b, ok := v.Export().(bool)
	if !ok {
		return false, fmt.Errorf(`%w %q: %s is not a boolean; allowed: true or false`, ErrInvalidOption, name, describe(v))
	}
	return b, nil
}

func decodeLayout(v sobek.Value) (propagation.Layout, error) {
	if isNullish(v) {
		return propagation.LayoutK6, nil // the default; an xray propagator then picks xray
	}
	name, _ := v.Export().(string)
	switch name {
	case "k6":
		return propagation.LayoutK6, nil
	case "random":
		return propagation.LayoutRandom, nil
	case "xray":
		return propagation.LayoutXRay, nil
	}
	return 0, fmt.Errorf(`%w "traceIdFormat": %s is not a trace-id format; %s`, ErrInvalidOption, describe(v), allowedLayouts)
}

// unknownOption is the error for an unknown key. A nested key
// ("spans.compresion") is compared with its siblings' own names, so that
// their shared prefix does not make every name look close.
func unknownOption(key string, names []string) error {
	prefix := key[:strings.LastIndexByte(key, '.')+1]
	bare := make([]string, 0, len(names))
	for _, n := range names {
		if strings.HasPrefix(n, prefix) {
			bare = append(bare, n[len(prefix):])
		}
	}
	hint := ""
	if s := suggest(key[len(prefix):], bare); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", prefix+s)
	}
	return fmt.Errorf("%w %q%s; allowed options: %s", ErrUnknownOption, key, hint, quoteAll(names))
}
