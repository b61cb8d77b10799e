package propagation

import (
	"fmt"
	"iter"
	"strings"
)

// W3C tracestate limits (https://www.w3.org/TR/trace-context/#tracestate-header-field-values).
const (
	// MaxTraceStateMembers is the most members a tracestate may have.
	MaxTraceStateMembers = 32
	maxSimpleKey         = 256 // lcalpha 0*255(...)
	maxTenantID          = 241 // (lcalpha / DIGIT) 0*240(...)
	maxSystemID          = 14  // lcalpha 0*13(...)
	maxTraceStateValue   = 256 // 0*255(chr) nblk-chr
)

// TraceState is a W3C tracestate list: vendor entries, most recent first.
// The zero value is the empty list.
//
// A TraceState is a value: copies are independent, because Set and Delete
// build a new member slice instead of writing into a shared one. It always
// holds a valid list: at most 32 members, unique keys, every key and value
// within the grammar.
type TraceState struct {
	members []traceStateMember
	// header is the list as written by String, kept so that reading a
	// clean header back out costs nothing.
	header string
}

type traceStateMember struct{ key, value string }

// ParseTraceState parses a tracestate header value, several headers joined
// by commas counting as one, as the specification's processing model says:
// spaces and tabs around members are ignored, empty members are allowed and
// skipped, and the whole list is invalid (ok false) when a member is
// malformed, a key repeats or there are more than 32 members. The W3C test
// suite expects an invalid tracestate to be discarded whole, never in part.
// An empty or blank header is a valid, empty list.
func ParseTraceState(s string) (ts TraceState, ok bool) {
	members := make([]traceStateMember, 0, min(strings.Count(s, ",")+1, MaxTraceStateMembers))
	clean := true // s is exactly what String would write
	for rest, more := s, s != ""; more; {
		var part string
		part, rest, more = strings.Cut(rest, ",")
		member := trimOWS(part)
		if member != part || member == "" {
			clean = false
		}
		if member == "" {
			continue
		}
		key, value, found := strings.Cut(member, "=")
		if !found || !ValidTraceStateKey(key) || !ValidTraceStateValue(value) ||
			len(members) == MaxTraceStateMembers || indexTraceState(members, key) >= 0 {
			return TraceState{}, false
		}
		members = append(members, traceStateMember{key, value})
	}
	if len(members) == 0 {
		return TraceState{}, true
	}
	ts.members = members
	if clean {
		ts.header = s
	} else {
		ts.header = joinTraceState(members)
	}
	return ts, true
}

// ValidTraceStateKey reports whether key is a tracestate key: a simple key
// (a lower-case letter and up to 255 of a-z 0-9 _ - * /) or a multi-tenant
// key tenant@system (https://www.w3.org/TR/trace-context/#key).
func ValidTraceStateKey(key string) bool {
	tenant, system, multi := strings.Cut(key, "@")
	if !multi {
		return validKeyPart(key, maxSimpleKey, false)
	}
	return validKeyPart(tenant, maxTenantID, true) && validKeyPart(system, maxSystemID, false)
}

// validKeyPart checks one part of a key: its length, its first character (a
// letter, or also a digit for a tenant id) and the rest.
func validKeyPart(s string, maxLen int, digitFirst bool) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	if c := s[0]; !(c >= 'a' && c <= 'z') && !(digitFirst && c >= '0' && c <= '9') {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !traceStateKeyChars[s[i]] {
			return false
		}
	}
	return true
}

var traceStateKeyChars = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for _, c := range "0123456789_-*/" {
		t[c] = true
	}
	return t
}()

// ValidTraceStateValue reports whether v is a tracestate value: 1 to 256
// printable ASCII characters other than "," and "=", the last not a space
// (https://www.w3.org/TR/trace-context/#value).
func ValidTraceStateValue(v string) bool {
	if v == "" || len(v) > maxTraceStateValue || v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c > 0x7e || c == ',' || c == '=' {
			return false
		}
	}
	return true
}

// Get returns the value of key.
func (ts TraceState) Get(key string) (string, bool) {
	if i := indexTraceState(ts.members, key); i >= 0 {
		return ts.members[i].value, true
	}
	return "", false
}

// Set gives key the value and moves it to the front, as the specification
// requires of a vendor that updates or adds its entry. A new key on a full
// list drops the right-most member. Invalid keys and values are refused with
// an error wrapping [ErrInvalidTraceStateKey] or [ErrInvalidTraceStateValue],
// and ts is left as it was.
func (ts *TraceState) Set(key, value string) error {
	if !ValidTraceStateKey(key) {
		return fmt.Errorf("%w %q: %s", ErrInvalidTraceStateKey, key, traceStateKeyRule)
	}
	if !ValidTraceStateValue(value) {
		return fmt.Errorf("%w %q: %s", ErrInvalidTraceStateValue, value, traceStateValueRule)
	}
	members := make([]traceStateMember, 1, min(len(ts.members)+1, MaxTraceStateMembers))
	members[0] = traceStateMember{key, value}
	for _, m := range ts.members {
		if m.key != key && len(members) < MaxTraceStateMembers {
			members = append(members, m)
		}
	}
	ts.members, ts.header = members, joinTraceState(members)
	return nil
}

// Delete removes key and reports whether it was there.
func (ts *TraceState) Delete(key string) bool {
	i := indexTraceState(ts.members, key)
	if i < 0 {
		return false
	}
	members := make([]traceStateMember, 0, len(ts.members)-1)
	members = append(append(members, ts.members[:i]...), ts.members[i+1:]...)
	ts.members, ts.header = members, joinTraceState(members)
	return true
}

// Len returns the number of members.
func (ts TraceState) Len() int { return len(ts.members) }

// Keys returns the keys in order, the most recent vendor first.
func (ts TraceState) Keys() []string {
	keys := make([]string, len(ts.members))
	for i, m := range ts.members {
		keys[i] = m.key
	}
	return keys
}

// All yields each key and value in order.
func (ts TraceState) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, m := range ts.members {
			if !yield(m.key, m.value) {
				return
			}
		}
	}
}

// String returns the header value: key=value members joined by commas,
// without optional whitespace; "" for the empty list.
func (ts TraceState) String() string { return ts.header }

func indexTraceState(members []traceStateMember, key string) int {
	for i, m := range members {
		if m.key == key {
			return i
		}
	}
	return -1
}

func joinTraceState(members []traceStateMember) string {
	if len(members) == 0 {
		return ""
	}
	n := len(members) - 1
	for _, m := range members {
		n += len(m.key) + 1 + len(m.value)
	}
	var sb strings.Builder
	sb.Grow(n)
	for i, m := range members {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(m.key)
		sb.WriteByte('=')
		sb.WriteString(m.value)
	}
	return sb.String()
}

// trimOWS removes RFC 7230 optional whitespace, spaces and tabs, which
// header values may carry around their elements.
func trimOWS(s string) string { return strings.Trim(s, " \t") }
