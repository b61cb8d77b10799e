package propagation

import "strings"

// noBaggage is the encoding of no members, shared: it is never modified.
var noBaggage = &baggageWire{}

// encodeBaggage writes the members that fit the limits, in order.
func encodeBaggage(members []Member) *baggageWire {
	if len(members) == 0 {
		return noBaggage
	}
	w := &baggageWire{}
	w.within = make([]Member, 0, min(len(members), maxBaggageMembers))
	size := 0
	for _, m := range members {
		if len(w.within) == maxBaggageMembers {
			break
		}
		n := encodedMemberLen(m)
		if len(w.within) > 0 {
			n++ // the comma
		}
		if size+n > maxBaggageBytes {
			continue
		}
		size += n
		w.within = append(w.within, m)
	}
	var sb strings.Builder
	sb.Grow(size)
	for i, m := range w.within {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(m.Key)
		sb.WriteByte('=')
		writeEscaped(&sb, m.Value)
		if m.Properties != "" {
			sb.WriteByte(';')
			sb.WriteString(m.Properties)
		}
	}
	w.header = sb.String()
	return w
}

func encodedMemberLen(m Member) int {
	n := len(m.Key) + 1 + len(m.Value)
	for i := 0; i < len(m.Value); i++ {
		if mustEscape(m.Value[i]) {
			n += 2
		}
	}
	if m.Properties != "" {
		n += 1 + len(m.Properties)
	}
	return n
}

// mustEscape: everything outside baggage-octet, and "%" itself, is
// percent-encoded (https://www.w3.org/TR/baggage/#value).
func mustEscape(c byte) bool { return c == '%' || !baggageOctets[c] }

// escapeBaggageValue returns s with the escapes of a baggage value; s
// itself when it needs none.
func escapeBaggageValue(s string) string {
	for i := 0; i < len(s); i++ {
		if mustEscape(s[i]) {
			var sb strings.Builder
			sb.Grow(len(s) + 8)
			writeEscaped(&sb, s)
			return sb.String()
		}
	}
	return s
}

func writeEscaped(sb *strings.Builder, s string) {
	const upperHex = "0123456789ABCDEF" // RFC 3986 §2.1 prefers upper case
	for i := 0; i < len(s); i++ {
		if c := s[i]; mustEscape(c) {
			sb.WriteByte('%')
			sb.WriteByte(upperHex[c>>4])
			sb.WriteByte(upperHex[c&0x0f])
		} else {
			sb.WriteByte(c)
		}
	}
}
