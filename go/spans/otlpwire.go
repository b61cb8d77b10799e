package spans

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"
)

// Protobuf wire types, https://protobuf.dev/programming-guides/encoding/.
const (
	wireVarint  = 0
	wireFixed64 = 1
	wireBytes   = 2
	wireFixed32 = 5
)

// wireEncoder appends protobuf in one pass. An embedded message's length
// comes before it but is known only after it: begin reserves the one byte
// most messages need (shorter than 128 bytes: attributes, values, status),
// and end writes the length there, moving the message along by the bytes a
// longer length takes (a span, by one; a request's groups, once each).
type wireEncoder struct {
	buf []byte
}

// varintLen is the size of v as a varint: 7 bits a byte.
func varintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

func (w *wireEncoder) varint(v uint64) {
	if v < 0x80 {
		w.buf = append(w.buf, byte(v))
		return
	}
	w.buf = binary.AppendUvarint(w.buf, v)
}

func (w *wireEncoder) tag(field, wireType int) {
	w.varint(uint64(field)<<3 | uint64(wireType))
}

func (w *wireEncoder) fixed64(v uint64) {
	w.buf = binary.LittleEndian.AppendUint64(w.buf, v)
}

func (w *wireEncoder) fixed32(v uint32) {
	w.buf = binary.LittleEndian.AppendUint32(w.buf, v)
}

// str writes a length-delimited string (without a tag). Protobuf strings
// must be UTF-8, and decoders check: invalid bytes become U+FFFD rather
// than fail a whole request (the SDK fails it before it is sent).
func (w *wireEncoder) str(s string) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	w.varint(uint64(len(s)))
	w.buf = append(w.buf, s...)
}

// bytes writes length-delimited bytes (without a tag).
func (w *wireEncoder) bytes(b []byte) {
	w.varint(uint64(len(b)))
	w.buf = append(w.buf, b...)
}

// The field writers below follow proto3's implicit presence: a scalar
// field holding its zero value is not written.

func (w *wireEncoder) uintField(field int, v uint64) {
	if v != 0 {
		w.tag(field, wireVarint)
		w.varint(v)
	}
}

func (w *wireEncoder) fixed64Field(field int, v uint64) {
	if v != 0 {
		w.tag(field, wireFixed64)
		w.fixed64(v)
	}
}

func (w *wireEncoder) fixed32Field(field int, v uint32) {
	if v != 0 {
		w.tag(field, wireFixed32)
		w.fixed32(v)
	}
}

func (w *wireEncoder) stringField(field int, s string) {
	if s != "" {
		w.tag(field, wireBytes)
		w.str(s)
	}
}

func (w *wireEncoder) bytesField(field int, b []byte) {
	if len(b) != 0 {
		w.tag(field, wireBytes)
		w.bytes(b)
	}
}

// begin starts an embedded message in field, which is written even if it
// turns out empty (a set message field is present). It returns where the
// message starts, for end.
func (w *wireEncoder) begin(field int) int {
	w.tag(field, wireBytes)
	w.buf = append(w.buf, 0)
	return len(w.buf)
}

// end closes the message that begins at start: it writes its length in
// the byte begin reserved, and in more if the length needs them.
func (w *wireEncoder) end(start int) {
	n := len(w.buf) - start
	if n < 0x80 {
		w.buf[start-1] = byte(n)
		return
	}
	extra := varintLen(uint64(n)) - 1
	w.buf = slices.Grow(w.buf, extra)[:len(w.buf)+extra]
	copy(w.buf[start+extra:], w.buf[start:start+n])
	binary.PutUvarint(w.buf[start-1:], uint64(n))
}
