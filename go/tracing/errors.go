package tracing

import (
	"errors"
	"fmt"

	"go.k6.io/k6/v2/errext"
	"go.k6.io/k6/v2/js/modules"
)

// Sentinel errors; every error the module returns wraps one of them.
var (
	// ErrInitContextOnly means a call that must run in the init context ran in VU code.
	ErrInitContextOnly = errors.New("init context only")
	// ErrAlreadyInstrumented means instrumentHTTP was called a second time.
	ErrAlreadyInstrumented = errors.New("already instrumented")
	// ErrHTTPModule means k6/http could not be loaded or lacks a function.
	ErrHTTPModule = errors.New("k6/http unavailable")
	// ErrGRPCModule means k6/net/grpc could not be loaded or is not the
	// module this extension knows.
	ErrGRPCModule = errors.New("k6/net/grpc unavailable")
	// ErrWSModule means k6/ws or k6/websockets could not be loaded or is
	// not the module this extension knows.
	ErrWSModule = errors.New("k6's WebSocket modules unavailable")
	// ErrNotInstrumented means a traced object was asked for before the
	// call that configures it.
	ErrNotInstrumented = errors.New("not instrumented")
	// errGRPCStreamShape means k6's Stream lacks the on() it had.
	errGRPCStreamShape = fmt.Errorf("%w: its Stream has no on()", ErrGRPCModule)
	// ErrVUContextOnly means a call that needs a running VU ran in the init context.
	ErrVUContextOnly = errors.New("VU code only")
	// ErrInvalidArgument means a positional argument has the wrong type.
	ErrInvalidArgument = errors.New("invalid argument")
)

// reportUsageError decides how a usage error (bad options, a call in the
// wrong context) reaches the user. In the init context it is returned and
// thrown as an exception, which fails the test before it starts. In VU code
// an exception would only fail one iteration, logged among thousands, so
// the test is aborted instead, as exec.test.abort() does: k6 stops with the
// message and exit code 108. It returns the error to throw, or nil when the
// test was aborted.
func reportUsageError(vu modules.VU, err error) error {
	if err == nil || vu.State() == nil {
		return err
	}
	vu.Runtime().Interrupt(&errext.InterruptError{Reason: errext.AbortTest + ": " + err.Error()})
	return nil
}
