package propagation

import "go.opentelemetry.io/otel/trace"

const lowerHex = "0123456789abcdef"

// invalidDigit marks a byte that is not a hex digit in the tables below.
const invalidDigit = 0xff

// lowerDigits and anyCaseDigits map a byte to its hex value. W3C allows only
// lower-case digits; Jaeger clients write either case.
var lowerDigits, anyCaseDigits = digitTables()

func digitTables() (lower, anyCase [256]byte) {
	for i := range lower {
		lower[i], anyCase[i] = invalidDigit, invalidDigit
	}
	for i := range 16 {
		lower[lowerHex[i]], anyCase[lowerHex[i]] = byte(i), byte(i)
		if i >= 10 {
			anyCase['A'+i-10] = byte(i)
		}
	}
	return lower, anyCase
}

// encodeHex writes the lower-case hex of src into dst, which must have room
// for 2*len(src) bytes.
func encodeHex(dst, src []byte) {
	for i, v := range src {
		dst[2*i] = lowerHex[v>>4]
		dst[2*i+1] = lowerHex[v&0x0f]
	}
}

// decodeHex decodes s into dst, right-aligned: a shorter s is left-padded
// with zero bytes, as Jaeger allows. table selects the accepted digits. ok is
// false on a bad digit, an empty s, or an s longer than dst.
func decodeHex(dst []byte, s string, table *[256]byte) bool {
	if len(s) == 0 || len(s) > 2*len(dst) {
		return false
	}
	clear(dst)
	// Walk from the last digit so that odd lengths pad on the left.
	for i, j := len(s)-1, 2*len(dst)-1; i >= 0; i, j = i-1, j-1 {
		v := table[s[i]]
		if v == invalidDigit {
			return false
		}
		if j%2 == 1 {
			dst[j/2] |= v
		} else {
			dst[j/2] |= v << 4
		}
	}
	return true
}

// decodeFixedHex decodes s, exactly 2*len(dst) lower-case digits, into dst.
func decodeFixedHex(dst []byte, s string) bool {
	if len(s) != 2*len(dst) {
		return false
	}
	for i := range dst {
		hi, lo := lowerDigits[s[2*i]], lowerDigits[s[2*i+1]]
		if hi == invalidDigit || lo == invalidDigit {
			return false
		}
		dst[i] = hi<<4 | lo
	}
	return true
}

// FormatTraceID returns the 32 lower-case hex digits of id with one
// allocation (trace.TraceID.String makes two).
func FormatTraceID(id trace.TraceID) string {
	return hexString(id[:])
}

// hexString returns the lower-case hex of a trace or span id (at most 16
// bytes) with a single allocation: the string itself.
func hexString(src []byte) string {
	var buf [32]byte
	n := 2 * len(src)
	encodeHex(buf[:n], src)
	return string(buf[:n])
}
