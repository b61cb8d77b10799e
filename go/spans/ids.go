package spans

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"math/rand/v2"
	"sync"

	"go.opentelemetry.io/otel/trace"
)

// idsKey is the context key of the ids a span about to start must have.
type idsKey struct{}

type fixedIDs struct {
	traceID trace.TraceID
	spanID  trace.SpanID
}

// WithIDs returns a context in which the next span started gets these ids:
// the ones k6 already sent in the request's trace headers, so that the
// backend's server span is the child of the exported client span. A span
// with a parent in ctx keeps its parent's trace id; traceID is then only
// used for a root span.
func WithIDs(ctx context.Context, traceID trace.TraceID, spanID trace.SpanID) context.Context {
	return context.WithValue(ctx, idsKey{}, fixedIDs{traceID: traceID, spanID: spanID})
}

// idGenerator gives spans the ids WithIDs put in their context, and random
// ones to the others (spans of the script's own API, iteration roots).
type idGenerator struct {
	mu  sync.Mutex
	src *rand.ChaCha8
}

func newIDGenerator() *idGenerator {
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	return &idGenerator{src: rand.NewChaCha8(seed)}
}

// NewIDs implements the SDK's IDGenerator, for root spans.
func (g *idGenerator) NewIDs(ctx context.Context) (trace.TraceID, trace.SpanID) {
	if ids, ok := ctx.Value(idsKey{}).(fixedIDs); ok && ids.traceID.IsValid() && ids.spanID.IsValid() {
		return ids.traceID, ids.spanID
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	var tid trace.TraceID
	for !tid.IsValid() {
		binary.BigEndian.PutUint64(tid[:8], g.src.Uint64())
		binary.BigEndian.PutUint64(tid[8:], g.src.Uint64())
	}
	return tid, g.spanID()
}

// NewSpanID implements the SDK's IDGenerator, for child spans.
func (g *idGenerator) NewSpanID(ctx context.Context, _ trace.TraceID) trace.SpanID {
	if ids, ok := ctx.Value(idsKey{}).(fixedIDs); ok && ids.spanID.IsValid() {
		return ids.spanID
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.spanID()
}

func (g *idGenerator) spanID() trace.SpanID {
	var sid trace.SpanID
	for !sid.IsValid() {
		binary.BigEndian.PutUint64(sid[:], g.src.Uint64())
	}
	return sid
}
