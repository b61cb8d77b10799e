package tracing

import (
	"fmt"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// ImportPath is the module's JS import path.
const ImportPath = "k6/x/tracing"

// PyroscopeImportPath is the drop-in for the http-instrumentation-pyroscope
// library: the same module whose options default to the k6 baggage
// members and no trace headers, as that library sent.
const PyroscopeImportPath = "k6/x/tracing/pyroscope"

// RootModule is the module as registered with k6: one per import path
// and test process, shared by all VUs. It owns the process's state.
type RootModule struct {
	pyroscope bool
	proc      *process
}

// ModuleInstance is the module as one VU sees it: the JS surface over the
// VU's state, its option defaults, its k6/http, and the tracers it made
// for the module's own functions.
type ModuleInstance struct {
	proc     *process
	vu       *vuState
	defaults options.Defaults
	http     *httpModule
	httpErr  error          // why k6/http could not be loaded in the init context
	k6Group  sobek.Callable // k6's group, for tracing.group
	// instrumented is instrumentHTTP's tracer, once called, and
	// belowInstrumented the functions it wrapped.
	instrumented      *tracer
	belowInstrumented httpFunctions
	// grpcInstrumented is instrumentGRPC's tracer, once called, and grpc
	// the VU's k6/net/grpc, once loaded (see loadGRPC).
	grpcInstrumented *tracer
	grpc             *grpcModule
	// wsTracer is instrumentWebSockets' tracer, once called, and
	// k6WebSocket k6/websockets' constructor, which tracing.WebSocket
	// calls.
	wsTracer    *tracer
	k6WebSocket goConstructor
	spanTracer  *tracer // startSpan's and withSpan's without instrumentHTTP
}

var (
	_ modules.Module   = &RootModule{}
	_ modules.Instance = &ModuleInstance{}
)

// New returns the root module to register with k6 as [ImportPath].
func New() *RootModule {
	return &RootModule{proc: newProcess()}
}

// NewPyroscope returns the root module to register as [PyroscopeImportPath].
func NewPyroscope() *RootModule {
	return &RootModule{pyroscope: true, proc: newProcess()}
}

// NewModuleInstance returns the module instance of one VU. It runs in the
// init context, where the environment is readable: whether this is a cloud
// run, and OTEL_PROPAGATORS.
func (r *RootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	var lookupEnv func(string) (string, bool)
	var scriptEnv map[string]string
	if env := vu.InitEnv(); env != nil && env.TestPreInitState != nil {
		lookupEnv, scriptEnv = env.LookupEnv, env.RuntimeOptions.Env
	}
	hookK6Tracing(vu.InitEnv())
	r.proc.runInfoFor(scriptEnv)
	mi := &ModuleInstance{
		proc: r.proc,
		vu: &vuState{
			VU:       vu,
			ids:      newIDSource(traceIDCode(lookupEnv, scriptEnv)),
			link:     vuLinkOf(vu.Runtime()),
			requests: r.proc.report.requestCounter(),
		},
		defaults: options.FromEnv(lookupEnv, scriptEnv),
	}
	if r.pyroscope {
		mi.defaults = mi.defaults.Pyroscope()
	}
	mi.loadModules()
	return mi
}

// Exports lists the JS names of the module; the default export is an
// object with the same names, as k6 builds it from the named exports.
func (mi *ModuleInstance) Exports() modules.Exports {
	return modules.Exports{
		Named: map[string]any{
			"instrumentHTTP":       mi.instrumentHTTP,
			"instrumentBrowser":    mi.instrumentBrowser,
			"instrumentGRPC":       mi.instrumentGRPC,
			"instrumentWebSockets": mi.instrumentWebSockets,
			"WebSocket":            mi.newWebSocket,
			"Client":               mi.newClient,
			"headers":              mi.headers,
			"traceparent":          mi.traceparentHelpers(),
			"tracestate":           tracestateHelpers(mi.vu),
			"baggage":              baggageHelpers(mi.vu),
			"startSpan":            mi.startSpan,
			"withSpan":             mi.withSpan,
			"group":                mi.group,
			"traceReport":          mi.traceReport,
		},
	}
}

// loadModules loads this VU's k6/http, and k6's group, as the module is
// imported: require() exists only in the init context, and loading them
// there, once per VU, lets clients be created anywhere. k6's module is a
// module namespace, which cannot be patched as k6/http's exports are,
// hence tracing.group beside k6's rather than k6's replaced; without it
// (a runtime without the k6 module) tracing.group says so.
func (mi *ModuleInstance) loadModules() {
	if mi.vu.State() != nil {
		mi.httpErr = fmt.Errorf("%w: the module was loaded outside the init context", ErrInitContextOnly)
		return
	}
	mi.http, mi.httpErr = loadHTTPModule(mi.vu.Runtime())
	if exports, err := jsvalue.Require(mi.vu.Runtime(), "k6"); err == nil {
		mi.k6Group, _ = sobek.AssertFunction(exports.Get("group"))
	}
}
