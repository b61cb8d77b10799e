package jsvalue

import (
	"strconv"

	"github.com/grafana/sobek"
)

// Describe renders a JS value for an error message: strings quoted, numbers
// and booleans as written, other values by their kind.
func Describe(v sobek.Value) string {
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
