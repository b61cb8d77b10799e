package propagation

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The invariants every format's fuzz test checks on what its parser or
// extractor made of random input.

// requireDecision checks the invariants every parser keeps: debug implies
// sampled, and a deferred decision is not sampled.
func requireDecision(t *testing.T, c Context) {
	t.Helper()
	require.False(t, c.Debug && !c.Sampled, "debug without sampled: %+v", c)
	require.False(t, c.Deferred && c.Sampled, "deferred and sampled: %+v", c)
}

// requireFuzzedValue parses the fuzzed header value s and checks the
// result (see requireFound); a valid context must read back the same from
// the value format writes for it.
func requireFuzzedValue(t *testing.T, s string, format func(Context) string, parse func(string) (Context, Found)) (Context, Found) {
	t.Helper()
	c, found := parse(s)
	requireFound(t, c, found, func(c Context) (Context, Found) { return parse(format(c)) })
	return c, found
}

// requireFuzzedHeaders extracts from the fuzzed headers m and checks the
// result (see requireFound); a valid context must read back the same from
// the headers inject writes for it.
func requireFuzzedHeaders(t *testing.T, m MapCarrier, inject func(Context, *Baggage, Setter), extract func(Getter) (Context, Found)) (Context, Found) {
	t.Helper()
	c, found := extract(m)
	requireFound(t, c, found, func(c Context) (Context, Found) {
		out := MapCarrier{}
		inject(c, nil, out)
		return extract(out)
	})
	return c, found
}

// requireFound checks what a parser found: a coherent decision; nothing
// and the zero context; a decision alone and no ids; or a valid context
// that roundTrip, writing it and reading it back, returns unchanged.
func requireFound(t *testing.T, c Context, found Found, roundTrip func(Context) (Context, Found)) {
	t.Helper()
	requireDecision(t, c)
	switch found {
	case NotFound:
		require.Equal(t, Context{}, c)
	case SamplingOnly:
		require.Equal(t, decided(Context{}, c.Sampled, c.Debug, false), c)
	case Valid:
		require.True(t, c.IsValid())
		back, found := roundTrip(c)
		require.Equal(t, Valid, found)
		require.Equal(t, c, back)
	}
}
