package propagation

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// BaggageHeader is the W3C Baggage header.
const BaggageHeader = "baggage"

// W3C Baggage limits (https://www.w3.org/TR/baggage/#limits): a platform
// must propagate up to 64 members and 8192 bytes, and never part of one.
const (
	maxBaggageMembers = 64
	maxBaggageBytes   = 8192
)

// Member is one baggage list-member.
type Member struct {
	// Key is an RFC 7230 token, case-sensitive.
	Key string
	// Value is decoded: it is percent-encoded again when written.
	Value string
	// Properties is the member's property list as received, not decoded,
	// without the leading ";" and without optional whitespace: "p1;k2=v2".
	// The specification gives properties no meaning; they are only carried.
	Properties string
}

// Baggage is an ordered list of W3C baggage members with unique keys. The
// zero value is an empty list, and a nil *Baggage reads as one.
//
// Reads (Len, Get, Members, WithinLimits, String) may run concurrently;
// Set, SetDefault and Delete need exclusive access.
type Baggage struct {
	members []Member
	// wire caches what String and WithinLimits return; nil after a change.
	wire atomic.Pointer[baggageWire]
}

type baggageWire struct {
	header string
	within []Member
}

// Len returns the number of members.
func (b *Baggage) Len() int {
	if b == nil {
		return 0
	}
	return len(b.members)
}

// Get returns the value of key.
func (b *Baggage) Get(key string) (string, bool) {
	if i := b.index(key); i >= 0 {
		return b.members[i].Value, true
	}
	return "", false
}

// Set gives key the value, in place when key is present (its properties are
// dropped, as they described the old value) and at the end otherwise. A key
// that is not a token is refused with an error wrapping
// [ErrInvalidBaggageKey]. Any value is accepted: String percent-encodes it;
// bytes that are not UTF-8 become U+FFFD, as a receiver would decode them.
func (b *Baggage) Set(key, value string) error {
	if !isToken(key) {
		return fmt.Errorf("%w %q: %s", ErrInvalidBaggageKey, key, baggageKeyRule)
	}
	m := Member{Key: key, Value: toValidUTF8(value)}
	if i := b.index(key); i >= 0 {
		b.members[i] = m
	} else {
		b.members = append(b.members, m)
	}
	b.wire.Store(nil)
	return nil
}

// SetDefault adds key with the value unless key is present, so that when
// baggage is merged from several sources the first source wins. Keys that
// are not tokens are ignored.
func (b *Baggage) SetDefault(key, value string) {
	if isToken(key) {
		b.setDefault(Member{Key: key, Value: toValidUTF8(value)})
	}
}

func (b *Baggage) setDefault(m Member) {
	if b.index(m.Key) < 0 {
		b.members = append(b.members, m)
		b.wire.Store(nil)
	}
}

// Delete removes key and reports whether it was there.
func (b *Baggage) Delete(key string) bool {
	i := b.index(key)
	if i < 0 {
		return false
	}
	b.members = slices.Delete(b.members, i, i+1)
	b.wire.Store(nil)
	return true
}

// Members returns a copy of every member, in order, limits ignored.
func (b *Baggage) Members() []Member {
	if b == nil {
		return nil
	}
	return slices.Clone(b.members)
}

// Keys returns the member keys, in order.
func (b *Baggage) Keys() []string {
	if b == nil {
		return nil
	}
	keys := make([]string, len(b.members))
	for i, m := range b.members {
		keys[i] = m.Key
	}
	return keys
}

// Clone returns an independent copy of b.
func (b *Baggage) Clone() *Baggage {
	if b == nil {
		return nil
	}
	return &Baggage{members: slices.Clone(b.members)}
}

// WithinLimits returns the members that String writes: those that fit the
// W3C limits of 64 members and 8192 bytes of header. Members are taken in
// order; one that would take the header past 8192 bytes is dropped whole
// (a later, smaller one may still fit), and every member after the 64th
// kept one is dropped. The slice is shared: do not modify it.
func (b *Baggage) WithinLimits() []Member {
	if b == nil {
		return nil
	}
	return b.encoded().within
}

// String returns the baggage header value of [Baggage.WithinLimits]:
// key=value[;properties] members joined by commas, values percent-encoded.
// The result is cached until the next change.
func (b *Baggage) String() string {
	if b == nil {
		return ""
	}
	return b.encoded().header
}

func (b *Baggage) encoded() *baggageWire {
	if w := b.wire.Load(); w != nil {
		return w
	}
	// Concurrent readers may both encode; they store equal values.
	w := encodeBaggage(b.members)
	b.wire.Store(w)
	return w
}

func (b *Baggage) index(key string) int {
	if b == nil {
		return -1
	}
	for i := range b.members {
		if b.members[i].Key == key {
			return i
		}
	}
	return -1
}

// toValidUTF8 replaces each byte that is not part of a UTF-8 sequence with
// U+FFFD, as the specification requires of a decoded value and as
// OpenTelemetry does.
func toValidUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 8)
	for _, r := range s { // an invalid byte ranges as utf8.RuneError
		sb.WriteRune(r)
	}
	return sb.String()
}

var baggageCodec = codec{
	name:   "baggage",
	fields: []string{BaggageHeader},
	inject: func(_ Context, b *Baggage, set Setter) {
		if s := b.String(); s != "" {
			set.Set(BaggageHeader, s)
		}
	},
	// Repeated baggage headers arrive comma-joined, which is again one list.
	extractBaggage: func(get Getter, b *Baggage) { b.merge(get.Get(BaggageHeader)) },
}
