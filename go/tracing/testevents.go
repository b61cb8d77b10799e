package tracing

// k6 announces the end of the test to extensions through the VU's global
// event subscriber. Its event types live in go.k6.io/k6/v2/internal/event,
// which an extension cannot import, so they are named here by value; the
// untyped constants convert to k6's type where Subscribe takes them.
// TestEventNumbers fails if k6 renumbers them.
const (
	eventTestEnd = 3 // event.TestEnd: the test's iterations are over
	eventExit    = 6 // event.Exit: the k6 process is about to exit
)
