package jsvalue

import "github.com/grafana/sobek"

// IsThenable reports whether v is a promise, or an object with a then
// method that await would treat as one.
func IsThenable(v sobek.Value) bool {
	_, _, ok := thenOf(v)
	return ok
}

// Settled returns a promise that settles as the thenable p does, after
// done(fulfilled, valueOrReason) has run on the event loop. The script
// gets it in place of p: a rejection then stays unhandled, and reported
// by k6, unless the script handles it, which attaching handlers to p
// itself would hide.
func Settled(rt *sobek.Runtime, p sobek.Value, done func(fulfilled bool, v sobek.Value)) (sobek.Value, error) {
	obj, then, ok := thenOf(p)
	if !ok {
		done(true, p)
		return p, nil
	}
	return then(obj,
		rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
			v := call.Argument(0)
			done(true, v)
			return v
		}),
		rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
			reason := call.Argument(0)
			done(false, reason)
			panic(reason) // sobek throws a panicked value: the promise rejects with it
		}))
}

// Observe calls done once v settles, at once for a value that is not a
// thenable, and handles a rejection: for a promise whose result no script
// reads (route.continue's), whose rejection would otherwise fail the
// iteration. A then method that throws counts as a rejection.
func Observe(rt *sobek.Runtime, v sobek.Value, done func(fulfilled bool, v sobek.Value)) {
	obj, then, ok := thenOf(v)
	if !ok {
		done(true, v)
		return
	}
	handler := func(fulfilled bool) sobek.Value {
		return rt.ToValue(func(call sobek.FunctionCall) sobek.Value {
			done(fulfilled, call.Argument(0))
			return sobek.Undefined()
		})
	}
	if _, err := then(obj, handler(true), handler(false)); err != nil {
		done(false, rt.ToValue(err.Error()))
	}
}

func thenOf(v sobek.Value) (*sobek.Object, sobek.Callable, bool) {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return nil, nil, false
	}
	then, ok := sobek.AssertFunction(obj.Get("then"))
	return obj, then, ok
}
