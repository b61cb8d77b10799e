package spans

import (
	"slices"

	"go.opentelemetry.io/otel/attribute"
)

// SharedAttributes are attributes that many spans carry alike: a URL's
// (url.full, server.address, server.port) or a VU's (test run, VU,
// scenario). They are encoded once, when made; every span that carries
// them reuses those bytes (see [Ended.Shared]). The encoder then copies
// one contiguous block per set instead of walking each span's attributes
// and the strings they point to, which live on whichever core built the
// span. A set is immutable and safe for concurrent use.
type SharedAttributes struct {
	kvs []attribute.KeyValue
	// encoded is kvs as Span.attributes fields, in order.
	encoded []byte
}

// NewSharedAttributes returns a set of kvs, whose keys must be distinct
// and valid: they are exported as they are.
func NewSharedAttributes(kvs ...attribute.KeyValue) *SharedAttributes {
	s := &SharedAttributes{kvs: slices.Clone(kvs)}
	var w wireEncoder
	writeKeyValues(&w, pbSpanAttributes, s.kvs)
	s.encoded = w.buf
	return s
}

// KeyValues returns the set's attributes. The slice is shared: callers
// must not change it.
func (s *SharedAttributes) KeyValues() []attribute.KeyValue { return s.kvs }
