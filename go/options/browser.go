package options

import (
	"slices"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/common"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

// Mode is how instrumentBrowser adds trace headers to a page's requests.
type Mode int

const (
	// ModeRoute intercepts every request (page.route) and gives each its
	// own span; only allowed origins receive headers.
	ModeRoute Mode = iota
	// ModeStatic sets one set of headers for the whole page
	// (page.setExtraHTTPHeaders): no interception, no cache penalty, one
	// span for every request and every origin.
	ModeStatic
	// ModeFetch adds headers to the page's fetch and XHR calls from
	// inside the page (an init script), each with its own span, for the
	// allowed origins: no interception, no cache penalty; documents and
	// sub-resources carry no headers.
	ModeFetch
)

// modeNames are the option values of the modes.
var modeNames = map[string]Mode{"route": ModeRoute, "static": ModeStatic, "fetch": ModeFetch}

// String returns the option value that names the mode.
func (m Mode) String() string {
	for name, mode := range modeNames {
		if mode == m {
			return name
		}
	}
	return "route"
}

// Browser configures instrumentBrowser: the HTTP options, plus the mode
// and the origins allowed beyond the page's own. Its traceScope names
// differ: "page" ([ScopeOwn]) or "iteration".
type Browser struct {
	HTTP
	Mode        Mode
	PropagateTo Origins
}

// allowedModes says what the mode option allows.
const allowedModes = `"route" (a span per request, page.route), "static" (one span per page, page.setExtraHTTPHeaders) ` +
	`or "fetch" (a span per fetch and XHR call, from inside the page)`

// browserNames are the keys instrumentBrowser accepts on top of [Names].
var browserNames = []string{"mode", "propagateTo", "traceScope"}

// DecodeBrowser reads instrumentBrowser's options argument: every HTTP
// option, decoded as for instrumentHTTP, plus the browser ones.
func DecodeBrowser(rt *sobek.Runtime, v sobek.Value, def Defaults) (Browser, error) {
	var opts Browser
	rest := rt.NewObject()
	if !common.IsNullish(v) {
		obj, ok := jsvalue.PlainObject(v)
		if !ok {
			return opts, InvalidOptions(v, `an object such as { propagator: "w3c", propagateTo: ["https://api.example.com"] }, `+
				"or nothing for the defaults")
		}
		for _, key := range obj.Keys() {
			value := obj.Get(key)
			var err error
			switch key {
			case "mode":
				opts.Mode, err = decodeChoice("mode", value, modeNames, "a mode", allowedModes)
			case "propagateTo":
				opts.PropagateTo, err = decodePropagateTo(rt, value)
			case "traceScope":
				var scope Scope
				scope, err = decodeChoice("traceScope", value, map[string]Scope{"page": ScopeOwn, "iteration": ScopeIteration},
					"a trace scope", `"page" (a trace per page) or "iteration" (one trace for the pages of a VU iteration)`)
				if err == nil && scope == ScopeIteration {
					_ = rest.Set(key, "iteration")
				}
			default:
				if !slices.Contains(Names, key) {
					names := slices.DeleteFunc(slices.Clone(Names), func(n string) bool {
						return n == "traceScope" // among the browser's
					})
					err = Unknown(key, append(names, browserNames...))
				}
				_ = rest.Set(key, value)
			}
			if err != nil {
				return opts, err
			}
		}
	}
	http, err := DecodeHTTP(rest, def)
	if err != nil {
		return opts, err
	}
	opts.HTTP = http
	if opts.Mode == ModeStatic && !opts.PropagateTo.Empty() {
		return opts, Invalid("propagateTo", "static mode sends its headers to every origin, "+
			"because page.setExtraHTTPHeaders cannot tell origins apart",
			`mode "route" with propagateTo, or static mode without it`)
	}
	return opts, nil
}
