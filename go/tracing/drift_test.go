package tracing

import (
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modules"
	k6http "go.k6.io/k6/v2/js/modules/k6/http"
	"go.k6.io/k6/v2/js/modulestest"
)

// The tests of this file fail when the JS names the Go module exports and
// the names types/index.d.ts declares drift apart: the module's named and
// default exports, the members of its exported objects, of the Client
// class, and of the objects its functions return.

const declarationsPath = "../../types/index.d.ts"

// declaredObjects are the declared interfaces of objects the module
// returns, each with a JS expression, run in VU code, that gets one.
var declaredObjects = []struct{ iface, expr string }{
	{"Traceparent", `tracing.traceparent.make()`},
	{"MemberList", `tracing.tracestate.make({ k6: "v" })`},
	{"MemberList", `tracing.baggage.make({ k: "v" })`},
	{"Span", `tracing.startSpan("drift")`},
	{"PageTracing", `pageTracing`}, // what instrumentBrowser resolved to
	{"TraceReport", `explained`},
	{"TraceReportEntry", `explained.slowest[0]`},
	{"TraceExplanation", `explained.explanation`},
	{"ExplainedRequest", `explained.explanation.requests[0]`},
	{"ExplanationSummary", `explained.explanation.summaries[0]`},
}

func TestExportsMatchDeclarations(t *testing.T) {
	t.Parallel()
	decls := readDeclarations(t)
	for _, m := range []struct {
		path string
		root modules.Module
	}{{ImportPath, New()}, {PyroscopeImportPath, NewPyroscope()}} {
		t.Run(m.path, func(t *testing.T) {
			t.Parallel()
			d, ok := decls[m.path]
			require.True(t, ok, "%s declares no module %q", declarationsPath, m.path)
			rt := newDriftRuntime(t)
			exports := m.root.NewModuleInstance(rt.VU).Exports()
			named := mapKeys(exports.Named)
			requireSameNames(t, m.path+" named exports", named, d.names)
			def := named // k6 makes the default export of the named ones
			if exports.Default != nil {
				def = rt.VU.Runtime().ToValue(exports.Default).ToObject(rt.VU.Runtime()).Keys()
			}
			requireSameNames(t, m.path+" default export", def, d.defaults)

			js := rt.VU.Runtime()
			_, err := js.RunString(fmt.Sprintf(`const tracing = require(%q);`, m.path))
			require.NoError(t, err)
			for _, name := range sortedKeys(d.objects) {
				if !slices.Contains(named, name) {
					continue // reported above
				}
				requireSameNames(t, fmt.Sprintf("%s %s members", m.path, name),
					memberNames(t, js, "tracing."+name), d.objects[name])
			}
			for _, name := range sortedKeys(d.classes) {
				if !slices.Contains(named, name) {
					continue
				}
				requireSameNames(t, fmt.Sprintf("%s new %s() members", m.path, name),
					memberNames(t, js, fmt.Sprintf("new tracing[%q]()", name)), d.classes[name])
			}
		})
	}
}

// TestReturnedObjectsMatchDeclarations compares the objects the module
// returns with the interfaces that declare them.
func TestReturnedObjectsMatchDeclarations(t *testing.T) {
	t.Parallel()
	d := readDeclarations(t)[ImportPath]
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing"); const http = require("k6/http"); tracing.instrumentHTTP();`)
	h.toVU()
	h.mustRun(`http.get(BASE + "/")`) // an entry of the trace report
	// A backend that has no trace: an explanation with every member but
	// the waterfall's, which the TS facade's tests check.
	h.mustRun(`var explained = tracing.traceReport({ backend: { url: BASE + "/none", timeout: "300ms" } });`)
	_, err := h.runtime.RunOnEventLoop(fmt.Sprintf(`var pageTracing;
		tracing.instrumentBrowser(%s).then((p) => { pageTracing = p; });`, stubPage))
	require.NoError(t, err)
	for _, o := range declaredObjects {
		members, ok := d.interfaces[o.iface]
		if !ok {
			t.Errorf("%s declares no interface %s in %q, which %s returns", declarationsPath, o.iface, ImportPath, o.expr)
			continue
		}
		requireSameNames(t, fmt.Sprintf("%s (%s) members", o.iface, o.expr),
			memberNames(t, h.runtime.VU.Runtime(), o.expr), members)
	}
}

