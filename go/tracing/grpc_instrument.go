package tracing

import (
	"fmt"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// grpcConstructor is how k6/net/grpc exports Client and Stream: Go
// constructors in the module's exports map.
type grpcConstructor = func(sobek.ConstructorCall) *sobek.Object

// instrumentGRPC replaces Client (and Stream) in this VU's k6/net/grpc
// exports with traced ones. k6 keeps the module's named exports in one Go
// map and reads it on every access of a named import, an `import *` or
// require(), so all of them see the replacement; a default import sees it
// when the script first reads it after this call. Everything in k6's gRPC
// module is internal, so the traced Client wraps k6's (grpc_client.go).
func (mi *ModuleInstance) instrumentGRPC(arg sobek.Value) error {
	return reportUsageError(mi.vu, mi.instrumentGRPCModule(arg))
}

func (mi *ModuleInstance) instrumentGRPCModule(arg sobek.Value) error {
	if mi.vu.State() != nil {
		return fmt.Errorf("instrumentGRPC: %w: call it at the top level of the script, "+
			"before the first new grpc.Client()", ErrInitContextOnly)
	}
	if mi.grpcInstrumented != nil {
		return fmt.Errorf("instrumentGRPC: %w: it can be called only once", ErrAlreadyInstrumented)
	}
	opts, err := options.DecodeHTTP(arg, mi.defaults)
	if err != nil {
		return fmt.Errorf("instrumentGRPC: %w", err)
	}
	exports, err := jsvalue.Require(mi.vu.Runtime(), "k6/net/grpc")
	if err != nil {
		return fmt.Errorf("instrumentGRPC: %w: %w", ErrGRPCModule, err)
	}
	named, ok := exports.Export().(map[string]any)
	if !ok {
		return fmt.Errorf("instrumentGRPC: %w: its exports are a %T, not the map of k6 v2's module", ErrGRPCModule, exports.Export())
	}
	newClient, ok := named["Client"].(grpcConstructor)
	if !ok {
		return fmt.Errorf("instrumentGRPC: %w: its Client is a %T, not k6 v2's constructor", ErrGRPCModule, named["Client"])
	}
	newStream, ok := named["Stream"].(grpcConstructor)
	if !ok {
		return fmt.Errorf("instrumentGRPC: %w: its Stream is a %T, not k6 v2's constructor", ErrGRPCModule, named["Stream"])
	}
	t := mi.newTracer(opts)
	named["Client"] = func(call sobek.ConstructorCall) *sobek.Object {
		return t.newGRPCClient(newClient(call))
	}
	named["Stream"] = func(call sobek.ConstructorCall) *sobek.Object {
		return t.newGRPCStream(newStream, call)
	}
	mi.grpcInstrumented = t
	return nil
}
