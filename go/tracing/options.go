package tracing

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// Options configure instrumentHTTP and Client. They are decoded strictly
// from the JS object: unknown keys and wrong types are errors.
type Options struct {
	// Propagator is the header format; "w3c" by default.
	Propagator propagation.Format
	// Sampling is the probability, from 0 to 1, that a new trace is sampled;
	// 1 by default. It only sets the flag: the header is always sent.
	Sampling float64
}

// optionNames lists the keys an options object may have, for errors and hints.
var optionNames = []string{"propagator", "sampling"}

const (
	allowedSampling = "allowed: a number from 0 to 1, or null for 1"
	allowedOptions  = `allowed: an object such as { propagator: "w3c", sampling: 1 }, or nothing for the defaults`
)

// DefaultOptions are the options of a call that gives none.
func DefaultOptions() Options {
	return Options{Propagator: propagation.W3C, Sampling: 1}
}

// decodeOptions reads an options argument. undefined and null mean the
// defaults; anything else must be a plain object with known keys.
func decodeOptions(v sobek.Value) (Options, error) {
	opts := DefaultOptions()
	if isNullish(v) {
		return opts, nil
	}
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() == "Array" || obj.ClassName() == "Function" {
		return opts, fmt.Errorf("%w: %s is not an object; %s", ErrInvalidOptions, describe(v), allowedOptions)
	}
	for _, key := range obj.Keys() {
		value := obj.Get(key)
		var err error
		switch key {
		case "propagator":
			opts.Propagator, err = decodePropagator(value)
		case "sampling":
			opts.Sampling, err = decodeSampling(value)
		default:
			err = unknownOption(key)
		}
		if err != nil {
			return opts, err
		}
	}
	return opts, nil
}

func decodePropagator(v sobek.Value) (propagation.Format, error) {
	allowed := "allowed: " + quoteAll(propagation.FormatNames())
	name, ok := v.Export().(string)
	if !ok {
		return 0, fmt.Errorf(`%w "propagator": %s is not a string; %s`, ErrInvalidOption, describe(v), allowed)
	}
	f, ok := propagation.ParseFormat(name)
	if !ok {
		return 0, fmt.Errorf(`%w "propagator": %s is not a known propagator; %s`, ErrInvalidOption, describe(v), allowed)
	}
	return f, nil
}

func decodeSampling(v sobek.Value) (float64, error) {
	if isNullish(v) {
		return 1, nil
	}
	var rate float64
	switch n := v.Export().(type) {
	case int64:
		rate = float64(n)
	case float64:
		rate = n
	default:
		return 0, fmt.Errorf(`%w "sampling": %s is not a number; %s`, ErrInvalidOption, describe(v), allowedSampling)
	}
	if math.IsNaN(rate) || rate < 0 || rate > 1 {
		return 0, fmt.Errorf(`%w "sampling": %s is out of range; %s`, ErrInvalidOption, describe(v), allowedSampling)
	}
	return rate, nil
}

func unknownOption(key string) error {
	hint := ""
	if s := suggest(key, optionNames); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	return fmt.Errorf("%w %q%s; allowed options: %s", ErrUnknownOption, key, hint, quoteAll(optionNames))
}

func isNullish(v sobek.Value) bool {
	return v == nil || sobek.IsUndefined(v) || sobek.IsNull(v)
}

// describe renders a JS value for an error message: strings quoted, numbers
// and booleans as written, other values by their kind.
func describe(v sobek.Value) string {
	switch {
	case v == nil || sobek.IsUndefined(v):
		return "undefined"
	case sobek.IsNull(v):
		return "null"
	}
	switch x := v.Export().(type) {
	case string:
		return strconv.Quote(x) + " (a string)"
	case bool:
		return strconv.FormatBool(x) + " (a boolean)"
	case int64, float64:
		return v.String()
	}
	if obj, ok := v.(*sobek.Object); ok {
		switch obj.ClassName() {
		case "Array":
			return "an array"
		case "Function":
			return "a function"
		}
	}
	return "an object"
}

func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n)
	}
	return strings.Join(quoted, ", ")
}
