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

// TestFormatsRoundTrip reads back what each context format writes.
func TestFormatsRoundTrip(t *testing.T) {
	t.Parallel()
	g := NewGenerator(NewSource(), LocalCode, NewSampler(0.5))
	for _, f := range Formats() {
		if !f.CarriesContext() {
			continue
		}
		p := NewPropagator(f)
		for range 50 {
			c := g.NewTrace()
			m := MapCarrier{}
			p.Inject(c, nil, m)
			back, found, _ := p.Extract(m)
			require.Equal(t, Valid, found, f.String())
			require.Equal(t, c, back, f.String())
		}
	}
}

func TestGeneratorChildKeepsTraceAndDecision(t *testing.T) {
	t.Parallel()
	g := NewGenerator(NewSource(), LocalCode, NewSampler(0))
	parent := mustContext(t, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", true)
	child := g.Child(parent)
	require.Equal(t, parent.TraceID, child.TraceID)
	require.True(t, child.Sampled, "the parent's decision wins over the sampler")
	require.NotEqual(t, parent.SpanID, child.SpanID)
}

func TestGeneratorTraceIDsCarryTheCurrentTime(t *testing.T) {
	t.Parallel()
	before := time.Now()
	c := NewGenerator(NewSource(), CloudCode, NewSampler(1)).NewTrace()
	after := time.Now()
	code, at, ok := DecodeK6TraceID(c.TraceID)
	require.True(t, ok)
	require.EqualValues(t, CloudCode, code)
	require.False(t, at.Before(before.Add(-time.Millisecond)) || at.After(after.Add(time.Millisecond)),
		"%v not within [%v, %v]", at, before, after)
}
