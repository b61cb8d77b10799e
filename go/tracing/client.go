package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"
)

// newClient is the JS constructor `new Client(options)`: an object with the
// k6/http request functions, traced with its own options, plus configure.
// It wraps the un-instrumented k6/http functions, so a Client used together
// with instrumentHTTP never injects twice.
func (mi *ModuleInstance) newClient(call sobek.ConstructorCall) *sobek.Object {
	rt := mi.vu.Runtime()
	obj, err := mi.buildClient(call.Argument(0))
	if err != nil {
		if err = reportUsageError(mi.vu, fmt.Errorf("new Client: %w", err)); err != nil {
			common.Throw(rt, err)
		}
		return rt.NewObject()
	}
	return obj
}

// clientFunctions returns the k6/http functions a Client wraps: those
// this module's instrumentHTTP wrapped, when it ran, so that a request of
// a Client is never traced twice by one module; otherwise the functions as
// they are, which another import path's instrumentHTTP may have replaced.
func (mi *ModuleInstance) clientFunctions() (httpFunctions, error) {
	if mi.instrumented != nil {
		return mi.belowInstrumented, nil
	}
	http, err := mi.httpModule()
	if err != nil {
		return httpFunctions{}, err
	}
	return http.current(mi.vu.Runtime())
}

func (mi *ModuleInstance) buildClient(options sobek.Value) (*sobek.Object, error) {
	opts, err := decodeOptions(options, mi.defaults)
	if err != nil {
		return nil, err
	}
	below, err := mi.clientFunctions()
	if err != nil {
		return nil, err
	}
	t := mi.newTracer(opts)
	rt := mi.vu.Runtime()
	obj := rt.NewObject()
	if err := below.traced(t, obj); err != nil {
		return nil, err
	}
	if err := obj.Set("startSpan", t.startSpan); err != nil {
		return nil, err
	}
	if err := obj.Set("withSpan", t.withSpan); err != nil {
		return nil, err
	}
	err = obj.Set("configure", func(options sobek.Value) error {
		opts, err := decodeOptions(options, mi.defaults)
		if err != nil {
			return reportUsageError(mi.vu, fmt.Errorf("Client.configure: %w", err))
		}
		t.configure(opts)
		mi.followIterations(opts)
		return nil
	})
	return obj, err
}
