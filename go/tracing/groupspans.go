package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	"go.k6.io/k6/v2/lib"
	"go.opentelemetry.io/otel/attribute"
)

// loadGroup keeps k6's group function for tracing.group. It can only be
// read in the init context, where require exists, so the module reads it
// as it is imported. The k6 module's exports are a module namespace,
// which cannot be patched as k6/http's functions are, hence a group of our
// own rather than k6's replaced. Without it (a runtime without the k6
// module) tracing.group says so.
func (mi *ModuleInstance) loadGroup() {
	if mi.k6Group != nil {
		return
	}
	if exports, err := requireModule(mi.vu.Runtime(), "k6"); err == nil {
		mi.k6Group, _ = sobek.AssertFunction(exports.Get("group"))
	}
}

// group is tracing.group(name, fn): k6's group(name, fn) inside a span of
// that name, so that a trace shows a user journey's steps, with the
// group's requests and spans as its children.
func (mi *ModuleInstance) group(call sobek.FunctionCall) sobek.Value {
	rt := mi.vu.Runtime()
	if mi.k6Group == nil {
		err := fmt.Errorf("group: %w: it needs k6's group, which the module loads as it is imported "+
			"in the init context, and this runtime has no k6 module", ErrInitContextOnly)
		if err = reportUsageError(mi.vu, err); err != nil {
			common.Throw(rt, err)
		}
		return sobek.Undefined()
	}
	v, err := mi.apiTracer().group(mi.k6Group, call.Arguments)
	if err != nil {
		common.Throw(rt, err) // re-raises the group's exception as it was
	}
	return v
}

// group runs k6's group inside a span named after it, with the group's
// path as k6.group. Calls k6 rejects (no name, no function, the init
// context) go to k6 as they are, for its own errors.
func (t *tracer) group(original sobek.Callable, args []sobek.Value) (sobek.Value, error) {
	state := t.vu.State()
	name, isName := argument(args, 0).Export().(string)
	_, isFunction := sobek.AssertFunction(argument(args, 1))
	if state == nil || !isName || name == "" || !isFunction {
		return original(sobek.Undefined(), args...)
	}
	sp, err := t.newJSSpan("group", argument(args, 0), nil)
	if err != nil {
		return original(sobek.Undefined(), args...)
	}
	if sp.IsRecording() {
		parent := currentGroup(state)
		if path, err := lib.NewGroupPath(parent, name); err == nil {
			sp.otel.SetAttributes(attribute.String("k6.group", path))
		}
	}
	return t.whileActive(sp, true, func() (sobek.Value, error) {
		return original(sobek.Undefined(), args...)
	})
}
