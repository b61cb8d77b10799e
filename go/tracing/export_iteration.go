package tracing

import (
	"reflect"
	"time"

	"go.k6.io/k6/v2/js/modules"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// k6's per-VU iteration events, named by value for the reason given in
// export_providers.go. Their data is an event.IterData, read through the
// iterationData interface below.
const (
	eventIterStart = 4 // event.IterStart
	eventIterEnd   = 5 // event.IterEnd
)

// iterationOf returns the VU's current iteration, -1 in the init context.
func iterationOf(vu modules.VU) int64 {
	if state := vu.State(); state != nil {
		return state.Iteration
	}
	return -1
}

// followIterations subscribes to the VU's iterations once a tracer of it
// exports spans with one trace per iteration; other tracers export no
// iteration span, and k6 would wait for a handler at every iteration
// boundary for nothing.
func (v *vuState) followIterations(opts options.HTTP) {
	if opts.Spans != nil && opts.TraceScope == options.ScopeIteration {
		v.subscribeIterations()
	}
}

// subscribeIterations follows the VU's iterations: the root span of an
// iteration trace starts when the iteration does and is exported when it
// ends. k6 waits for the handler
// of each event, so the root span is complete before the next iteration.
func (v *vuState) subscribeIterations() {
	events := v.Events().Local
	if v.iterEvents || events == nil {
		return
	}
	v.iterEvents = true
	_, ch := events.Subscribe(eventIterStart, eventIterEnd)
	go func() {
		for ev := range ch {
			iteration, failure := iterationFields(ev.Data)
			switch ev.Type {
			case eventIterStart:
				v.scope.iterationStarted(iteration, time.Now())
			case eventIterEnd:
				end := time.Now()
				v.endPages(end)
				v.exportIterationSpan(iteration, failure, end)
			}
			ev.Done()
		}
	}()
}

// exportIterationSpan exports the root span of iteration's trace, if the
// iteration had one and a tracer with spans on used it.
func (v *vuState) exportIterationSpan(iteration int64, failure error, end time.Time) {
	root, start, t := v.scope.iterationEnded(iteration)
	if t == nil || !root.Sampled {
		return
	}
	p := t.spanProvider()
	if p == nil {
		return
	}
	e := t.newEnded(requestTrace{ctx: root}, "iteration", trace.SpanKindInternal, start, end)
	e.Attributes = t.setK6Attributes(e, e.Attributes, "") // an iteration is in no group
	if failure != nil {
		e.Status = sdktrace.Status{Code: codes.Error, Description: failure.Error()}
	}
	p.Record(e)
}

// iterationFields reads k6's event.IterData, a type in a package
// extensions cannot import: the iteration number and its error.
func iterationFields(data any) (iteration int64, failure error) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Struct {
		return -2, nil // matches no iteration
	}
	iteration = -2
	if f := v.FieldByName("Iteration"); f.IsValid() && f.CanInt() {
		iteration = f.Int()
	}
	if f := v.FieldByName("Error"); f.IsValid() && f.Kind() == reflect.Interface && !f.IsNil() {
		failure, _ = f.Interface().(error)
	}
	return iteration, failure
}
