package propagation

import (
	"slices"
	"strings"
)

// ParseBaggage parses a baggage header value, several headers joined by
// commas counting as one (https://www.w3.org/TR/baggage/#definition). Keys
// are RFC 7230 tokens; values are percent-decoded, with U+FFFD for bytes
// that do not decode as UTF-8; properties are validated and kept as
// received. Optional whitespace around members, keys, values and
// properties is ignored, and so are empty members, which appear when an
// empty header is joined to another.
//
// A member that breaks the grammar (no "=", a key that is not a token, a
// character outside baggage-octet, a "%" not followed by two hex digits, a
// malformed property) is dropped, and ok reports false; the valid members
// are kept either way, since the specification lets a system remove an
// entry that is not in its format (https://www.w3.org/TR/baggage/#mutating-baggage).
// OpenTelemetry Go's baggage.Parse does the same. When a key repeats, the
// first occurrence wins, as when baggage is merged from several sources.
//
// Limits are not applied here but when writing: see [Baggage.WithinLimits].
// b is never nil.
func ParseBaggage(header string) (b *Baggage, ok bool) {
	b = &Baggage{}
	return b, b.merge(header)
}

// merge adds the valid members of a header whose keys b does not have, and
// reports whether every member was valid.
func (b *Baggage) merge(header string) bool {
	if header == "" {
		return true
	}
	n := strings.Count(header, ",") + 1
	b.members = slices.Grow(b.members, n) // one allocation for a typical header
	// Past a normal size, a set of keys keeps the work linear in the header.
	var seen map[string]bool
	if n > maxBaggageMembers {
		seen = make(map[string]bool, len(b.members)+n)
		for _, m := range b.members {
			seen[m.Key] = true
		}
	}
	ok := true
	for rest, more := header, true; more; {
		var part string
		part, rest, more = strings.Cut(rest, ",")
		if part = trimOWS(part); part == "" {
			continue
		}
		m, valid := parseBaggageMember(part)
		switch {
		case !valid:
			ok = false
		case seen == nil:
			b.setDefault(m)
		case !seen[m.Key]:
			seen[m.Key] = true
			b.members = append(b.members, m)
		}
	}
	b.wire.Store(nil)
	return ok
}

// parseBaggageMember parses key OWS "=" OWS value *(OWS ";" OWS property),
// s being trimmed already.
func parseBaggageMember(s string) (Member, bool) {
	kv, props, hasProps := strings.Cut(s, ";")
	k, v, found := strings.Cut(kv, "=")
	key := trimOWS(k)
	if !found || !isToken(key) {
		return Member{}, false
	}
	value, ok := decodeBaggageValue(trimOWS(v))
	if !ok {
		return Member{}, false
	}
	m := Member{Key: key, Value: value}
	if hasProps {
		if m.Properties, ok = normalizeProperties(props); !ok {
			return Member{}, false
		}
	}
	return m, true
}

// normalizeProperties validates a property list (key / key OWS "=" OWS
// value) and returns it without whitespace and empty properties; a list
// that has neither is returned as it is, without allocating.
func normalizeProperties(s string) (string, bool) {
	clean := true
	for rest, more := s, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ";")
		prop, ok := parseProperty(p)
		if !ok {
			return "", false
		}
		// Trimming only removes characters: same length, same text.
		clean = clean && prop.len() == len(p) && prop.len() > 0
	}
	if clean {
		return s, true
	}
	var sb strings.Builder
	for rest, more := s, true; more; {
		var p string
		p, rest, more = strings.Cut(rest, ";")
		if prop, _ := parseProperty(p); prop.len() > 0 {
			if sb.Len() > 0 {
				sb.WriteByte(';')
			}
			sb.WriteString(prop.key)
			if prop.hasValue {
				sb.WriteByte('=')
				sb.WriteString(prop.value)
			}
		}
	}
	return sb.String(), true
}

type property struct {
	key, value string
	hasValue   bool
}

// len is the length of the property as written; 0 for a blank one.
func (p property) len() int {
	if p.hasValue {
		return len(p.key) + 1 + len(p.value)
	}
	return len(p.key)
}

// parseProperty trims one property's key and value. A blank property, as
// in "k=v;", is allowed and dropped. Property values are carried, not
// decoded, but must still be well-formed, or a stricter receiver
// (OpenTelemetry) drops the whole member.
func parseProperty(s string) (property, bool) {
	k, v, hasValue := strings.Cut(s, "=")
	p := property{trimOWS(k), trimOWS(v), hasValue}
	if p.key == "" && !hasValue {
		return property{}, true
	}
	return p, isToken(p.key) && validBaggageValue(p.value)
}

// decodeBaggageValue checks s with validBaggageValue and decodes it.
func decodeBaggageValue(s string) (string, bool) {
	if !validBaggageValue(s) {
		return "", false
	}
	escapes := strings.Count(s, "%")
	if escapes == 0 {
		return s, true
	}
	var sb strings.Builder
	sb.Grow(len(s) - 2*escapes)
	for i := 0; i < len(s); i++ {
		if s[i] == '%' {
			sb.WriteByte(anyCaseDigits[s[i+1]]<<4 | anyCaseDigits[s[i+2]])
			i += 2
		} else {
			sb.WriteByte(s[i])
		}
	}
	return toValidUTF8(sb.String()), true
}

// validBaggageValue reports whether s is baggage-octets in which every "%"
// starts a percent-encoded byte: the specification requires "%" itself to
// be encoded, so a bare one is malformed, not literal.
func validBaggageValue(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case !baggageOctets[c]:
			return false
		case c == '%':
			if i+2 >= len(s) || anyCaseDigits[s[i+1]] == invalidDigit || anyCaseDigits[s[i+2]] == invalidDigit {
				return false
			}
			i += 2
		}
	}
	return true
}

// baggageOctets are the characters a value may hold unencoded:
// %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E, that is printable ASCII
// without space, DQUOTE, comma, semicolon and backslash.
var baggageOctets = func() (t [256]bool) {
	for c := 0x21; c <= 0x7e; c++ {
		t[c] = true
	}
	for _, c := range "\",;\\" {
		t[c] = false
	}
	return t
}()
