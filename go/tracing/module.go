package tracing

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/grafana/sobek"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// ImportPath is the module's JS import path.
const ImportPath = "k6/x/tracing"

// PyroscopeImportPath is the drop-in for the http-instrumentation-pyroscope
// library: the same module whose options default to the k6 baggage
// members and no trace headers, as that library sent.
const PyroscopeImportPath = "k6/x/tracing/pyroscope"

// RootModule is the module as registered with k6: one per test process,
// shared by all VUs.
type RootModule struct {
	pyroscope bool
	runOnce   sync.Once
	run       *runInfo
	exporters exporters
	report    *traceReport
}

// ModuleInstance is the module as one VU sees it: its runtime, its random
// source and its copy of k6/http.
type ModuleInstance struct {
	vu           modules.VU
	src          *rand.ChaCha8
	code         int64
	defaults     defaults
	run          *runInfo
	exporters    *exporters
	http         *httpModule
	httpErr      error   // why k6/http could not be loaded in the init context
	instrumented *tracer // instrumentHTTP's, once called
	// belowInstrumented are the functions instrumentHTTP wrapped.
	belowInstrumented httpFunctions
	link              *vuLink    // shared with the VU's other module instance
	genLock           sync.Mutex // guards src, through every generator
	scope             vuScope    // the iteration trace and the active spans
	helpers           vuHelpers
	spanTracer        *tracer        // startSpan's and withSpan's without instrumentHTTP
	iterEvents        bool           // subscribed to the VU's iteration events
	k6Group           sobek.Callable // k6's group, for tracing.group
	report            *traceReport
	requests          *atomic.Int64 // the VU's instrumented requests, for the report
}

var (
	_ modules.Module   = &RootModule{}
	_ modules.Instance = &ModuleInstance{}
)

// New returns the root module to register with k6 as [ImportPath].
func New() *RootModule {
	return &RootModule{report: newTraceReport(reportLimit)}
}

// NewPyroscope returns the root module to register as [PyroscopeImportPath].
func NewPyroscope() *RootModule {
	return &RootModule{pyroscope: true, report: newTraceReport(reportLimit)}
}

// NewModuleInstance returns the module instance of one VU. It runs in the
// init context, where the environment is readable: whether this is a cloud
// run, and OTEL_PROPAGATORS.
func (r *RootModule) NewModuleInstance(vu modules.VU) modules.Instance {
	mi := &ModuleInstance{vu: vu, src: propagation.NewSource(), code: propagation.LocalCode, link: vuLinkOf(vu.Runtime())}
	var lookupEnv func(string) (string, bool)
	var scriptEnv map[string]string
	if env := vu.InitEnv(); env != nil && env.TestPreInitState != nil {
		lookupEnv, scriptEnv = env.LookupEnv, env.RuntimeOptions.Env
	}
	mi.code = originCode(lookupEnv, scriptEnv)
	r.runOnce.Do(func() { r.run = newRunInfo(scriptEnv) })
	mi.run = r.run
	mi.exporters = &r.exporters
	mi.report, mi.requests = r.report, r.report.requestCounter()
	mi.defaults = envDefaults(lookupEnv, scriptEnv)
	if r.pyroscope {
		// The pyroscope library sent baggage only, whatever OTEL_PROPAGATORS says.
		mi.defaults.Propagator = propagation.NewPropagator(propagation.None)
		mi.defaults.envErr = nil
		mi.defaults.K6Baggage = true
		mi.defaults.headerFuncs = true
	}
	mi.loadHTTP()
	return mi
}

// Exports lists the JS names of the module; the default export is an
// object with the same names, as k6 builds it from the named exports.
func (mi *ModuleInstance) Exports() modules.Exports {
	return modules.Exports{
		Named: map[string]any{
			"instrumentHTTP":    mi.instrumentHTTP,
			"instrumentBrowser": mi.instrumentBrowser,
			"Client":            mi.newClient,
			"headers":           mi.headers,
			"traceparent":       mi.traceparentHelpers(),
			"tracestate":        tracestateHelpers(mi.vu),
			"baggage":           baggageHelpers(mi.vu),
			"startSpan":         mi.startSpan,
			"withSpan":          mi.withSpan,
			"group":             mi.group,
			"traceReport":       mi.traceReport,
		},
	}
}

// newTracer returns a tracer with its own sampler over the VU's source.
func (mi *ModuleInstance) newTracer(opts Options) *tracer {
	t := &tracer{
		vu:      mi.vu,
		gen:     propagation.NewGenerator(mi.src, mi.code, propagation.NewSampler(opts.Sampling)),
		genLock: &mi.genLock,
		link:    mi.link,
		run:     mi.run,
		export:  mi.exporters,
		scope:   &mi.scope,
		helpers: &mi.helpers,

		traceReport: mi.report,
		requests:    mi.requests,
	}
	t.configure(opts)
	mi.followIterations(opts)
	return t
}

// loadHTTP loads this VU's k6/http, and k6's group, as the module is
// imported: require() exists only in the init context, and loading them
// there, once per VU, lets clients be created anywhere.
func (mi *ModuleInstance) loadHTTP() {
	if mi.vu.State() != nil {
		mi.httpErr = fmt.Errorf("%w: the module was loaded outside the init context", ErrInitContextOnly)
		return
	}
	mi.http, mi.httpErr = loadHTTPModule(mi.vu.Runtime())
	mi.loadGroup()
}

// httpModule returns this VU's k6/http, or why it could not be loaded.
func (mi *ModuleInstance) httpModule() (*httpModule, error) {
	return mi.http, mi.httpErr
}
