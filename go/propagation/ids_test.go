package propagation

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/trace"
)

func TestNewK6TraceID(t *testing.T) {
	t.Parallel()
	// 2023-01-01T00:00:00Z = 1672531200000000000 ns; zig-zag doubles it.
	at := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		code int64
		want string
	}{
		// dc07: zig-zag varint of 0o756 (494 -> 988); 42: 33 -> 66; 18: 12 -> 24;
		// 808090bcfa9083b62e: the time; a1b2c3d4: the source's first 4 bytes.
		{"local run", LocalCode, "dc0742" + "808090bcfa9083b62e" + "a1b2c3d4"},
		{"cloud run", CloudCode, "dc0718" + "808090bcfa9083b62e" + "a1b2c3d4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			id := NewK6TraceID(tc.code, at.UnixNano(), newSeq(0xa1b2c3d4e5f60718))
			require.Equal(t, tc.want, hex.EncodeToString(id[:]))

			code, when, ok := DecodeK6TraceID(id)
			require.True(t, ok)
			require.Equal(t, tc.code, code)
			require.True(t, when.Equal(at))
		})
	}
}

func TestDecodeK6TraceIDRejectsOtherIDs(t *testing.T) {
	t.Parallel()
	_, _, ok := DecodeK6TraceID(trace.TraceID{0x4b, 0xf9, 0x2f, 0x35})
	require.False(t, ok)
	_, _, ok = DecodeK6TraceID(trace.TraceID{})
	require.False(t, ok)
}

func TestK6TraceIDKeepsFourRandomBytesWithTodaysClock(t *testing.T) {
	t.Parallel()
	// The layout must leave room for randomness for decades to come.
	for _, at := range []time.Time{time.Now(), time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)} {
		a := NewK6TraceID(LocalCode, at.UnixNano(), newSeq(0x1111111111111111))
		b := NewK6TraceID(LocalCode, at.UnixNano(), newSeq(0x2222222222222222))
		require.NotEqual(t, a, b, "ids at %v differ only by their random bytes", at)
		require.Equal(t, a[:12], b[:12])
	}
}

func TestNewSpanID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		words []uint64
		want  string
	}{
		{"first word", []uint64{0x0123456789abcdef}, "0123456789abcdef"},
		{"zero word is skipped", []uint64{0, 0x00000000000000a0}, "00000000000000a0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, NewSpanID(newSeq(tc.words...)).String())
		})
	}
}

func TestNewRandomTraceID(t *testing.T) {
	t.Parallel()
	id := NewRandomTraceID(newSeq(0, 0, 0x0102030405060708, 0x090a0b0c0d0e0f10))
	require.Equal(t, "0102030405060708090a0b0c0d0e0f10", id.String())
}

func TestSpanIDsUseEveryHexDigit(t *testing.T) {
	t.Parallel()
	// The old module's span ids never contained the digit 0.
	src := NewSource()
	seen := map[rune]bool{}
	for range 200 {
		for _, r := range NewSpanID(src).String() {
			seen[r] = true
		}
	}
	require.Len(t, seen, 16)
}

func TestSourcesAreSeededIndependently(t *testing.T) {
	t.Parallel()
	require.NotEqual(t, NewSource().Uint64(), NewSource().Uint64())
}
