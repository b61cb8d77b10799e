package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// callMethod calls obj[name](args...) as a script would.
func callMethod(obj *sobek.Object, name string, args ...sobek.Value) (sobek.Value, error) {
	fn, ok := sobek.AssertFunction(obj.Get(name))
	if !ok {
		return nil, fmt.Errorf("%w: %s is not a function", ErrInvalidArgument, name)
	}
	return fn(obj, args...)
}

// hasMethods reports whether obj has a function under each name.
func hasMethods(obj *sobek.Object, names ...string) bool {
	for _, name := range names {
		if _, ok := sobek.AssertFunction(obj.Get(name)); !ok {
			return false
		}
	}
	return true
}

// settle calls onFulfilled or onRejected, on the event loop, when the
// promise-like value v settles; a value that is not a promise counts as
// fulfilled at once.
func settle(rt *sobek.Runtime, v sobek.Value, onFulfilled, onRejected func(sobek.Value)) {
	obj, ok := v.(*sobek.Object)
	var then sobek.Callable
	if ok {
		then, ok = sobek.AssertFunction(obj.Get("then"))
	}
	if !ok {
		onFulfilled(v)
		return
	}
	wrap := func(f func(sobek.Value)) sobek.Value {
		return rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
			f(call.Argument(0))
			return sobek.Undefined()
		})
	}
	if _, err := then(obj, wrap(onFulfilled), wrap(onRejected)); err != nil {
		onRejected(rt.ToValue(err.Error()))
	}
}
