package propagation

import "math"

// Sampler decides whether a new trace is sampled, with a fixed probability.
// The zero value never samples; use [NewSampler].
type Sampler struct {
	// threshold is compared with a uniform 64-bit word: a word below it
	// samples. always short-cuts rate 1, which no uint64 threshold expresses.
	threshold uint64
	always    bool
}

// NewSampler returns a sampler for a rate in [0, 1]. Callers validate the
// rate; out-of-range values are clamped so that the sampler never panics.
func NewSampler(rate float64) Sampler {
	switch {
	case rate >= 1:
		return Sampler{always: true}
	case rate > 0: // also false for NaN
		return Sampler{threshold: uint64(rate * math.MaxUint64)}
	default:
		return Sampler{}
	}
}

// Sample reports whether the next trace is sampled. It draws from src only
// for fractional rates.
func (s Sampler) Sample(src Source) bool {
	if s.always {
		return true
	}
	if s.threshold == 0 {
		return false
	}
	return src.Uint64() < s.threshold
}
