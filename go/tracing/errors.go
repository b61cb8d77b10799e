package tracing

import "errors"

// Sentinel errors; every error the module returns wraps one of them.
var (
	// ErrInvalidOptions means the options argument is not an object.
	ErrInvalidOptions = errors.New("invalid options")
	// ErrInvalidOption means an option has a value of the wrong type or range.
	ErrInvalidOption = errors.New("invalid option")
	// ErrUnknownOption means the options object has a key the module does not know.
	ErrUnknownOption = errors.New("unknown option")
	// ErrInitContextOnly means a call that must run in the init context ran in VU code.
	ErrInitContextOnly = errors.New("init context only")
	// ErrAlreadyInstrumented means instrumentHTTP was called a second time.
	ErrAlreadyInstrumented = errors.New("already instrumented")
	// ErrHTTPModule means k6/http could not be loaded or lacks a function.
	ErrHTTPModule = errors.New("k6/http unavailable")
	// ErrVUContextOnly means a call that needs a running VU ran in the init context.
	ErrVUContextOnly = errors.New("VU code only")
	// ErrInvalidArgument means a positional argument has the wrong type.
	ErrInvalidArgument = errors.New("invalid argument")
)
