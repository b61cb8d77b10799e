// Package tracing registers the k6/x/tracing JavaScript module with k6, its
// http-instrumentation-pyroscope drop-in k6/x/tracing/pyroscope, and the
// `k6 x explain` subcommand; they live in go/tracing and go/explaincmd.
package tracing

import (
	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/subcommand"

	"github.com/xk6-tracing/xk6-tracing/go/explaincmd"
	"github.com/xk6-tracing/xk6-tracing/go/tracing"
)

func init() {
	modules.Register(tracing.ImportPath, tracing.New())
	modules.Register(tracing.PyroscopeImportPath, tracing.NewPyroscope())
	subcommand.RegisterExtension(explaincmd.Name, explaincmd.New)
}
