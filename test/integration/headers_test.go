//go:build integration

package integration

import (
	"net/http"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// contextIn reads the trace context of format f from h with our own
// parser; interop_test.go reads it with parsers we did not write.
func contextIn(f propagation.Format, h http.Header) (propagation.Context, bool) {
	c, found, _ := propagation.NewPropagator(f).Extract(propagation.HeaderCarrier(h))
	return c, found == propagation.Valid
}

// mainHeader returns the canonical name of the first header f writes, the
// one whose presence tells that a request carries f.
func mainHeader(f propagation.Format) string {
	return http.CanonicalHeaderKey(f.Fields()[0])
}
