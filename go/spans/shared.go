package spans

import "go.opentelemetry.io/otel/attribute"

// SharedAttributes are attributes that many spans carry alike: a URL's
// (url.full, server.address, server.port) or a VU's (test run, VU,
// scenario). They are encoded once, when made; every span that carries
// them reuses those bytes (see [Ended.Shared]). The encoder then copies
// one contiguous block per set instead of walking each span's attributes
// and the strings they point to, which live on whichever core built the
// span. A set is immutable and safe for concurrent use.
type SharedAttributes struct {
	kvs []attribute.KeyValue
	// encoded holds kvs as Span.attributes fields, in order. It is the
	// set's own encoder, not a local one, which would escape to the heap.
	encoded wireEncoder
	// inline holds a small set's kvs in the set's own allocation: a
	// script whose URLs vary (ids in paths) makes a set per request.
	inline [sharedInline]attribute.KeyValue
}

// sharedInline is the size of the sets k6 makes: a URL's and a VU's.
const sharedInline = 3

// NewSharedAttributes returns a set of kvs, whose keys must be distinct
// and valid: they are exported as they are. The set keeps a copy.
func NewSharedAttributes(kvs ...attribute.KeyValue) *SharedAttributes {
	s := &SharedAttributes{}
	s.kvs = append(s.inline[:0], kvs...)
	s.encoded.buf = make([]byte, 0, encodedSizeHint(kvs))
	writeKeyValues(&s.encoded, pbSpanAttributes, s.kvs)
	return s
}

// encodedSizeHint is at least what writeKeyValues writes for kvs of
// strings, numbers and booleans, so that encoding them allocates once:
// every tag and length takes at most 3 bytes, a number at most 10.
func encodedSizeHint(kvs []attribute.KeyValue) int {
	n := 0
	for _, kv := range kvs {
		n += 24 + len(kv.Key)
		if kv.Value.Type() == attribute.STRING {
			n += len(kv.Value.AsString())
		}
	}
	return n
}

// KeyValues returns the set's attributes. The slice is shared: callers
// must not change it.
func (s *SharedAttributes) KeyValues() []attribute.KeyValue { return s.kvs }
