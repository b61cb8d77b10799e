// Package tracing registers the k6/x/tracing JavaScript module with k6, and
// its http-instrumentation-pyroscope drop-in k6/x/tracing/pyroscope; the
// module itself lives in go/tracing.
package tracing

import (
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/tracing"
)

func init() {
	modules.Register(tracing.ImportPath, tracing.New())
	modules.Register(tracing.PyroscopeImportPath, tracing.NewPyroscope())
}
