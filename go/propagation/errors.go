package propagation

import "errors"

// Errors of the setters that validate what a script asks to send. Parsers of
// incoming headers never return them: there, invalid input means "no trace
// state" or "no such member", as the specifications require.
var (
	// ErrInvalidTraceStateKey is a tracestate key outside the W3C grammar.
	ErrInvalidTraceStateKey = errors.New("invalid tracestate key")
	// ErrInvalidTraceStateValue is a tracestate value outside the W3C grammar.
	ErrInvalidTraceStateValue = errors.New("invalid tracestate value")
	// ErrInvalidBaggageKey is a baggage key that is not an RFC 7230 token.
	ErrInvalidBaggageKey = errors.New("invalid baggage key")
)

// What each setter allows, for the error messages.
const (
	traceStateKeyRule = "want a lower-case letter then up to 255 of a-z 0-9 _ - * /, " +
		"or tenant@system (tenant: a-z or 0-9 then up to 240 more; system: a-z then up to 13 more)"
	traceStateValueRule = "want 1 to 256 printable ASCII characters (0x20-0x7E) " +
		`without "," or "=", not ending in a space`
	baggageKeyRule = "want an RFC 7230 token: letters, digits and !#$%&'*+-.^_`|~"
)
