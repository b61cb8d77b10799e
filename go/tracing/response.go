package tracing

import (
	"time"

	"github.com/grafana/sobek"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"
)

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
	r.status = int(obj.Get("status").ToInteger())
	if v := obj.Get("error"); !isNullish(v) {
		r.errText = v.String()
	}
	if v := obj.Get("error_code"); !isNullish(v) {
		r.errorCode = v.ToInteger()
	}
	return r, true
}