// TestDeclarationParser checks the reader of the .d.ts on the forms it
// must handle, so that a drift test that passes means something.
func TestDeclarationParser(t *testing.T) {
	t.Parallel()
	const src = `
/** a { brace in a comment, and "export function commented()" */
declare module "m" {
  import other from "o";
  // export const lineComment: number;
  export type T = "a" | "b";
  export interface I { notExported(): void; readonly size: number; get: (k: string) => string; }
  export function f(a: { x: number }): void;
  export function f(a: string): void;
  export function g<T>(
    a: T,
    b: T,
  ): T;
  export const o: {
    parse(value: string): I | null;
    make(members?: Record<string, string> | null): I;
    readonly label?: string;
  };
  export const inline: { a(): void; b: number, c?(x: "}"): void };
  export class C {
    constructor(options?: { a: 1 } | null);
    static create(): C;
    method(): void;
    prop: typeof f;
  }
  export class D extends C {
    constructor(options?: string);
    own(): void;
  }
  export let l: number;
  export var v: number;
  export { f as renamed, type T as TypeOnly };
  export * as ns from "n";
  const def: { f: typeof f; o: typeof o };
  export default def;
}
declare module "p" {
  export * from "m";
  export default other;
  import other from "m";
}
declare module "q" {
  import other, { I } from "m";
  export const o: typeof other.o;
  export const C: typeof other.C;
  export const f: typeof other.f;
  export class E extends other.C {
    extra(): I;
  }
  const q: typeof other;
  export default q;
}
`
	decls := parseDeclarations(src)
	m := decls["m"]
	require.ElementsMatch(t, []string{"f", "g", "o", "inline", "C", "D", "l", "v", "renamed", "ns"}, m.names)
	require.ElementsMatch(t, []string{"f", "o"}, m.defaults)
	require.ElementsMatch(t, []string{"parse", "make", "label"}, m.objects["o"])
	require.ElementsMatch(t, []string{"a", "b", "c"}, m.objects["inline"])
	require.ElementsMatch(t, []string{"method", "prop"}, m.classes["C"])
	require.ElementsMatch(t, []string{"own", "method", "prop"}, m.classes["D"], "a class has the members of the one it extends")
	require.ElementsMatch(t, []string{"notExported", "size", "get"}, m.interfaces["I"])
	p := decls["p"]
	require.ElementsMatch(t, m.names, p.names, "export * re-exports the named exports")
	require.ElementsMatch(t, []string{"f", "o"}, p.defaults, "a default export imported from another module")
	q := decls["q"]
	require.ElementsMatch(t, []string{"o", "C", "f", "E"}, q.names)
	require.ElementsMatch(t, []string{"extra", "method", "prop"}, q.classes["E"], "a class extending an imported one")
	require.ElementsMatch(t, []string{"f", "o"}, q.defaults, "a default export typed as another module's")
	require.ElementsMatch(t, []string{"parse", "make", "label"}, q.objects["o"], "typeof an imported object")
	require.ElementsMatch(t, []string{"method", "prop"}, q.classes["C"], "typeof an imported class")
	require.NotContains(t, q.objects, "f", "typeof a function is no object")
	for path, d := range decls {
		require.Empty(t, d.problems, path)
	}
}

func readDeclarations(t *testing.T) map[string]*declaredModule {
	t.Helper()
	src, err := os.ReadFile(declarationsPath)
	require.NoError(t, err)
	decls := parseDeclarations(string(src))
	for path, d := range decls {
		require.Empty(t, d.problems, "%s, module %q", declarationsPath, path)
	}
	return decls
}

// newDriftRuntime is a VU in the init context with k6/http and both
// entry points of the module.
func newDriftRuntime(t *testing.T) *modulestest.Runtime {
	t.Helper()
	rt := modulestest.NewRuntime(t)
	require.NoError(t, rt.SetupModuleSystem(map[string]any{
		"k6/http":           k6http.New(),
		ImportPath:          New(),
		PyroscopeImportPath: NewPyroscope(),
	}, nil, nil))
	return rt
}

// memberNames returns the own property names of the object expr gives.
func memberNames(t *testing.T, rt *sobek.Runtime, expr string) []string {
	t.Helper()
	v, err := rt.RunString(fmt.Sprintf(`Object.getOwnPropertyNames(%s)`, expr))
	require.NoError(t, err, expr)
	var names []string
	require.NoError(t, rt.ExportTo(v, &names))
	return names
}

// requireSameNames reports, by name, what only one side has.
func requireSameNames(t *testing.T, what string, goNames, declared []string) {
	t.Helper()
	onlyGo, onlyDeclared := difference(goNames, declared), difference(declared, goNames)
	if len(onlyGo) > 0 {
		t.Errorf("%s: the Go module has %q, which %s does not declare", what, onlyGo, declarationsPath)
	}
	if len(onlyDeclared) > 0 {
		t.Errorf("%s: %s declares %q, which the Go module does not have", what, declarationsPath, onlyDeclared)
	}
}

// difference returns the names of a that are not in b, sorted, once each.
func difference(a, b []string) []string {
	var out []string
	for _, n := range a {
		if !slices.Contains(b, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func mapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := mapKeys(m)
	slices.Sort(keys)
	return keys
}
