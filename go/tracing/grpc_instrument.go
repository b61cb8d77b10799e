package tracing

import (
	"fmt"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// goConstructor is how k6's modules export their classes: Go
// constructors (k6/net/grpc's Client and Stream, k6/websockets'
// WebSocket).
type goConstructor = func(sobek.ConstructorCall) *sobek.Object

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
	m, err := mi.loadGRPC()
	if err != nil {
		return fmt.Errorf("instrumentGRPC: %w", err)
	}
	t := mi.newTracer(opts)
	m.named["Client"] = func(call sobek.ConstructorCall) *sobek.Object {
		return t.newGRPCClient(m.client(call))
	}
	mi.grpcInstrumented = t
	return nil
}

// grpcModule is a VU's k6/net/grpc: its exports map, and k6's own Client
// and Stream constructors.
type grpcModule struct {
	named          map[string]any
	client, stream goConstructor
}

// loadGRPC loads the VU's k6/net/grpc once, in the init context, keeps
// k6's constructors and replaces its Stream with one that traces the
// streams of traced clients, each with its client's options, and leaves
// any other client's as k6 makes them.
func (mi *ModuleInstance) loadGRPC() (*grpcModule, error) {
	if mi.grpc != nil {
		return mi.grpc, nil
	}
	if mi.vu.State() != nil {
		return nil, fmt.Errorf("%w: k6/net/grpc is loaded in the init context", ErrInitContextOnly)
	}
	exports, err := jsvalue.Require(mi.vu.Runtime(), "k6/net/grpc")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGRPCModule, err)
	}
	named, ok := exports.Export().(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w: its exports are a %T, not the map of k6 v2's module", ErrGRPCModule, exports.Export())
	}
	m := &grpcModule{named: named}
	if m.client, ok = named["Client"].(goConstructor); !ok {
		return nil, fmt.Errorf("%w: its Client is a %T, not k6 v2's constructor", ErrGRPCModule, named["Client"])
	}
	if m.stream, ok = named["Stream"].(goConstructor); !ok {
		return nil, fmt.Errorf("%w: its Stream is a %T, not k6 v2's constructor", ErrGRPCModule, named["Stream"])
	}
	named["Stream"] = func(call sobek.ConstructorCall) *sobek.Object {
		return newGRPCStream(m.stream, call)
	}
	mi.grpc = m
	return m, nil
}

// clientGRPC is a Client's grpcClient(): a k6/net/grpc Client traced with
// the Client's options, whatever instrumentGRPC did.
func (mi *ModuleInstance) clientGRPC(t *tracer) func() (*sobek.Object, error) {
	return func() (*sobek.Object, error) {
		m, err := mi.loadGRPC()
		if err != nil {
			return nil, reportUsageError(mi.vu, fmt.Errorf("Client.grpcClient: %w", err))
		}
		return t.newGRPCClient(m.client(sobek.ConstructorCall{})), nil
	}
}
