package tracing

import (
	_ "embed" // the init script
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/grafana/sobek"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// Fetch mode traces the page's fetch and XHR calls from inside the page,
// as OpenTelemetry JS does: an init script (browserContext.addInitScript)
// wraps them before the page's own scripts run. There is no interception,
// so no request waits for the VU and Chromium keeps its cache; documents
// and sub-resources carry no headers. With spans, each call's CLIENT span
// is recorded from the page's request events (browser_spans.go), with the
// span id its headers carried.
//
// k6 runs a context's init scripts in every page of the browser, oldest
// first, and a page cannot tell which instrumentBrowser call it belongs
// to: a document's calls take the configuration of the page instrumented
// last. One page after another is traced right; under traceScope
// "iteration" every page of the iteration has the same trace, so two
// open at once are too; under "page", two open at once would share the
// newest one's trace, which instrumentBrowser refuses (claimFetchPage).

//go:embed browser_fetch.js
var fetchScript string

// templateSpanID stands for the span id in the header templates the
// script fills in: its hex digits and its decimal value are unlikely to
// appear in a header by chance.
var templateSpanID = trace.SpanID{0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10}

// Placeholders of the span id in the templates, as the script knows them.
const (
	hexPlaceholder = "\x00h"
	decPlaceholder = "\x00d"
)

// fetchConfig is what the init script is given.
type fetchConfig struct {
	Headers [][2]string `json:"headers"` // name (lower case) and value templates
	Names   []string    `json:"names"`   // the context headers of the formats: a call with one is the page's own
	options.PageRules
}

// fetchInitScript returns the init script of the page: the headers of its
// trace with a placeholder span id, in every configured format, and which
// URLs may receive them.
func (p *pageTracer) fetchInitScript() (string, error) {
	cfg := fetchConfig{
		Headers:   headerTemplates(p.tracer.opts.Propagator, p.root, p.tracer.requestBaggage(nil, nil)),
		Names:     contextFields(p.tracer.opts.Propagator),
		PageRules: p.opts.PropagateTo.PageRules(),
	}
	js, err := json.Marshal(cfg)
	if err != nil {
		return "", fmt.Errorf("encoding the fetch mode script: %w", err)
	}
	return fetchScript + "(" + string(js) + ");", nil
}

// headerTemplates returns the headers a span of ctx's trace carries, with
// its span id replaced by placeholders, sorted by name.
func headerTemplates(prop propagation.Propagator, ctx propagation.Context, bag *propagation.Baggage) [][2]string {
	ctx.SpanID = templateSpanID
	carrier := propagation.MapCarrier{}
	prop.Inject(ctx, bag, carrier)
	hex := templateSpanID.String()
	dec := strconv.FormatUint(binary.BigEndian.Uint64(templateSpanID[:]), 10)
	out := make([][2]string, 0, len(carrier))
	for name, value := range carrier {
		value = strings.ReplaceAll(value, hex, hexPlaceholder)
		value = strings.ReplaceAll(value, dec, decPlaceholder)
		out = append(out, [2]string{strings.ToLower(name), value})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// contextFields returns the lower-case header names that carry a trace
// context in prop's formats: a call that has one is the page's own.
func contextFields(prop propagation.Propagator) []string {
	var names []string
	for _, f := range prop.Formats() {
		if f == propagation.W3CBaggage {
			continue
		}
		for _, field := range f.Fields() {
			names = append(names, strings.ToLower(field))
		}
	}
	return names
}

// addFetchScript adds the page's init script to its browser context.
func (p *pageTracer) addFetchScript() (sobek.Value, error) {
	script, err := p.fetchInitScript()
	if err != nil {
		return nil, err
	}
	return p.addInitScript(script)
}

// retireFetchScript adds, as the page closes, the script that leaves the
// calls of later documents alone: without it the closed page's script
// would trace every page the browser opens after it. A failure is no
// matter to the page that closes; it is logged once.
func (p *pageTracer) retireFetchScript() {
	pending, err := p.addInitScript(fetchScript + "(null);")
	if err != nil {
		p.warnSpanOnce(fmt.Errorf("retiring the fetch mode script: %w", err))
		return
	}
	jsvalue.Observe(p.vu.Runtime(), pending, func(fulfilled bool, reason sobek.Value) {
		if !fulfilled {
			p.warnSpanOnce(fmt.Errorf("retiring the fetch mode script: %s", reason.String()))
		}
	})
}

// addInitScript adds script to the page's browser context.
func (p *pageTracer) addInitScript(script string) (sobek.Value, error) {
	ctxObj, err := jsvalue.CallMethod(p.page, "context")
	if err != nil {
		return nil, err
	}
	browserContext, ok := ctxObj.(*sobek.Object)
	if !ok || !jsvalue.HasMethods(browserContext, "addInitScript") {
		return nil, fmt.Errorf("%w: page.context() returned %s, not a BrowserContext with addInitScript",
			ErrInvalidArgument, jsvalue.Describe(ctxObj))
	}
	return jsvalue.CallMethod(browserContext, "addInitScript", p.vu.Runtime().ToValue(script))
}

// fetchContext returns the span a fetch-mode call's headers carried, if
// they carry one of the page's trace.
func (p *pageTracer) fetchContext(req *sobek.Object) (propagation.Context, bool) {
	v, err := jsvalue.CallMethod(req, "headers")
	if err != nil {
		return propagation.Context{}, false
	}
	obj, ok := v.(*sobek.Object)
	if !ok {
		return propagation.Context{}, false
	}
	carrier := propagation.MapCarrier{}
	for _, name := range obj.Keys() {
		if p.tracer.isOurHeader(name) {
			carrier[name] = obj.Get(name).String()
		}
	}
	ctx, found, _ := p.tracer.opts.Propagator.Extract(carrier)
	if found != propagation.Valid || ctx.TraceID != p.root.TraceID {
		return propagation.Context{}, false
	}
	return ctx, true
}

// claimFetchPage refuses a page in fetch mode with a trace of its own
// while another such page of the VU is open in the same iteration: a
// document's calls take the newest page's configuration, so the other
// page's new documents would be traced in this page's trace. One page
// after another (closed with page.close()) is fine.
func (v *vuState) claimFetchPage(opts options.Browser) error {
	if opts.Mode != options.ModeFetch || opts.TraceScope == options.ScopeIteration {
		return nil
	}
	iteration := iterationOf(v)
	if open := v.fetchPage; open.valid && open.iteration == iteration && !open.closed.Load() {
		return fmt.Errorf("%w: mode \"fetch\" with a trace per page takes one open page at a time: "+
			"k6 runs a context's init scripts in every page of the browser, so the pages' calls would share "+
			"the newest page's trace; allowed: page.close() the other page first, traceScope \"iteration\" "+
			"(one trace for the iteration's pages), or mode \"route\" for one of them", ErrInvalidArgument)
	}
	v.fetchPage = fetchPageClaim{valid: true, iteration: iteration, closed: &atomic.Bool{}}
	return nil
}

// fetchPageClaim is the VU's open page in fetch mode with a trace of its
// own: its iteration, and whether page.close() closed it.
type fetchPageClaim struct {
	valid     bool
	iteration int64
	closed    *atomic.Bool
}
