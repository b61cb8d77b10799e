package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// instrumentHTTP replaces the request functions of this VU's k6/http
// exports with traced ones. Default imports, named imports (k6 resolves
// them from the same exports object on each access), require() and modules
// imported by the script all see the replacement.
func (mi *ModuleInstance) instrumentHTTP(options sobek.Value) error {
	return reportUsageError(mi.vu, mi.instrument(options))
}

func (mi *ModuleInstance) instrument(options sobek.Value) error {
	if mi.vu.State() != nil {
		return fmt.Errorf("instrumentHTTP: %w: call it at the top level of the script, "+
			"outside the default function and the lifecycle functions", ErrInitContextOnly)
	}
	if mi.instrumented != nil {
		return fmt.Errorf("instrumentHTTP: %w: it can be called only once; "+
			"to trace some requests with other options, create a tracing.Client({ ... }) "+
			"and send them with its methods", ErrAlreadyInstrumented)
	}
	opts, err := decodeOptions(options, mi.defaults)
	if err != nil {
		return fmt.Errorf("instrumentHTTP: %w", err)
	}
	http, err := mi.httpModule()
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
