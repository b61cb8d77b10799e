package jsvalue

import (
	"errors"
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
)

// ErrNotCallable means an object lacks a method the module calls.
var ErrNotCallable = errors.New("not a function")

// CallMethod calls obj[name](args...) as a script would.
func CallMethod(obj *sobek.Object, name string, args ...sobek.Value) (sobek.Value, error) {
	fn, ok := sobek.AssertFunction(obj.Get(name))
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, ErrNotCallable)
	}
	return fn(obj, args...)
}

// HasMethods reports whether obj has a function under each name.
func HasMethods(obj *sobek.Object, names ...string) bool {
	for _, name := range names {
		if _, ok := sobek.AssertFunction(obj.Get(name)); !ok {
			return false
		}
	}
	return true
}

// CallString returns obj[name]() as a string, "" when that fails or
// returns nothing.
func CallString(obj *sobek.Object, name string) string {
	v, err := CallMethod(obj, name)
	if err != nil || common.IsNullish(v) {
		return ""
	}
	return v.String()
}

// Require returns the exports of a k6 module, as the script's require
// gives them: the same object that the script's imports of it see.
// require exists only in the init context.
func Require(rt *sobek.Runtime, name string) (*sobek.Object, error) {
	if _, ok := sobek.AssertFunction(rt.Get("require")); !ok {
		return nil, errors.New("require() is not available")
	}
	// k6's require inspects the JS call stack for the calling module and
	// indexes its second frame; called directly from Go the stack can be
	// one frame short, and k6 panics. A JS function makes the frame k6
	// expects.
	loader, err := rt.RunString(`(function (name) { return require(name); })`)
	if err != nil {
		return nil, err
	}
	load, _ := sobek.AssertFunction(loader)
	v, err := load(sobek.Undefined(), rt.ToValue(name))
	if err != nil {
		return nil, err
	}
	return v.ToObject(rt), nil
}
