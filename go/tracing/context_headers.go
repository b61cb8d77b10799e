package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// headers is tracing.headers(options?): a new object with the headers of a
// new span, for clients instrumentHTTP does not patch (gRPC metadata,
// WebSocket handshakes, k6/experimental/fs uploads...). Without options it
// uses instrumentHTTP's, or the defaults when the script did not call it.
// Names are lower-case, as gRPC metadata requires.
func (mi *ModuleInstance) headers(arg sobek.Value) (*sobek.Object, error) {
	t := mi.instrumented
	if t == nil || !common.IsNullish(arg) {
		opts, err := options.DecodeHTTP(arg, mi.defaults)
		if err == nil && opts.Spans != nil {
			err = options.Invalid("spans", "headers() sends no request, so it has no span to export",
				"the option on instrumentHTTP or a Client")
		}
		if err != nil {
			return nil, reportUsageError(mi.vu, fmt.Errorf("headers: %w", err))
		}
		t = mi.newTracer(opts)
	}
	rt := mi.vu.Runtime()
	out := rt.NewObject()
	sp := t.newRequestTrace(nil, nil, nil) // no request, so no k6.name member
	t.opts.Propagator.Inject(sp.ctx, sp.baggage, objectSetter{obj: out})
	return out, nil
}
