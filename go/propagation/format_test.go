package propagation

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestParseFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want Format
	}{
		{"w3c", W3C},
		{"tracecontext", W3C},
		{"W3C", W3C},
		{"jaeger", Jaeger},
	}
	for _, tc := range tests {
		f, ok := ParseFormat(tc.name)
		require.True(t, ok, tc.name)
		require.Equal(t, tc.want, f)
	}
	_, ok := ParseFormat("zipkin")
	require.False(t, ok)
}

// decisions are the sampling states every round trip goes through.
var decisions = []struct {
	name                     string
	sampled, debug, deferred bool
}{
	{"sampled", true, false, false},
	{"not sampled", false, false, false},
	{"debug", false, true, false},
	{"deferred", false, false, true},
}

// carried says what each context format carries besides the ids and the
// sampled flag; what it lacks is written as its nearest state (debug as
// sampled, deferred as not sampled) and the random flag is lost.
var carried = map[Format]struct{ debug, deferred, random bool }{
	W3C:     {random: true},
	Jaeger:  {debug: true},
	B3:      {debug: true, deferred: true},
	B3Multi: {debug: true, deferred: true},
	OT:      {},
	XRay:    {deferred: true},
	Datadog: {debug: true, deferred: true},
	GCP:     {deferred: true},
}

// TestFormatsRoundTrip reads back what each context format writes, in
// every sampling state and with both k6 and random trace ids.
func TestFormatsRoundTrip(t *testing.T) {
	t.Parallel()
	g := NewGenerator(NewSource(), LocalCode)
	for _, f := range Formats() {
		if !f.CarriesContext() {
			continue
		}
		keeps, ok := carried[f]
		require.True(t, ok, "%s is missing from carried", f)
		p := NewPropagator(f)
		for _, layout := range []Layout{LayoutK6, LayoutRandom} {
			for _, d := range decisions {
				for range 20 {
					c := decided(g.NewTrace(layout, NewSampler(1)), d.sampled, d.debug, d.deferred)
					m := MapCarrier{}
					p.Inject(c, nil, m)
					got, found, _ := p.Extract(m)
					require.Equal(t, Valid, found, "%s %s", f, d.name)
					c.Debug = c.Debug && keeps.debug
					c.Deferred = c.Deferred && keeps.deferred
					c.Random = c.Random && keeps.random
					require.Equal(t, c, got, "%s %s", f, d.name)
				}
			}
		}
	}
}

func TestGeneratorChildKeepsTraceAndDecision(t *testing.T) {
	t.Parallel()
	g := NewGenerator(NewSource(), LocalCode)
	parent := mustContext(t, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)
	child := g.Child(parent)
	require.Equal(t, parent.TraceID, child.TraceID)
	require.True(t, child.Sampled, "the parent's decision")
	require.NotEqual(t, parent.SpanID, child.SpanID)
}

func TestGeneratorTraceIDsCarryTheCurrentTime(t *testing.T) {
	t.Parallel()
	before := time.Now()
	c := NewGenerator(NewSource(), CloudCode).NewTrace(LayoutK6, NewSampler(1))
	after := time.Now()
	code, at, ok := DecodeK6TraceID(c.TraceID)
	require.True(t, ok)
	require.EqualValues(t, CloudCode, code)
	require.False(t, at.Before(before.Add(-time.Millisecond)) || at.After(after.Add(time.Millisecond)),
		"%v not within [%v, %v]", at, before, after)
}
