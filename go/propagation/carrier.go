package propagation

import (
	"net/http"
	"strings"
)

// Setter receives the header fields a format writes. Names are lower-case,
// as HTTP/2, gRPC metadata and the specifications write them; a setter for
// HTTP/1 may canonicalise them.
type Setter interface {
	Set(name, value string)
}

// Getter gives the header fields a format reads. Get takes a lower-case
// name and returns "" when the field is absent; Keys lists the lower-case
// names present, for formats that carry baggage in prefixed fields
// (uberctx-*, ot-baggage-*).
type Getter interface {
	Get(name string) string
	Keys() []string
}

// MapCarrier is a Setter and Getter over a map with lower-case keys.
type MapCarrier map[string]string

// Set implements [Setter].
func (m MapCarrier) Set(name, value string) { m[name] = value }

// Get implements [Getter].
func (m MapCarrier) Get(name string) string { return m[name] }

// Keys implements [Getter].
func (m MapCarrier) Keys() []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// Add adds a field read from a request, whatever the case of its name.
// Repeated fields are joined with a comma, as HTTP combines them.
func (m MapCarrier) Add(name, value string) {
	name = strings.ToLower(name)
	if prev, ok := m[name]; ok {
		value = prev + "," + value
	}
	m[name] = value
}

// HeaderCarrier returns the fields of an HTTP header map as a MapCarrier,
// repeated fields joined as [MapCarrier.Add] joins them.
func HeaderCarrier(h http.Header) MapCarrier {
	m := make(MapCarrier, len(h))
	for name, values := range h {
		for _, v := range values {
			m.Add(name, v)
		}
	}
	return m
}
