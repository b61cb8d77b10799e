package options

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib/types"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// The decoders of values that several options share. Each names its
// option in errors; null and undefined are handled by their callers.

// Bool reads a boolean option; null and undefined mean false.
func Bool(name string, v sobek.Value) (bool, error) {
	if common.IsNullish(v) {
		return false, nil
	}
	b, ok := v.Export().(bool)
	if !ok {
		return false, Invalid(name, jsvalue.Describe(v)+" is not a boolean", "true or false")
	}
	return b, nil
}

// decodeString reads a string that must not be blank; allowed says what
// the option takes.
func decodeString(name string, v sobek.Value, allowed string) (string, error) {
	s, ok := v.Export().(string)
	switch {
	case !ok:
		return "", Invalid(name, jsvalue.Describe(v)+" is not a string", allowed)
	case strings.TrimSpace(s) == "":
		return "", Invalid(name, strconv.Quote(s)+" is blank", allowed)
	}
	return strings.TrimSpace(s), nil
}

const allowedHeaders = `an object of strings such as { authorization: "Bearer ..." }`

func decodeStringMap(name string, v sobek.Value) (map[string]string, error) {
	obj, ok := jsvalue.PlainObject(v)
	if !ok {
		return nil, Invalid(name, jsvalue.Describe(v)+" is not an object", allowedHeaders)
	}
	out := map[string]string{}
	for _, k := range obj.Keys() {
		s, ok := obj.Get(k).Export().(string)
		if !ok {
			return nil, Invalid(name+"."+k, jsvalue.Describe(obj.Get(k))+" is not a string", allowedHeaders)
		}
		out[k] = s
	}
	return out, nil
}

// decodeCount reads a whole number from 1 to most; example is one.
func decodeCount(name string, v sobek.Value, most int, example string) (int, error) {
	f, ok := jsvalue.Number(v.Export())
	if !ok || f < 1 || f > float64(most) || f != math.Trunc(f) {
		return 0, Invalid(name, jsvalue.Describe(v)+" is not a whole number from 1 to "+strconv.Itoa(most),
			"a count such as "+example)
	}
	return int(f), nil
}

// decodeDuration reads a k6 duration: a string such as "5s" or "1500ms",
// or a number of milliseconds.
func decodeDuration(name string, v sobek.Value) (time.Duration, error) {
	d := time.Duration(-1)
	switch x := v.Export().(type) {
	case string:
		if parsed, err := types.ParseExtendedDuration(x); err == nil {
			d = parsed
		}
	case int64:
		d = time.Duration(x) * time.Millisecond
	case float64:
		d = time.Duration(x * float64(time.Millisecond))
	}
	if d <= 0 {
		return 0, Invalid(name, jsvalue.Describe(v)+" is not a positive duration",
			`a string such as "5s" or "500ms", or a number of milliseconds`)
	}
	return d, nil
}

// decodeChoice reads an option whose value is one of a few names; null and
// undefined mean the zero value, the default.
func decodeChoice[T any](name string, v sobek.Value, choices map[string]T, what, allowed string) (T, error) {
	var zero T
	if common.IsNullish(v) {
		return zero, nil
	}
	if s, ok := v.Export().(string); ok {
		if c, ok := choices[s]; ok {
			return c, nil
		}
	}
	return zero, Invalid(name, jsvalue.Describe(v)+" is not "+what, allowed)
}
