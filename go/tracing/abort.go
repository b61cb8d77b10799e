package tracing

import (
	"go.k6.io/k6/v2/errext"
	"go.k6.io/k6/v2/js/modules"
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
