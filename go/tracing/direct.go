package tracing

import (
	"github.com/grafana/sobek"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"
)

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
