package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// instrumentHTTP replaces the request functions of this VU's k6/http
// exports with traced ones. Default imports, named imports (k6 resolves
// them from the same exports object on each access), require() and modules
// imported by the script all see the replacement.
func (mi *ModuleInstance) instrumentHTTP(arg sobek.Value) error {
	return reportUsageError(mi.vu, mi.instrument(arg))
}

func (mi *ModuleInstance) instrument(arg sobek.Value) error {
	if mi.vu.State() != nil {
		return fmt.Errorf("instrumentHTTP: %w: call it at the top level of the script, "+
			"outside the default function and the lifecycle functions", ErrInitContextOnly)
	}
	if mi.instrumented != nil {
		return fmt.Errorf("instrumentHTTP: %w: it can be called only once; "+
			"to trace some requests with other options, create a tracing.Client({ ... }) "+
			"and send them with its methods", ErrAlreadyInstrumented)
	}
	opts, err := options.DecodeHTTP(arg, mi.defaults)
	if err != nil {
		return fmt.Errorf("instrumentHTTP: %w", err)
	}
	http, err := mi.http, mi.httpErr
	if err != nil {
		return fmt.Errorf("instrumentHTTP: %w", err)
	}
	// The functions as they are now, so that an instrumentHTTP of the
	// other import path that ran before stays a layer below this one.
	below, err := http.current(mi.vu.Runtime())
	if err != nil {
		return fmt.Errorf("instrumentHTTP: %w", err)
	}
	t := mi.newTracer(opts)
	if err := below.traced(t, http.exports); err != nil {
		return fmt.Errorf("instrumentHTTP: %w: %w", ErrHTTPModule, err)
	}
	mi.instrumented, mi.belowInstrumented = t, below
	return nil
}

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
	http, err := mi.http, mi.httpErr
	if err != nil {
		return httpFunctions{}, err
	}
	return http.current(mi.vu.Runtime())
}

func (mi *ModuleInstance) buildClient(arg sobek.Value) (*sobek.Object, error) {
	opts, err := options.DecodeHTTP(arg, mi.defaults)
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
	if err := obj.Set("grpcClient", mi.clientGRPC(t)); err != nil {
		return nil, err
	}
	err = obj.Set("configure", func(arg sobek.Value) error {
		opts, err := options.DecodeHTTP(arg, mi.defaults)
		if err != nil {
			return reportUsageError(mi.vu, fmt.Errorf("Client.configure: %w", err))
		}
		t.configure(opts)
		return nil
	})
	return obj, err
}
