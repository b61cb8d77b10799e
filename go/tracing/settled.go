package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// settledJS returns a promise that settles as p does, calling done first.
// The script gets this promise in place of p: a rejection then stays
// unhandled, and reported by k6, unless the script handles it, which
// attaching handlers to p itself would hide.
const settledJS = `(function (p, done) {
	return p.then(
		function (value) { done(true, value); return value; },
		function (reason) { done(false, reason); throw reason; });
})`

// vuHelpers are JS functions compiled once per VU.
type vuHelpers struct {
	settled sobek.Callable
}

// afterSettled returns a promise that settles as the thenable p does,
// after done(fulfilled, valueOrReason) ran.
func (h *vuHelpers) afterSettled(rt *sobek.Runtime, p sobek.Value, done func(bool, sobek.Value)) (sobek.Value, error) {
	if h.settled == nil {
		v, err := rt.RunString(settledJS)
		if err != nil {
			return nil, fmt.Errorf("compiling the settle helper: %w", err)
		}
		h.settled, _ = sobek.AssertFunction(v)
	}
	return h.settled(sobek.Undefined(), p, rt.ToValue(func(ok bool, v sobek.Value) {
		done(ok, v)
	}))
}

// isThenable reports whether v is a promise, or an object with a then
// method that await would treat as one.
func isThenable(v sobek.Value) bool {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return false
	}
	_, ok = sobek.AssertFunction(obj.Get("then"))
	return ok
}
