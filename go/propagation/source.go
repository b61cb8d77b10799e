package propagation

import (
	crand "crypto/rand"
	"math/rand/v2"
)

// Source is a stream of random 64-bit words. A per-VU [rand.ChaCha8] is the
// production source; tests inject fixed sequences to get exact bytes.
type Source interface {
	Uint64() uint64
}

// NewSource returns a ChaCha8 source seeded from the operating system's
// entropy, so that VUs, processes and machines never share a stream.
// ChaCha8 is fast (a few ns per word) and its output is unpredictable,
// unlike a time-seeded or global math/rand source.
func NewSource() *rand.ChaCha8 {
	var seed [32]byte
	_, _ = crand.Read(seed[:]) // crypto/rand.Read never returns an error since Go 1.24
	return rand.NewChaCha8(seed)
}
