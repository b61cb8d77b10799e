package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// requestMethod describes one k6/http function that sends requests: where
// its params argument sits, or that it is batch.
type requestMethod struct {
	name     string
	urlAt    int  // index of the URL argument
	paramsAt int  // index of the params argument; -1 for batch
	async    bool // the request is sent after the call returns
}

// requestMethods are the k6/http functions that get trace context, in the
// order of the old module's documentation.
var requestMethods = []requestMethod{
	{"get", 0, 1, false},
	{"head", 0, 1, false},
	{"post", 0, 2, false},
	{"put", 0, 2, false},
	{"patch", 0, 2, false},
	{"del", 0, 2, false},
	{"options", 0, 2, false},
	{"request", 1, 3, false},
	{"asyncRequest", 1, 3, true},
	{"batch", 0, -1, false},
}

// httpModule is one VU's k6/http exports object, which default imports,
// named imports and require() of the VU all read.
type httpModule struct {
	exports *sobek.Object
}

// httpFunctions are k6/http's request functions as a layer wraps them:
// k6's own, or those another layer put in their place.
type httpFunctions struct {
	fns    map[string]sobek.Callable
	direct map[string]func([]sobek.Value) (sent, error) // see directCaller
}

// loadHTTPModule requires k6/http through the script's own require, so that
// it gets the same exports object that imports of k6/http in this VU see.
// require exists only in the init context, which is why the module loads
// it as it is imported.
func loadHTTPModule(rt *sobek.Runtime) (*httpModule, error) {
	if _, ok := sobek.AssertFunction(rt.Get("require")); !ok {
		return nil, fmt.Errorf("%w: require() is not available", ErrHTTPModule)
	}
	exports, err := requireModule(rt, "k6/http")
	if err != nil {
		return nil, err
	}
	return &httpModule{exports: exports}, nil
}

// current returns the request functions the exports hold now: k6's own,
// or the instrumented ones of a layer that replaced them.
func (m *httpModule) current(rt *sobek.Runtime) (httpFunctions, error) {
	f := httpFunctions{
		fns:    make(map[string]sobek.Callable, len(requestMethods)),
		direct: make(map[string]func([]sobek.Value) (sent, error), len(requestMethods)),
	}
	for _, method := range requestMethods {
		export := m.exports.Get(method.name)
		fn, ok := sobek.AssertFunction(export)
		if !ok {
			return f, fmt.Errorf("%w: k6/http has no function %q", ErrHTTPModule, method.name)
		}
		f.fns[method.name] = fn
		if method.paramsAt == 1 || method.paramsAt == 2 { // the URL-first functions
			if direct := directCaller(rt, export); direct != nil {
				f.direct[method.name] = direct
			}
		}
	}
	return f, nil
}

// requireModule returns the exports of a k6 module, as the script's
// require gives them.
func requireModule(rt *sobek.Runtime, name string) (*sobek.Object, error) {
	// k6's require inspects the JS call stack for the calling module and
	// indexes its second frame; called directly from Go the stack can be one
	// frame short, and k6 panics. A JS function makes the frame k6 expects.
	loader, err := rt.RunString(`(function (name) { return require(name); })`)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHTTPModule, err)
	}
	loadFn, _ := sobek.AssertFunction(loader)
	v, err := loadFn(sobek.Undefined(), rt.ToValue(name))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHTTPModule, err)
	}
	return v.ToObject(rt), nil
}

// traced sets on target, under each request method's name, the function
// of f wrapped by t.
func (f httpFunctions) traced(t *tracer, target *sobek.Object) error {
	for _, method := range requestMethods {
		fn := f.fns[method.name]
		var traced func(sobek.FunctionCall) sobek.Value
		if method.paramsAt < 0 {
			traced = t.wrapBatch(fn)
		} else {
			traced = t.wrap(fn, f.direct[method.name], method)
		}
		if err := target.Set(method.name, traced); err != nil {
			return err
		}
	}
	return nil
}
