package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.k6.io/k6/v2/js/modulestest"

	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// k6's gRPC module is internal to k6, so these tests cover what does not
// need it; test/integration/grpc_test.go runs the real one.

func TestInstrumentGRPCErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // a runtime without k6/net/grpc
	h.mustRun(`const tracing = require("k6/x/tracing");`)
	_, err := h.run(`tracing.instrumentGRPC({ propagator: "zipkin" })`)
	require.ErrorContains(t, err, `instrumentGRPC: invalid option "propagator": "zipkin" is not a known propagator`)
	_, err = h.run(`tracing.instrumentGRPC()`)
	require.ErrorContains(t, err, "instrumentGRPC: k6/net/grpc unavailable: ")
	h.toVU()
	_, err = h.run(`tracing.instrumentGRPC()`)
	requireAborted(t, err, "instrumentGRPC: init context only: call it at the top level of the script")
}

// TestGRPCMetadata: a call's params are copied, with the trace context in
// lower-case metadata keys beside the caller's, and a caller's trace
// metadata is continued; the caller's params are never changed.
func TestGRPCMetadata(t *testing.T) {
	t.Parallel()
	runtime := modulestest.NewRuntime(t)
	mi, ok := New().NewModuleInstance(runtime.VU).(*ModuleInstance)
	require.True(t, ok)
	rt := runtime.VU.Runtime()
	opts, err := options.DecodeHTTP(rt.ToValue(map[string]any{"propagator": []any{"w3c", "b3multi"}}), mi.defaults)
	require.NoError(t, err)
	tr := mi.newTracer(opts)
	params, err := rt.RunString(`({ metadata: { "x-user": "u1", TraceParent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }, tags: { name: "n" } })`)
	require.NoError(t, err)
	out, sp := tr.injectParams(rt, paramsRequest{params: params, field: "metadata"})
	md := out.Get("metadata").ToObject(rt)
	require.ElementsMatch(t, []string{"x-user", "traceparent", "x-b3-traceid", "x-b3-spanid", "x-b3-sampled"}, md.Keys())
	require.Equal(t, "0af7651916cd43dd8448eb211c80319c", sp.ctx.TraceID.String(), "the caller's trace continues")
	require.Equal(t, "b7ad6b7169203331", sp.parent.SpanID.String())
	require.Equal(t, "n", out.Get("tags").ToObject(rt).Get("name").String())
	require.ElementsMatch(t, []string{"x-user", "TraceParent"}, params.ToObject(rt).Get("metadata").ToObject(rt).Keys(),
		"the caller's metadata is left alone")
}

func TestRPCDescription(t *testing.T) {
	t.Parallel()
	r := newRPC("/shop.v1.Orders/Get", "orders.internal:50051", nil)
	require.Equal(t, rpc{method: "shop.v1.Orders/Get", service: "shop.v1.Orders", addr: "orders.internal:50051"}, r)
	require.Equal(t, "shop.v1.Orders/Get", r.nameOrMethod())
	for code, name := range map[int]string{5: "NOT_FOUND", 4: "DEADLINE_EXCEEDED", 14: "UNAVAILABLE", 1: "CANCELED", 2: "UNKNOWN"} {
		require.Equal(t, name, grpcCodeName(code))
	}
}

func TestInjectable(t *testing.T) {
	t.Parallel()
	rt := modulestest.NewRuntime(t).VU.Runtime()
	for expr, want := range map[string]bool{
		`undefined`: true, `null`: true, `({})`: true, `({ metadata: null })`: true, `({ metadata: { a: "b" } })`: true,
		`"params"`: false, `({ metadata: "x" })`: false, `42`: false,
	} {
		v, err := rt.RunString(expr)
		require.NoError(t, err)
		require.Equal(t, want, injectable(v, "metadata"), expr)
	}
}
