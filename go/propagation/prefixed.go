package propagation

import (
	"net/url"
	"slices"
	"strings"
)

// valueCoding is how a format escapes the values of its per-member baggage
// headers. Header values cannot carry every byte, and the formats disagree
// on the escaping, so each says which one its readers undo.
type valueCoding struct {
	escape   func(string) string
	unescape func(string) (string, error)
}

var (
	// jaegerCoding percent-encodes as url.QueryEscape does, but writes a
	// space as "%20", not "+": jaeger-client-go and Java's URLDecoder undo
	// it with query unescaping, OpenTelemetry JS and jaeger-client-node with
	// decodeURIComponent, and all of them read "%20" as a space, while only
	// the former read "+" as one. Reading, "+" is a space, as
	// jaeger-client-go writes it.
	jaegerCoding = valueCoding{escapeJaegerValue, url.QueryUnescape}
	// otCoding percent-encodes only what W3C baggage-octets exclude, and
	// "%", as the baggage header does. OpenTracing defines no encoding:
	// OpenTelemetry Go's OT extractor accepts baggage-octets raw and undoes
	// escapes with url.PathUnescape, which leaves "+" alone; OpenTelemetry
	// JS reads values raw. Both read a value that needs no escape ("/",
	// ":", "?", "=" included) exactly as it was written.
	otCoding = valueCoding{escapeBaggageValue, url.PathUnescape}
)

func escapeJaegerValue(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") // QueryEscape writes a "+" itself as "%2B"
}

// injectPrefixed writes each baggage member as its own header, named
// prefix+key, as Jaeger (uberctx-) and OpenTracing (ot-baggage-) do. Header
// names are case-insensitive, so keys travel lower-case; a key that is not
// a valid header name is left out rather than corrupting the request.
// Values are escaped with the format's coding.
func injectPrefixed(prefix string, coding valueCoding, b *Baggage, set Setter) {
	if b == nil {
		return
	}
	for _, m := range b.WithinLimits() {
		if isToken(m.Key) {
			set.Set(prefix+strings.ToLower(m.Key), coding.escape(m.Value))
		}
	}
}

// extractPrefixed adds the members of every prefix+key header to b, keys
// already in b excepted. Values that do not unescape are taken as sent.
func extractPrefixed(prefix string, coding valueCoding, get Getter, b *Baggage) {
	// Sorted, so that which members fit the limits never depends on the
	// order a map happens to list them in.
	names := get.Keys()
	slices.Sort(names)
	for _, name := range names {
		key, ok := strings.CutPrefix(name, prefix)
		if !ok || key == "" || !isToken(key) {
			continue
		}
		raw := get.Get(name)
		value, err := coding.unescape(raw)
		if err != nil {
			value = raw
		}
		b.SetDefault(key, value)
	}
}

// isToken reports whether s is an RFC 7230 token: the grammar of header
// names and of W3C baggage keys.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !tokenChars[s[i]] {
			return false
		}
	}
	return true
}

var tokenChars = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range "!#$%&'*+-.^_`|~" {
		t[c] = true
	}
	return t
}()
