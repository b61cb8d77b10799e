package tracing

import (
	"strconv"
	"strings"

	"github.com/grafana/sobek"
)

func isNullish(v sobek.Value) bool {
	return v == nil || sobek.IsUndefined(v) || sobek.IsNull(v)
}

// jsNumber returns an exported JS number as a float64: sobek exports
// integral numbers as int64, the others as float64.
func jsNumber(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// plainObject returns v as an object of keys: not an array, not a
// function, not null.
func plainObject(v sobek.Value) (*sobek.Object, bool) {
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() == "Array" || obj.ClassName() == "Function" {
		return nil, false
	}
	return obj, true
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
