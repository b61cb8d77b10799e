package spans

import (
	"math"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Field numbers of the OTLP messages, from opentelemetry-proto's
// collector/trace/v1, trace/v1, resource/v1 and common/v1.
const (
	pbRequestResourceSpans = 1 // ExportTraceServiceRequest

	pbResourceSpansResource   = 1
	pbResourceSpansScopeSpans = 2
	pbResourceSpansSchemaURL  = 3

	pbResourceAttributes = 1

	pbScopeSpansScope     = 1
	pbScopeSpansSpans     = 2
	pbScopeSpansSchemaURL = 3

	pbScopeName       = 1 // InstrumentationScope
	pbScopeVersion    = 2
	pbScopeAttributes = 3

	pbSpanTraceID           = 1
	pbSpanSpanID            = 2
	pbSpanTraceState        = 3
	pbSpanParentSpanID      = 4
	pbSpanName              = 5
	pbSpanKind              = 6
	pbSpanStartTime         = 7
	pbSpanEndTime           = 8
	pbSpanAttributes        = 9
	pbSpanDroppedAttributes = 10
	pbSpanEvents            = 11
	pbSpanDroppedEvents     = 12
	pbSpanLinks             = 13
	pbSpanDroppedLinks      = 14
	pbSpanStatus            = 15
	pbSpanFlags             = 16

	pbStatusMessage = 2
	pbStatusCode    = 3

	pbEventTime              = 1
	pbEventName              = 2
	pbEventAttributes        = 3
	pbEventDroppedAttributes = 4

	pbLinkTraceID           = 1
	pbLinkSpanID            = 2
	pbLinkAttributes        = 4
	pbLinkDroppedAttributes = 5
	pbLinkFlags             = 6

	pbKeyValueKey   = 1
	pbKeyValueValue = 2

	pbAnyString = 1
	pbAnyBool   = 2
	pbAnyInt    = 3
	pbAnyDouble = 4
	pbAnyArray  = 5
	pbAnyBytes  = 7

	pbArrayValues = 1
)

// Span flags beyond the W3C trace flags (SpanFlags in trace/v1): whether
// the parent's remoteness is known, and that it is remote.
const (
	pbFlagHasIsRemote = 0x100
	pbFlagIsRemote    = 0x200
)

// otlpEncoder writes OTLP export requests straight from read-only spans,
// without the SDK's intermediate protobuf structs. Its slices are kept
// from one request to the next, so that, once grown, encoding allocates
// nothing. It is not safe for concurrent use.
type otlpEncoder struct {
	w         wireEncoder
	resources []otlpResource
	scopes    []otlpScope
	// nextSpan links the spans of a scope: the index of the next span of
	// the same scope, or -1.
	nextSpan []int
}

// otlpResource is one ResourceSpans: the spans whose resources have the
// same attributes, as the SDK groups them.
type otlpResource struct {
	// res is the first span's resource, whose schema URL is written;
	// nil for spans without one.
	res                   *resource.Resource
	key                   attribute.Distinct
	firstScope, lastScope int // in scopes, linked by otlpScope.next
}

// otlpScope is one ScopeSpans: the spans of one resource and one
// instrumentation scope.
type otlpScope struct {
	scope               instrumentation.Scope
	firstSpan, lastSpan int
	next                int // the next scope of the same resource, or -1
}

// appendExportRequest appends to buf an OTLP ExportTraceServiceRequest
// holding spans, as the SDK's OTLP exporters would send them: the same
// fields, grouped by resource then by scope, in the order the spans first
// name them. Nil spans are skipped; without any span nothing is appended.
func (e *otlpEncoder) appendExportRequest(buf []byte, spans []sdktrace.ReadOnlySpan) []byte {
	e.group(spans)
	if len(e.resources) == 0 {
		return buf
	}
	e.w.buf = buf
	e.request(spans)
	// The groups point at resources and scopes; a pooled encoder should
	// not keep them alive.
	clear(e.resources)
	clear(e.scopes)
	out := e.w.buf
	e.w.buf = nil
	return out
}

// group files the spans under resources and scopes, as the SDK's
// transform does: resources are told apart by their attributes, scopes
// by all their fields.
func (e *otlpEncoder) group(spans []sdktrace.ReadOnlySpan) {
	e.resources, e.scopes = e.resources[:0], e.scopes[:0]
	if cap(e.nextSpan) < len(spans) {
		e.nextSpan = make([]int, len(spans))
	}
	e.nextSpan = e.nextSpan[:len(spans)]
	var lastRes *resource.Resource
	last := -1
	for i, sd := range spans {
		if sd == nil {
			continue
		}
		res, sc := sd.Resource(), sd.InstrumentationScope()
		// Spans from one tracer provider share a resource, and mostly a
		// scope: most spans skip the lookup.
		if last < 0 || res != lastRes || sc != e.scopes[last].scope {
			last, lastRes = e.scopeOf(res, sc), res
		}
		s := &e.scopes[last]
		e.nextSpan[i] = -1
		if s.firstSpan < 0 {
			s.firstSpan = i
		} else {
			e.nextSpan[s.lastSpan] = i
		}
		s.lastSpan = i
	}
}

// scopeOf returns the index in e.scopes of the group of res and sc,
// adding one if needed. Linear searches suffice: an export has few
// resources and scopes.
func (e *otlpEncoder) scopeOf(res *resource.Resource, sc instrumentation.Scope) int {
	key := res.Equivalent()
	r := 0
	for r < len(e.resources) && e.resources[r].key != key {
		r++
	}
	if r == len(e.resources) {
		e.resources = append(e.resources, otlpResource{res: res, key: key, firstScope: -1, lastScope: -1})
	}
	for s := e.resources[r].firstScope; s >= 0; s = e.scopes[s].next {
		if e.scopes[s].scope == sc {
			return s
		}
	}
	s := len(e.scopes)
	e.scopes = append(e.scopes, otlpScope{scope: sc, firstSpan: -1, lastSpan: -1, next: -1})
	rg := &e.resources[r]
	if rg.firstScope < 0 {
		rg.firstScope = s
	} else {
		e.scopes[rg.lastScope].next = s
	}
	rg.lastScope = s
	return s
}

// request writes the request of the grouped spans, in either pass.
func (e *otlpEncoder) request(spans []sdktrace.ReadOnlySpan) {
	w := &e.w
	for _, r := range e.resources {
		rs := w.begin(pbRequestResourceSpans)
		if r.res != nil {
			m := w.begin(pbResourceSpansResource)
			for it := r.res.Iter(); it.Next(); {
				writeKeyValue(w, pbResourceAttributes, it.Attribute())
			}
			w.end(m)
		}
		for s := r.firstScope; s >= 0; s = e.scopes[s].next {
			e.scopeSpans(&e.scopes[s], spans)
		}
		w.stringField(pbResourceSpansSchemaURL, r.res.SchemaURL())
		w.end(rs)
	}
}

// scopeSpans writes a ScopeSpans, in either pass.
func (e *otlpEncoder) scopeSpans(s *otlpScope, spans []sdktrace.ReadOnlySpan) {
	w := &e.w
	ss := w.begin(pbResourceSpansScopeSpans)
	// The SDK leaves the zero scope out.
	if s.scope != (instrumentation.Scope{}) {
		m := w.begin(pbScopeSpansScope)
		w.stringField(pbScopeName, s.scope.Name)
		w.stringField(pbScopeVersion, s.scope.Version)
		for it := s.scope.Attributes.Iter(); it.Next(); {
			writeKeyValue(w, pbScopeAttributes, it.Attribute())
		}
		w.end(m)
	}
	for i := s.firstSpan; i >= 0; i = e.nextSpan[i] {
		writeSpan(w, spans[i])
	}
	w.stringField(pbScopeSpansSchemaURL, s.scope.SchemaURL)
	w.end(ss)
}

// writeSpan writes a Span as the SDK's tracetransform fills it.
func writeSpan(w *wireEncoder, sd sdktrace.ReadOnlySpan) {
	m := w.begin(pbScopeSpansSpans)
	sc := sd.SpanContext()
	tid, sid := sc.TraceID(), sc.SpanID()
	w.bytesField(pbSpanTraceID, tid[:])
	w.bytesField(pbSpanSpanID, sid[:])
	w.stringField(pbSpanTraceState, sc.TraceState().String())
	parent := sd.Parent()
	if psid := parent.SpanID(); psid.IsValid() {
		w.bytesField(pbSpanParentSpanID, psid[:])
	}
	w.stringField(pbSpanName, sd.Name())
	w.uintField(pbSpanKind, otlpSpanKind(sd.SpanKind()))
	w.fixed64Field(pbSpanStartTime, otlpTime(sd.StartTime()))
	w.fixed64Field(pbSpanEndTime, otlpTime(sd.EndTime()))
	writeSpanAttributes(w, sd)
	w.uintField(pbSpanDroppedAttributes, otlpCount(sd.DroppedAttributes()))
	events := sd.Events()
	for i := range events {
		ev := &events[i]
		em := w.begin(pbSpanEvents)
		w.fixed64Field(pbEventTime, otlpTime(ev.Time))
		w.stringField(pbEventName, ev.Name)
		writeKeyValues(w, pbEventAttributes, ev.Attributes)
		w.uintField(pbEventDroppedAttributes, otlpCount(ev.DroppedAttributeCount))
		w.end(em)
	}
	w.uintField(pbSpanDroppedEvents, otlpCount(sd.DroppedEvents()))
	links := sd.Links()
	for i := range links {
		l := &links[i]
		lm := w.begin(pbSpanLinks)
		ltid, lsid := l.SpanContext.TraceID(), l.SpanContext.SpanID()
		// The SDK leaves a link's trace state out.
		w.bytesField(pbLinkTraceID, ltid[:])
		w.bytesField(pbLinkSpanID, lsid[:])
		writeKeyValues(w, pbLinkAttributes, l.Attributes)
		w.uintField(pbLinkDroppedAttributes, otlpCount(l.DroppedAttributeCount))
		w.fixed32Field(pbLinkFlags, otlpSpanFlags(l.SpanContext.TraceFlags(), l.SpanContext.IsRemote()))
		w.end(lm)
	}
	w.uintField(pbSpanDroppedLinks, otlpCount(sd.DroppedLinks()))
	// The status is always present, even unset and without a message.
	status := sd.Status()
	sm := w.begin(pbSpanStatus)
	w.stringField(pbStatusMessage, status.Description)
	w.uintField(pbStatusCode, otlpStatusCode(status.Code))
	w.end(sm)
	w.fixed32Field(pbSpanFlags, otlpSpanFlags(sc.TraceFlags(), parent.IsRemote()))
	w.end(m)
}

// otlpSpanFlags are the W3C trace flags, and whether the parent (of a span)
// or the linked span (of a link) is remote, which is always known.
func otlpSpanFlags(tf trace.TraceFlags, remote bool) uint32 {
	flags := uint32(tf) | pbFlagHasIsRemote
	if remote {
		flags |= pbFlagIsRemote
	}
	return flags
}

// otlpSpanKind is Span.SpanKind's value for kind.
func otlpSpanKind(kind trace.SpanKind) uint64 {
	switch kind {
	case trace.SpanKindInternal:
		return 1
	case trace.SpanKindServer:
		return 2
	case trace.SpanKindClient:
		return 3
	case trace.SpanKindProducer:
		return 4
	case trace.SpanKindConsumer:
		return 5
	}
	return 0 // SPAN_KIND_UNSPECIFIED
}

// otlpStatusCode is Status.StatusCode's value for code.
func otlpStatusCode(code codes.Code) uint64 {
	switch code {
	case codes.Ok:
		return 1
	case codes.Error:
		return 2
	}
	return 0 // STATUS_CODE_UNSET
}

// otlpTime is t in nanoseconds since the epoch; times before it are 0.
func otlpTime(t time.Time) uint64 {
	return uint64(max(0, t.UnixNano()))
}

// otlpCount is a dropped count as OTLP's uint32 holds it: clamped.
func otlpCount(v int) uint64 {
	return uint64(min(max(v, 0), math.MaxUint32))
}

// writeSpanAttributes writes a span's attributes. An Ended span's shared
// sets are copied as they were encoded when made.
func writeSpanAttributes(w *wireEncoder, sd sdktrace.ReadOnlySpan) {
	v, ok := sd.(*endedSpan)
	if !ok {
		writeKeyValues(w, pbSpanAttributes, sd.Attributes())
		return
	}
	for _, set := range v.ended.Shared {
		if set != nil {
			w.buf = append(w.buf, set.encoded.buf...)
		}
	}
	writeKeyValues(w, pbSpanAttributes, v.ended.Attributes)
}

func writeKeyValues(w *wireEncoder, field int, attrs []attribute.KeyValue) {
	for i := range attrs {
		writeKeyValue(w, field, attrs[i])
	}
}

// writeKeyValue writes a KeyValue; its value is always present.
func writeKeyValue(w *wireEncoder, field int, kv attribute.KeyValue) {
	m := w.begin(field)
	w.stringField(pbKeyValueKey, string(kv.Key))
	vm := w.begin(pbKeyValueValue)
	writeAnyValue(w, kv.Value)
	w.end(vm)
	w.end(m)
}

// writeAnyValue writes the fields of an AnyValue. Its value is a oneof, whose
// field is written even when it holds a zero value. An EMPTY value is an
// AnyValue without any; a type the SDK does not know is "INVALID".
func writeAnyValue(w *wireEncoder, v attribute.Value) {
	switch v.Type() {
	case attribute.BOOL:
		writeBool(w, v.AsBool())
	case attribute.INT64:
		writeInt(w, v.AsInt64())
	case attribute.FLOAT64:
		writeDouble(w, v.AsFloat64())
	case attribute.STRING:
		writeString(w, v.AsString())
	case attribute.BYTESLICE:
		w.tag(pbAnyBytes, wireBytes)
		w.bytes(v.AsByteSlice())
	case attribute.BOOLSLICE:
		writeArray(w, v.AsBoolSlice(), writeBool)
	case attribute.INT64SLICE:
		writeArray(w, v.AsInt64Slice(), writeInt)
	case attribute.FLOAT64SLICE:
		writeArray(w, v.AsFloat64Slice(), writeDouble)
	case attribute.STRINGSLICE:
		writeArray(w, v.AsStringSlice(), writeString)
	case attribute.SLICE:
		writeArray(w, v.AsSlice(), writeAnyValue)
	case attribute.EMPTY:
	default:
		writeString(w, "INVALID")
	}
}

// writeArray writes an AnyValue's ArrayValue, each element with write.
func writeArray[T any](w *wireEncoder, values []T, write func(*wireEncoder, T)) {
	am := w.begin(pbAnyArray)
	for _, v := range values {
		m := w.begin(pbArrayValues)
		write(w, v)
		w.end(m)
	}
	w.end(am)
}

// writeBool, writeInt, writeDouble and writeString write one member of
// AnyValue's oneof.
func writeBool(w *wireEncoder, b bool) {
	w.tag(pbAnyBool, wireVarint)
	if b {
		w.varint(1)
	} else {
		w.varint(0)
	}
}

func writeInt(w *wireEncoder, i int64) {
	w.tag(pbAnyInt, wireVarint)
	w.varint(uint64(i))
}

func writeDouble(w *wireEncoder, f float64) {
	w.tag(pbAnyDouble, wireFixed64)
	w.fixed64(math.Float64bits(f))
}

func writeString(w *wireEncoder, s string) {
	w.tag(pbAnyString, wireBytes)
	w.str(s)
}
