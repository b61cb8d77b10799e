package tracing

import (
	"fmt"
	"slices"

	"github.com/grafana/sobek"
)

// BrowserMode is how instrumentBrowser adds trace headers to a page's
// requests.
type BrowserMode int

const (
	// ModeRoute intercepts every request (page.route) and gives each its
	// own span; only allowed origins receive headers.
	ModeRoute BrowserMode = iota
	// ModeStatic sets one set of headers for the whole page
	// (page.setExtraHTTPHeaders): no interception, no cache penalty, one
	// span for every request and every origin.
	ModeStatic
)

// String returns the option value that names the mode.
func (m BrowserMode) String() string {
	if m == ModeStatic {
		return "static"
	}
	return "route"
}

// BrowserOptions configure instrumentBrowser: the HTTP options, plus the
// mode and the origins allowed beyond the page's own. Its traceScope names
// differ: "page" (ScopeOwn) or "iteration".
type BrowserOptions struct {
	Options
	Mode        BrowserMode
	PropagateTo originMatcher
}

// browserOptionNames are the keys instrumentBrowser accepts on top of
// [optionNames].
var browserOptionNames = []string{"mode", "propagateTo", "traceScope"}

// decodeBrowserOptions reads instrumentBrowser's options argument: every
// HTTP option, decoded as for instrumentHTTP, plus the browser ones.
func decodeBrowserOptions(rt *sobek.Runtime, v sobek.Value, def defaults) (BrowserOptions, error) {
	var bopts BrowserOptions
	rest := rt.NewObject()
	if !isNullish(v) {
		obj, ok := plainObject(v)
		if !ok {
			return bopts, fmt.Errorf("%w: %s is not an object; allowed: an object such as "+
				`{ propagator: "w3c", propagateTo: ["https://api.example.com"] }, or nothing for the defaults`,
				ErrInvalidOptions, describe(v))
		}
		for _, key := range obj.Keys() {
			value := obj.Get(key)
			var err error
			switch key {
			case "mode":
				bopts.Mode, err = decodeMode(value)
			case "propagateTo":
				bopts.PropagateTo, err = decodePropagateTo(rt, value)
			case "traceScope":
				var scope TraceScope
				if scope, err = decodePageScope(value); err == nil && scope == ScopeIteration {
					_ = rest.Set(key, "iteration")
				}
			case "spans":
				if off, isBool := value.Export().(bool); isNullish(value) || (isBool && !off) {
					continue // off, as it is anyway
				}
				err = fmt.Errorf(`%w "spans": instrumentBrowser exports no spans yet; allowed: the option `+
					`on instrumentHTTP or a Client`, ErrInvalidOption)
			default:
				if !slices.Contains(optionNames, key) {
					names := slices.DeleteFunc(slices.Clone(optionNames), func(n string) bool {
						return n == "spans" || n == "traceScope" // spans: none; traceScope: among the browser's
					})
					err = unknownOption(key, append(names, browserOptionNames...))
				}
				_ = rest.Set(key, value)
			}
			if err != nil {
				return bopts, err
			}
		}
	}
	opts, err := decodeOptions(rest, def)
	if err != nil {
		return bopts, err
	}
	bopts.Options = opts
	if bopts.Mode == ModeStatic && !bopts.PropagateTo.empty() {
		return bopts, fmt.Errorf(`%w "propagateTo": static mode sends its headers to every origin, `+
			`because page.setExtraHTTPHeaders cannot tell origins apart; allowed: mode "route" with propagateTo, `+
			`or static mode without it`, ErrInvalidOption)
	}
	return bopts, nil
}

// decodeChoice reads an option whose value is one of a few names; null and
// undefined mean the zero value, the default.
func decodeChoice[T any](name string, v sobek.Value, choices map[string]T, what, allowed string) (T, error) {
	var zero T
	if isNullish(v) {
		return zero, nil
	}
	if s, ok := v.Export().(string); ok {
		if c, ok := choices[s]; ok {
			return c, nil
		}
	}
	return zero, fmt.Errorf(`%w %q: %s is not %s; allowed: %s`, ErrInvalidOption, name, describe(v), what, allowed)
}

func decodeMode(v sobek.Value) (BrowserMode, error) {
	return decodeChoice("mode", v, map[string]BrowserMode{"route": ModeRoute, "static": ModeStatic}, "a mode",
		`"route" (a span per request, page.route) or "static" (one span per page, page.setExtraHTTPHeaders)`)
}

func decodePageScope(v sobek.Value) (TraceScope, error) {
	return decodeChoice("traceScope", v, map[string]TraceScope{"page": ScopeOwn, "iteration": ScopeIteration},
		"a trace scope", `"page" (a trace per page) or "iteration" (one trace for the pages of a VU iteration)`)
}
