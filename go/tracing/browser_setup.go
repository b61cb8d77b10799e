package tracing

import (
	"fmt"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// pageSetupAttempts is how many times instrumentBrowser asks the page to
// route its requests (or, in static mode, to set its extra headers) before
// it gives up.
//
// Why more than once: k6 v2.2's CDP session can fail a command Chromium
// carried out. Session.Execute cancels its own context as it hands the
// reply over, and the select waiting for the reply may take either; on a
// loaded machine page.route then rejects with "context canceled". A
// rejected page.route has registered nothing (k6 adds the route only after
// the command succeeds), and setting the same headers again changes
// nothing, so asking again is safe.
const pageSetupAttempts = 3

// setUp asks the page for what the mode needs: page.route of the empty
// pattern (every URL) with onRoute, or page.setExtraHTTPHeaders. It calls
// done once the page did it, or failed once every attempt failed while the
// iteration went on. A synchronous error of the first attempt is returned
// instead: the script's call was wrong, and asking again would not change
// that.
func (p *pageTracer) setUp(attempt int, done func(), failed func(error)) error {
	method, pending, err := p.askPage()
	if err != nil {
		return err
	}
	jsvalue.Observe(p.vu.Runtime(), pending, func(fulfilled bool, reason sobek.Value) {
		if fulfilled {
			done()
			return
		}
		if attempt < pageSetupAttempts && p.vu.Context().Err() == nil {
			if err := p.setUp(attempt+1, done, failed); err != nil {
				failed(fmt.Errorf("instrumentBrowser: page.%s: %w", method, err))
			}
			return
		}
		failed(fmt.Errorf("instrumentBrowser: page.%s failed (attempt %d of at most %d): %s",
			method, attempt, pageSetupAttempts, reason.String()))
	})
	return nil
}

// askPage makes the page call of the mode and returns the method's name
// and what it returned.
func (p *pageTracer) askPage() (string, sobek.Value, error) {
	rt := p.vu.Runtime()
	switch p.opts.Mode {
	case options.ModeStatic:
		v, err := jsvalue.CallMethod(p.page, "setExtraHTTPHeaders", p.staticHeaders())
		return "setExtraHTTPHeaders", v, err
	case options.ModeFetch:
		v, err := p.addFetchScript()
		return "context().addInitScript", v, err
	}
	v, err := jsvalue.CallMethod(p.page, "route", rt.ToValue(""), rt.ToValue(p.onRoute))
	return "route", v, err
}
