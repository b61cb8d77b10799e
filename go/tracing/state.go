package tracing

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"go.k6.io/k6/v2/js/modules"
)

// The module's state lives in two places, and every tracer holds a pointer
// to both rather than copies of their fields:
//
//   - process: one per k6 process and import path (k6 makes a root module
//     for each path), owned by the root module and shared by every VU: the
//     test run's identity, the span providers and the trace report. Its parts are safe for concurrent use, each with its own
//     lock or atomics (see runInfo, providers and traceReport).
//   - vuState: one per module instance, that is per VU and import path:
//     the VU, its id source, the link its instances share, its iteration
//     scope. Scripts use it on the VU's goroutine; the exceptions are the
//     id source (the wire injector's redirect hops), the scope (k6's
//     iteration events) and the request counter (the report), each of
//     which says how it is guarded.

// process is what every VU of one k6 process shares.
type process struct {
	runOnce sync.Once
	run     *runInfo // made when the first VU is, from its script environment
	// providers export the spans of every tracer with spans on.
	providers providers
	report    *traceReport
}

func newProcess() *process {
	return &process{report: newTraceReport(reportLimit)}
}

// runInfoFor returns the test run's identity, made from the first VU's
// script environment.
func (p *process) runInfoFor(scriptEnv map[string]string) *runInfo {
	p.runOnce.Do(func() { p.run = newRunInfo(scriptEnv) })
	return p.run
}

// vuState is what the tracers of one module instance share. It embeds
// the VU, so that it serves where k6 asks for one.
type vuState struct {
	modules.VU
	ids *idSource
	// link is shared with the VU's other module instance, the other
	// import path: its wire injector and the call in progress.
	link  *vuLink
	scope vuScope
	// iterEvents is set once the VU follows its iterations (see
	// followIterations).
	iterEvents bool
	// requests counts the VU's instrumented requests, for the report.
	requests *atomic.Int64
	// pages are the VU's pages whose span is open, ended at the latest
	// with the iteration. Pages open on the VU's goroutine; k6's IterEnd
	// handler ends them on another one, hence the lock.
	pagesMu sync.Mutex
	pages   []*pageSpans
	// sessions are the VU's gRPC streams and WebSocket sessions whose
	// span is open, ended at the latest with the iteration, under pagesMu
	// too.
	sessions []session
	// fetchPage is the VU's latest page in fetch mode with a trace of
	// its own, on the VU's goroutine (see claimFetchPage).
	fetchPage fetchPageClaim
}

// openPage adds a page span to end with the iteration.
func (v *vuState) openPage(s *pageSpans) {
	v.subscribeIterations()
	v.pagesMu.Lock()
	defer v.pagesMu.Unlock()
	v.pages = slices.DeleteFunc(v.pages, func(p *pageSpans) bool { return p.isEnded() })
	v.pages = append(v.pages, s)
}

// endPages ends the spans of the VU's open pages: the iteration is over,
// and k6 closes its browser.
func (v *vuState) endPages(at time.Time) {
	v.pagesMu.Lock()
	pages, sessions := v.pages, v.sessions
	v.pages, v.sessions = nil, nil
	v.pagesMu.Unlock()
	for _, p := range pages {
		p.end(at, "the iteration ended", nil)
	}
	for _, s := range sessions {
		s.cut(at)
	}
}

// session is a span that lasts as long as a connection or a stream the
// script opened, which may outlive its iteration when k6 interrupts the
// VU (then no end or close event comes).
type session interface {
	// cut ends the span at at, as an error that says the iteration ended
	// first; nothing when it has ended.
	cut(at time.Time)
	isEnded() bool
}

// openSession adds a session's span to end with the iteration.
func (v *vuState) openSession(s session) {
	v.subscribeIterations()
	v.pagesMu.Lock()
	defer v.pagesMu.Unlock()
	v.sessions = slices.DeleteFunc(v.sessions, session.isEnded)
	v.sessions = append(v.sessions, s)
}
