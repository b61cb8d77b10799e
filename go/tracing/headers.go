package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
)

// headers is tracing.headers(options?): a new object with the headers of a
// new span, for clients instrumentHTTP does not patch (gRPC metadata,
// WebSocket handshakes, k6/experimental/fs uploads...). Without options it
// uses instrumentHTTP's, or the defaults when the script did not call it.
// Names are lower-case, as gRPC metadata requires.
func (mi *ModuleInstance) headers(options sobek.Value) (*sobek.Object, error) {
	t := mi.instrumented
	if t == nil || !isNullish(options) {
		opts, err := decodeOptions(options, mi.defaults)
		if err == nil && opts.Spans != nil {
			err = fmt.Errorf(`%w "spans": headers() sends no request, so it has no span to export; `+
				`allowed: the option on instrumentHTTP or a Client`, ErrInvalidOption)
		}
		if err != nil {
			return nil, reportUsageError(mi.vu, fmt.Errorf("headers: %w", err))
		}
		t = mi.newTracer(opts)
	}
	rt := mi.vu.Runtime()
	out := rt.NewObject()
	mi.genLock.Lock()
	sp := t.newSpan(nil, nil, nil) // no request, so no k6.name member
	mi.genLock.Unlock()
	t.opts.Propagator.Inject(sp.ctx, sp.baggage, objectSetter{out})
	return out, nil
}
