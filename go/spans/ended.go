package spans

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// endedAttributes is the room an Ended span has for attributes of its own
// without an allocation: an HTTP client span's that are not shared (the
// method, status, error type, name, iteration and group).
const endedAttributes = 6

// sharedSets is how many [SharedAttributes] an Ended span can carry: a
// URL's and a VU's.
const sharedSets = 2

// Ended is a span that is over before it is built: a request k6 has
// already timed. [Provider.Record] hands it to the export queue as the
// read-only span it is. A live SDK span would be started only to
// be ended at once, and its end copies the attributes again and
// deduplicates them through a map: for spans that happened already, that
// is all cost and no use.
type Ended struct {
	Name string
	// Context holds the span's own ids, those its trace headers carried.
	Context trace.SpanContext
	// Parent is the remote or local parent, invalid for a root span.
	Parent     trace.SpanContext
	Kind       trace.SpanKind
	Start, End time.Time
	// Shared are attribute sets this span carries with others, exported
	// before Attributes; nil entries are skipped.
	Shared [sharedSets]*SharedAttributes
	// Attributes are the span's own. Their keys, and the shared sets',
	// must be distinct and valid: they are exported as they are.
	Attributes []attribute.KeyValue
	Status     sdktrace.Status

	inline [endedAttributes]attribute.KeyValue
	view   endedSpan
	pool   *EndedPool // where it goes back once exported, nil for none
}

// recycle empties e, once exported, and gives it back to its pool, if it
// has one.
func (e *Ended) recycle() {
	pool := e.pool
	if pool == nil {
		return
	}
	e.reset()
	pool.put(e)
}

// reset makes e what [EndedPool.Get] returns, of the same pool.
func (e *Ended) reset() {
	clear(e.inline[:]) // let go of the strings; Attributes may be elsewhere
	e.Name, e.Context, e.Parent, e.Kind = "", trace.SpanContext{}, trace.SpanContext{}, 0
	e.Start, e.End, e.Attributes, e.Status = time.Time{}, time.Time{}, e.inline[:0], sdktrace.Status{}
	e.Shared = [sharedSets]*SharedAttributes{}
	e.view = endedSpan{}
}

// recycleEnded recycles the Ended spans of an export that has returned:
// the exporters copy what they send (the SDK's into its protobuf structs,
// ours into its request body) before they return, and the export queue
// lets go of the batch then.
func recycleEnded(spans []sdktrace.ReadOnlySpan) {
	for _, s := range spans {
		recycleSpan(s)
	}
}

// recycleSpan recycles s if it is an Ended span; the queue drops one so.
func recycleSpan(s sdktrace.ReadOnlySpan) {
	if v, ok := s.(*endedSpan); ok {
		v.ended.recycle()
	}
}

// Record queues e for export, as the SDK's tracer would at the end of a
// span, through the same processors: counted, and dropped when the queue
// is full. e must not change afterwards. After [Provider.Shutdown] it is
// ignored, as spans that end after a tracer provider's shutdown are.
func (p *Provider) Record(e *Ended) {
	if p.closed.Load() {
		return
	}
	e.view = endedSpan{ended: e, resource: p.resource}
	p.processor.OnEnd(&e.view)
}

// endedSpan is the read-only span view of an Ended. The SDK's interface
// has an unexported method, which the embedded interface, always nil,
// provides: every method the SDK and its exporters call is defined here,
// which is how the SDK's own tracetest.SpanStub builds read-only spans.
type endedSpan struct {
	sdktrace.ReadOnlySpan

	ended    *Ended
	resource *resource.Resource
}

var _ sdktrace.ReadOnlySpan = (*endedSpan)(nil)

// scope is the instrumentation scope of every span, the one
// [Provider.Tracer] names.
var scope = instrumentation.Scope{Name: InstrumentationName}

func (s *endedSpan) Name() string                   { return s.ended.Name }
func (s *endedSpan) SpanContext() trace.SpanContext { return s.ended.Context }
func (s *endedSpan) Parent() trace.SpanContext      { return s.ended.Parent }
func (s *endedSpan) SpanKind() trace.SpanKind       { return s.ended.Kind }
func (s *endedSpan) StartTime() time.Time           { return s.ended.Start }
func (s *endedSpan) EndTime() time.Time             { return s.ended.End }

// Attributes returns the shared sets' attributes, then the span's own.
// With shared sets it allocates: our encoder does not call it (see
// writeSpanAttributes), the SDK's exporters do.
func (s *endedSpan) Attributes() []attribute.KeyValue {
	e := s.ended
	n := len(e.Attributes)
	for _, set := range e.Shared {
		if set != nil {
			n += len(set.kvs)
		}
	}
	if n == len(e.Attributes) {
		return e.Attributes
	}
	all := make([]attribute.KeyValue, 0, n)
	for _, set := range e.Shared {
		if set != nil {
			all = append(all, set.kvs...)
		}
	}
	return append(all, e.Attributes...)
}
func (s *endedSpan) Links() []sdktrace.Link                      { return nil }
func (s *endedSpan) Events() []sdktrace.Event                    { return nil }
func (s *endedSpan) Status() sdktrace.Status                     { return s.ended.Status }
func (s *endedSpan) InstrumentationScope() instrumentation.Scope { return scope }

//nolint:staticcheck // The SDK's interface still has it.
func (s *endedSpan) InstrumentationLibrary() instrumentation.Library { return scope }
func (s *endedSpan) Resource() *resource.Resource                    { return s.resource }
func (s *endedSpan) DroppedAttributes() int                          { return 0 }
func (s *endedSpan) DroppedLinks() int                               { return 0 }
func (s *endedSpan) DroppedEvents() int                              { return 0 }
func (s *endedSpan) ChildSpanCount() int                             { return 0 }
