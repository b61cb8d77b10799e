package propagation

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestSamplerExtremes(t *testing.T) {
	t.Parallel()
	src := NewSource()
	always, never := NewSampler(1), NewSampler(0)
	for range 1000 {
		require.True(t, always.Sample(src))
		require.False(t, never.Sample(src))
	}
}

func TestSamplerClampsOutOfRange(t *testing.T) {
	t.Parallel()
	src := newSeq(0)
	require.True(t, NewSampler(7).Sample(src))
	require.False(t, NewSampler(-1).Sample(src))
	require.False(t, NewSampler(math.NaN()).Sample(src))
}

func TestSamplerThreshold(t *testing.T) {
	t.Parallel()
	half := NewSampler(0.5)
	require.True(t, half.Sample(newSeq(1<<63-1)))
	require.False(t, half.Sample(newSeq(1<<63)))
}

// TestSamplerFractionalRate checks that the observed rate lies within
// binomial bounds: n draws at rate p have mean n*p and standard deviation
// sqrt(n*p*(1-p)); six deviations make a false failure practically
// impossible (about 1 in 500 million).
func TestSamplerFractionalRate(t *testing.T) {
	t.Parallel()
	for _, p := range []float64{0.1, 0.25, 0.5, 0.99} {
		const n = 100_000
		s, src := NewSampler(p), NewSource()
		hits := 0
		for range n {
			if s.Sample(src) {
				hits++
			}
		}
		mean, sd := n*p, math.Sqrt(n*p*(1-p))
		require.InDelta(t, mean, float64(hits), 6*sd, "rate %v", p)
	}
}
