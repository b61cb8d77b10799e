package tracing

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/sirupsen/logrus"
	"go.k6.io/k6/v2/js/modules"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// providers are the span providers of the test process, one per distinct
// export configuration, shared by all VUs. They are flushed when k6
// announces the end of the test, so that scripts never call anything.
type providers struct {
	mu         sync.Mutex
	byKey      map[string]*spans.Provider
	subscribed bool
	flushed    bool
	logger     logrus.FieldLogger
}

// provider returns the provider for cfg, starting it, and subscribing to
// the end of the test, on first use.
func (e *providers) provider(vu modules.VU, cfg spans.Config) (*spans.Provider, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	key := configKey(cfg)
	if p, ok := e.byKey[key]; ok {
		return p, nil
	}
	if e.flushed {
		return nil, fmt.Errorf("%w: the test has ended", spans.ErrInvalidConfig)
	}
	p, err := spans.Start(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	if e.byKey == nil {
		e.byKey = map[string]*spans.Provider{}
	}
	e.byKey[key] = p
	if !e.subscribed && vu.Events().Global != nil {
		e.subscribed = true
		e.logger = vuLogger(vu)
		_, events := vu.Events().Global.Subscribe(eventTestEnd, eventExit)
		go func() {
			for ev := range events {
				e.flush()
				ev.Done()
			}
		}()
	}
	return p, nil
}

// flush shuts every provider down, each within its flush timeout, and
// reports in one warning line per provider the spans that were not
// delivered, and why.
func (e *providers) flush() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.flushed {
		return
	}
	e.flushed = true
	var wg sync.WaitGroup
	for _, p := range e.byKey {
		wg.Go(func() {
			stats, err := p.Shutdown(context.Background())
			if w := lossWarning(stats, p.Config(), err); w != "" && e.logger != nil {
				e.logger.Warn(w)
			}
		})
	}
	wg.Wait()
}

// lossWarning says how many of a provider's spans were not delivered, by
// cause, and what to change for each; "" when every span was. lastErr is
// what the provider's Shutdown returned: the error of the last export
// attempt that failed, which comes last, since it may say anything.
func lossWarning(stats spans.Stats, cfg spans.Config, lastErr error) string {
	if stats.Lost() == 0 {
		return ""
	}
	// Exports that failed, or were retrying a failure when the flush
	// timeout ended them, held the queue up: more room or time would
	// only hold more for a collector that is down.
	failing := lastErr != nil && !errors.Is(lastErr, spans.ErrFlushTimeout)
	unsaid := failing
	advise := func(advice string) string {
		if unsaid {
			unsaid = false // said once, in the first cause
			return "exports were failing: check the collector first; else " + advice
		}
		return advice
	}
	var causes []string
	if stats.QueueFull > 0 {
		causes = append(causes, fmt.Sprintf("%d dropped as they ended because the queue of %d spans was full (%s)",
			stats.QueueFull, cfg.QueueSize, advise("raise spans.queueSize or spans.concurrentExports, or lower sampling")))
	}
	if stats.FlushTimeout > 0 {
		advice := advise("raise spans.flushTimeout")
		if failing && stats.Failed == 0 {
			// No failed export names the error: this cause does.
			advice += fmt.Sprintf("; last error: %v", lastErr)
		}
		causes = append(causes, fmt.Sprintf("%d still queued when the flush timeout of %s ended (%s)",
			stats.FlushTimeout, cfg.FlushTimeout, advice))
	}
	if stats.Failed > 0 {
		causes = append(causes, fmt.Sprintf("%d in exports that failed (check the collector; last error: %v)",
			stats.Failed, lastErr))
	}
	return fmt.Sprintf("tracing: %d of %d spans were not delivered to %s: %s", stats.Lost(), stats.Ended,
		cfg.Endpoint, strings.Join(causes, "; "))
}

// configKey identifies an export configuration.
func configKey(c spans.Config) string {
	headers := make([]string, 0, len(c.Headers))
	for k, v := range c.Headers {
		headers = append(headers, k+"="+v)
	}
	sort.Strings(headers)
	return fmt.Sprintf("%s|%s|%s|%s|%v|%d|%s|%d", c.Protocol, c.Endpoint, strings.Join(headers, ","),
		c.ServiceName, c.Resource, c.QueueSize, c.FlushTimeout, c.ConcurrentExports)
}

// vuLogger returns the logger of the VU's state, or of its init
// environment.
func vuLogger(vu modules.VU) logrus.FieldLogger {
	if s := vu.State(); s != nil && s.Logger != nil {
		return s.Logger
	}
	if env := vu.InitEnv(); env != nil && env.Logger != nil {
		return env.Logger
	}
	return nil
}

// providerRef links a tracer to its span provider, which is looked up on
// the first sampled request.
type providerRef struct {
	once     sync.Once
	provider *spans.Provider
}

// spanProvider returns the provider of the tracer's spans, nil when the
// spans option is off or the provider could not start (logged once).
func (t *tracer) spanProvider() *spans.Provider {
	if t.opts.Spans == nil || t.proc == nil {
		return nil
	}
	t.provider.once.Do(func() {
		p, err := t.proc.providers.provider(t.vu, t.proc.run.withProcess(*t.opts.Spans, t.vu))
		if err != nil {
			if logger := vuLogger(t.vu); logger != nil {
				logger.WithError(err).Warn("tracing: spans are not exported")
			}
			return
		}
		t.provider.provider = p
	})
	return t.provider.provider
}

// k6 announces the end of the test to extensions through the VU's global
// event subscriber. Its event types live in go.k6.io/k6/v2/internal/event,
// which an extension cannot import, so they are named here by value; the
// untyped constants convert to k6's type where Subscribe takes them.
// TestEventNumbers fails if k6 renumbers them.
const (
	eventTestEnd = 3 // event.TestEnd: the test's iterations are over
	eventExit    = 6 // event.Exit: the k6 process is about to exit
)

// The resource attributes that say which k6 process exported a span.
const (
	resourceInstanceID       = "service.instance.id"
	resourceExecutionSegment = "k6.execution_segment"
)

// withProcess returns cfg with the resource attributes of this k6
// process: its service.instance.id and its execution segment, unless
// OTEL_RESOURCE_ATTRIBUTES set them.
func (r *runInfo) withProcess(cfg spans.Config, vu modules.VU) spans.Config {
	has := func(key string) bool {
		return slices.ContainsFunc(cfg.Resource, func(a spans.Attribute) bool { return a.Key == key })
	}
	resource := slices.Clip(cfg.Resource) // never append into the options' own array
	if !has(resourceInstanceID) {
		resource = append(resource, spans.Attribute{Key: resourceInstanceID, Value: r.processID})
	}
	if !has(resourceExecutionSegment) {
		resource = append(resource, spans.Attribute{Key: resourceExecutionSegment, Value: r.executionSegment(vu)})
	}
	cfg.Resource = resource
	return cfg
}
