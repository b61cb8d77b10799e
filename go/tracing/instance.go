package tracing

import (
	"crypto/rand"
	"fmt"
	"slices"
	"sync/atomic"

	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// The resource attributes that say which k6 process exported a span.
const (
	resourceInstanceID       = "service.instance.id"
	resourceExecutionSegment = "k6.execution_segment"
)

// instance says which k6 process of a test a span or a report entry came
// from. When k6-operator or a user splits one test over several k6
// processes with --execution-segment, every process has its own segment;
// a process that runs the whole test has "0:1".
type instance struct {
	segment atomic.Pointer[string]
	// id is unique to the process: OpenTelemetry's service.instance.id,
	// a random UUID, for the processes that share one segment (several
	// unsegmented runs of one script).
	id string
}

// instance returns the execution segment of this k6 process, once a VU
// has run: it is in the test's options, which the init context has not
// got. Until then it is "0:1".
func (r *runInfo) instance(vu modules.VU) string {
	if s := r.inst.segment.Load(); s != nil {
		return *s
	}
	state := vu.State()
	if state == nil {
		return "0:1"
	}
	s := state.Options.ExecutionSegment.String()
	r.inst.segment.Store(&s)
	return s
}

// newInstanceID returns a random (version 4) UUID.
func newInstanceID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// withInstance returns cfg with the resource attributes of this k6
// process: its service.instance.id and its execution segment, unless
// OTEL_RESOURCE_ATTRIBUTES set them.
func (r *runInfo) withInstance(cfg spans.Config, vu modules.VU) spans.Config {
	has := func(key string) bool {
		return slices.ContainsFunc(cfg.Resource, func(a spans.Attribute) bool { return a.Key == key })
	}
	resource := slices.Clip(cfg.Resource) // never append into the options' own array
	if !has(resourceInstanceID) {
		resource = append(resource, spans.Attribute{Key: resourceInstanceID, Value: r.inst.id})
	}
	if !has(resourceExecutionSegment) {
		resource = append(resource, spans.Attribute{Key: resourceExecutionSegment, Value: r.instance(vu)})
	}
	cfg.Resource = resource
	return cfg
}
