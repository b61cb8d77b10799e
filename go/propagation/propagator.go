package propagation

import (
	"slices"
	"strings"
)

// Propagator writes and reads trace context in an ordered list of formats.
// The zero value writes nothing.
type Propagator struct {
	formats []Format
}

// NewPropagator returns a propagator of the given formats in order, each
// once. None contributes nothing: a list of only None writes no headers.
func NewPropagator(formats ...Format) Propagator {
	var p Propagator
	for _, f := range formats {
		if f.valid() && f != None && !p.Has(f) {
			p.formats = append(p.formats, f)
		}
	}
	return p
}

// Formats returns the formats of p in order.
func (p Propagator) Formats() []Format { return p.formats }

// Has reports whether f is one of p's formats.
func (p Propagator) Has(f Format) bool {
	for _, g := range p.formats {
		if g == f {
			return true
		}
	}
	return false
}

// With returns a propagator of p's formats, then those of q that p lacks:
// what two propagators write on one request together. It is p itself
// when q adds nothing.
func (p Propagator) With(q Propagator) Propagator {
	var added []Format
	for _, f := range q.formats {
		if !p.Has(f) {
			added = append(added, f)
		}
	}
	if len(added) == 0 {
		return p
	}
	return Propagator{formats: append(slices.Clip(p.formats), added...)}
}

// CarriesBaggage reports whether one of p's formats writes baggage.
func (p Propagator) CarriesBaggage() bool {
	for _, f := range p.formats {
		if f.CarriesBaggage() {
			return true
		}
	}
	return false
}

// CarriesContext reports whether one of p's formats writes a trace context.
func (p Propagator) CarriesContext() bool {
	for _, f := range p.formats {
		if f.CarriesContext() {
			return true
		}
	}
	return false
}

// String returns the format names joined by commas, as OTEL_PROPAGATORS
// writes them; "none" for no format.
func (p Propagator) String() string {
	if len(p.formats) == 0 {
		return "none"
	}
	names := make([]string, len(p.formats))
	for i, f := range p.formats {
		names[i] = f.String()
	}
	return strings.Join(names, ",")
}

// Inject writes c in every format of p, and b (which may be nil) in every
// format that carries baggage.
func (p Propagator) Inject(c Context, b *Baggage, set Setter) {
	for _, f := range p.formats {
		codecs[f].inject(c, b, set)
	}
}

// singleHeaderCodec is the codec of a format whose whole context is the
// value of one header, and which carries no baggage: X-Ray and Google Cloud.
func singleHeaderCodec(name, header string, format func(Context) string, parse func(string) (Context, bool)) codec {
	return codec{
		name:    name,
		fields:  []string{header},
		inject:  func(c Context, _ *Baggage, set Setter) { set.Set(header, format(c)) },
		extract: extractSingle(header, parse),
	}
}

// extractSingle adapts the parser of a one-header format to a codec's
// extract: an invalid or absent header is NotFound.
func extractSingle(header string, parse func(string) (Context, bool)) func(Getter) (Context, Found) {
	return func(get Getter) (Context, Found) {
		if c, ok := parse(get.Get(header)); ok {
			return c, Valid
		}
		return Context{}, NotFound
	}
}

// Extract reads a caller's trace context and baggage. The first format, in
// p's order, that finds a valid context or an explicit sampling-only
// decision gives the context; invalid headers count as absent, as the
// specifications require. tracestate travels with a W3C traceparent of
// the same trace even when another format came first. Baggage is merged
// from every format that carries it; the first format to name a key wins.
func (p Propagator) Extract(get Getter) (c Context, found Found, b *Baggage) {
	var from Format
	for _, f := range p.formats {
		if extract := codecs[f].extract; extract != nil && found == NotFound {
			c, found = extract(get)
			from = f
		}
	}
	if found == Valid && from != W3C && p.Has(W3C) {
		if w, ok := w3cCodec.extract(get); ok == Valid && w.TraceID == c.TraceID {
			c.TraceState = w.TraceState
		}
	}
	for _, f := range p.formats {
		if extract := codecs[f].extractBaggage; extract != nil {
			if b == nil {
				b = &Baggage{}
			}
			extract(get, b)
		}
	}
	if b != nil && b.Len() == 0 {
		b = nil
	}
	return c, found, b
}
