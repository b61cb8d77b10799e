package tracing

import (
	"errors"
	"time"

	"github.com/grafana/sobek"
	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"go.k6.io/k6/v2/js/common"
)

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
