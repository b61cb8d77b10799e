package jsvalue

import (
	"strconv"

	"github.com/grafana/sobek"
)

// PlainObject returns v as an object of keys: not an array, not a
// function, not null.
func PlainObject(v sobek.Value) (*sobek.Object, bool) {
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() == "Array" || obj.ClassName() == "Function" {
		return nil, false
	}
	return obj, true
}

// Number returns an exported JS number as a float64: sobek exports
// integral numbers as int64, the others as float64.
func Number(x any) (float64, bool) {
	switch n := x.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	}
	return 0, false
}

// Items returns the elements of a JS array, in order, holes as undefined;
// ok is false when v is not an array.
func Items(v sobek.Value) (items []sobek.Value, ok bool) {
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() != "Array" {
		return nil, false
	}
	n := int(obj.Get("length").ToInteger())
	items = make([]sobek.Value, n)
	for i := range n {
		items[i] = obj.Get(strconv.Itoa(i))
		if items[i] == nil {
			items[i] = sobek.Undefined()
		}
	}
	return items, true
}
