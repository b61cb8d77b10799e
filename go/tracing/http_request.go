package tracing

import (
	"errors"
	"strings"
	"time"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// request is what a client span says of the request it stands for.
type request struct {
	method string
	url    string
	name   string // the name tag, "" when the script set none
	group  string // the VU's group as it was made, "" outside one
}

// requestURL returns the URL a k6/http URL argument names: a string, or an
// http.url template's URL.
func requestURL(v sobek.Value) string {
	if obj, ok := v.(*sobek.Object); ok {
		if u := obj.Get("url"); !common.IsNullish(u) {
			return u.String()
		}
	}
	if common.IsNullish(v) {
		return ""
	}
	return v.String()
}

// requestName returns a request's name, as the k6.name baggage member
// and the trace report give it: its name tag (see [nameTag]), else the URL
// as the script wrote it.
func requestName(url, params sobek.Value) string {
	if name := nameTag(url, params); name != "" {
		return name
	}
	return requestURL(url)
}

// nameTag returns the name tag of a params argument, else the name k6
// gives an http.url template; "" without one, or for one that only
// repeats the URL.
func nameTag(url, params sobek.Value) string {
	name := ""
	if p, ok := params.(*sobek.Object); ok {
		if tags, ok := p.Get("tags").(*sobek.Object); ok {
			name = nonEmptyString(tags.Get("name"))
		}
	}
	if u, ok := url.(*sobek.Object); ok && name == "" {
		name = nonEmptyString(u.Get("name"))
	}
	if name == requestURL(url) {
		return ""
	}
	return name
}

// nonEmptyString returns v when it is a string, else "".
func nonEmptyString(v sobek.Value) string {
	if v == nil {
		return ""
	}
	s, _ := v.Export().(string)
	return s
}

// nameFunc returns a function giving the request's name, as the k6.name
// baggage member reports it: the name tag of its params, else the name
// k6 gives an http.url template, else the URL as the script wrote it. It
// is called only when the k6 members are on.
func (t *tracer) nameFunc(url, params sobek.Value) func() string {
	if !t.opts.K6Baggage {
		return nil
	}
	return func() string { return requestName(url, params) }
}

// httpMethods are the methods of the k6/http functions named after one.
var httpMethods = map[string]string{
	"get": "GET", "head": "HEAD", "post": "POST", "put": "PUT", "patch": "PATCH", "del": "DELETE", "options": "OPTIONS",
}

// describeRequest reads a k6/http call's arguments for its client span
// and the trace report: a request made in group.
func describeRequest(args []sobek.Value, method requestMethod, group string) request {
	m := httpMethods[method.name]
	if m == "" { // request(method, url, ...)
		m = strings.ToUpper(argument(args, 0).String())
	}
	return newRequest(m, argument(args, method.urlAt), argument(args, method.paramsAt), group)
}

// newRequest describes a request of method to the URL argument url, with
// the params argument params, made in group.
func newRequest(method string, url, params sobek.Value, group string) request {
	return request{method: method, url: requestURL(url), name: nameTag(url, params), group: group}
}

// sent is what a k6/http call returned: its JS value and, when known
// without asking the JS value (which costs an allocation), k6's Response;
// and the VU's group as the request was made (see [withTraceID]).
type sent struct {
	value    sobek.Value
	response *k6http.Response
	group    string
}

// k6Response returns the call's k6 Response, nil when it returned none.
func (s sent) k6Response() *k6http.Response {
	if s.response != nil {
		return s.response
	}
	return k6Response(s.value)
}

// k6Response returns the Go value of a k6/http Response, nil for
// anything else (a failed call, or a function another extension put in
// k6/http's place).
func k6Response(v sobek.Value) *k6http.Response {
	obj, ok := v.(*sobek.Object)
	if !ok {
		return nil
	}
	res, _ := obj.Export().(*k6http.Response)
	if res == nil || res.Response == nil {
		return nil
	}
	return res
}

// response is what the trace report and the client spans read of a
// response.
type response struct {
	status    int
	errorCode int64
	errText   string
	// duration is k6's http_req_duration, when timed.
	duration time.Duration
	timed    bool
}

// read returns what the call's response says; ok is false when it
// returned no response object.
func (s sent) read() (r response, ok bool) {
	if res := s.k6Response(); res != nil {
		return response{
			status: res.Status, errorCode: int64(res.ErrorCode), errText: res.Error,
			duration: time.Duration(res.Timings.Duration * float64(time.Millisecond)), timed: true,
		}, true
	}
	obj, ok := s.value.(*sobek.Object)
	if !ok {
		return response{}, false
	}
	// Another extension's response object, read through JS.
	r.status = intProperty(obj, "status")
	if v := obj.Get("error"); !common.IsNullish(v) {
		r.errText = v.String()
	}
	if v := obj.Get("error_code"); !common.IsNullish(v) {
		r.errorCode = v.ToInteger()
	}
	return r, true
}

// errRequestFailed is a report entry's error when the request failed
// without saying why.
var errRequestFailed = errors.New("the request failed")

// outcome is how a request ended, for the trace report and its client
// span: its response, or what the call threw, how long it took, as
// k6's http_req_duration says, and whether it failed.
type outcome struct {
	response
	responded bool  // a response object came back
	err       error // what the call threw
	duration  time.Duration
	failed    bool
	// rpc: a gRPC call's, whose status is its gRPC status code (0 is OK).
	rpc bool
}

// outcomeOf reads a request's outcome from its response, or, without
// k6's timings, from the time the call took. A request failed when it
// threw, when no response came (status 0) or when its status is 400 or
// more, the statuses k6's http_req_failed counts by default.
func outcomeOf(s sent, err error, start, end time.Time) outcome {
	out := outcome{err: err, duration: end.Sub(start), failed: true}
	if err != nil {
		return out
	}
	out.response, out.responded = s.read()
	if !out.responded {
		return out
	}
	if out.timed {
		out.duration = out.response.duration
	}
	out.failed = out.status == 0 || out.status >= 400
	return out
}

// afterResponse returns a promise that settles as asyncRequest's promise
// does, once the request is recorded and its client span exported.
func (t *tracer) afterResponse(sp requestTrace, req request, start time.Time, promise sobek.Value) (sobek.Value, error) {
	return jsvalue.Settled(t.vu.Runtime(), promise, func(fulfilled bool, v sobek.Value) {
		var err error
		if !fulfilled {
			err, v = rejection(v), nil // the request failed
		}
		t.finished(sp, func() request { return req }, start, responseEnd(start, time.Now(), v), sent{value: v}, err)
	})
}

// rejection is the error a rejected promise's reason stands for.
func rejection(reason sobek.Value) error {
	if common.IsNullish(reason) {
		return errRequestFailed
	}
	return errors.New(reason.String())
}

// responseEnd returns when a request sent at start and seen settled at
// settled ended. The script sees a response only when the event loop
// gets to it, possibly well after it arrived, so the end is the start
// plus the phases k6 measured (blocked, connecting, TLS, sending, waiting,
// receiving), never after settled. Without timings (a failed request) it
// is settled.
func responseEnd(start, settled time.Time, res sobek.Value) time.Time {
	obj, ok := res.(*sobek.Object)
	if !ok {
		return settled
	}
	timings, ok := obj.Get("timings").(*sobek.Object)
	if !ok {
		return settled
	}
	var ms float64
	for _, phase := range []string{"blocked", "connecting", "tls_handshaking", "sending", "waiting", "receiving"} {
		if v := timings.Get(phase); !common.IsNullish(v) {
			ms += v.ToFloat()
		}
	}
	if ms <= 0 {
		return settled
	}
	end := start.Add(time.Duration(ms * float64(time.Millisecond)))
	if end.After(settled) {
		return settled
	}
	return end
}

// intProperty returns obj's key as an integer; 0 when it has none (Get
// returns nil for a missing property).
func intProperty(obj *sobek.Object, key string) int {
	v := obj.Get(key)
	if common.IsNullish(v) {
		return 0
	}
	return int(v.ToInteger())
}
