package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// A header function is what the http-instrumentation-pyroscope library
// takes instead of options: new pyroscope.Client(generateHeaders) and
// pyroscope.instrumentHTTP(generateHeaders), as Grafana's documentation of
// that library shows. The library calls it with a request's URL, body and
// params (a body of null for get and head) and adds the headers it
// returns to the request, over the caller's of the same name; those
// headers replace its default baggage. The k6/x/tracing/pyroscope module
// does the same, without modifying the caller's params.

const allowedHeaderFuncResult = "allowed: an object of header names and values, or null or undefined for none"

// decodeHeaderFunc returns the options of a header function given where
// options go: the module's defaults without the k6 baggage members,
// which the function's headers replace. ok is false when v is not a
// function.
func decodeHeaderFunc(v sobek.Value, def defaults) (opts Options, ok bool) {
	fn, ok := sobek.AssertFunction(v)
	if !ok || !def.headerFuncs {
		return opts, false
	}
	opts = def.Options
	opts.K6Baggage = false
	opts.HeaderFunc = fn
	return opts, true
}

// generatedHeaders calls the header function of t, if it has one, with
// a request's URL, body and params, and returns the headers it made; nil
// for none.
func (t *tracer) generatedHeaders(url, body, params sobek.Value) (*sobek.Object, error) {
	if t.opts.HeaderFunc == nil {
		return nil, nil
	}
	if body == nil {
		body = sobek.Null()
	}
	v, err := t.opts.HeaderFunc(sobek.Undefined(), url, body, params)
	if err != nil {
		return nil, err
	}
	if isNullish(v) {
		return nil, nil
	}
	obj, ok := v.(*sobek.Object)
	if !ok || obj.ClassName() == "Array" || obj.ClassName() == "Function" {
		return nil, fmt.Errorf("%w: the header function (generateHeaders) returned %s; %s", ErrInvalidArgument, describe(v), allowedHeaderFuncResult)
	}
	return obj, nil
}

// headerFuncArgs returns the URL, body and params of a call of method, as
// the header function receives them: get and head have no body.
func headerFuncArgs(args []sobek.Value, method requestMethod) (url, body, params sobek.Value) {
	url, params = argument(args, method.urlAt), argument(args, method.paramsAt)
	if method.paramsAt > method.urlAt+1 {
		body = argument(args, method.urlAt+1)
	}
	return url, body, params
}
