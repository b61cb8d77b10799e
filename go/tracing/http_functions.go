package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
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
	exports, err := jsvalue.Require(rt, "k6/http")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrHTTPModule, err)
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

// urlFunc is the Go type of k6/http's get, head, post, put, patch, del and
// options: a URL, then the rest of the arguments.
type urlFunc = func(url sobek.Value, args ...sobek.Value) (*k6http.Response, error)

// directCaller returns a function that calls the Go implementation behind a
// k6/http export without going back into the JS VM: sobek would otherwise
// re-enter its interpreter and convert every argument by reflection, on
// every request. It returns nil when the export is not k6's own Go function
// (another extension or script replaced it), and the caller then goes
// through JS as usual.
func directCaller(rt *sobek.Runtime, export sobek.Value) func(args []sobek.Value) (sent, error) {
	fn, ok := export.Export().(urlFunc)
	if !ok {
		return nil
	}
	return func(args []sobek.Value) (sent, error) {
		url := sobek.Undefined()
		if len(args) > 0 {
			url, args = args[0], args[1:]
		}
		res, err := fn(url, args...)
		if err != nil {
			return sent{}, err
		}
		return sent{value: rt.ToValue(res), response: res}, nil
	}
}
