package propagation

// seqSource returns its words in order, then repeats the last one, so that
// tests know every byte a generator draws.
type seqSource struct {
	words []uint64
	i     int
}

func (s *seqSource) Uint64() uint64 {
	w := s.words[min(s.i, len(s.words)-1)]
	s.i++
	return w
}

func newSeq(words ...uint64) *seqSource { return &seqSource{words: words} }
