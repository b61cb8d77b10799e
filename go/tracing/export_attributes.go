package tracing

import (
	"net/url"
	"strconv"

	"go.k6.io/k6/v2/js/modules"
	"go.k6.io/k6/v2/lib"
	"go.k6.io/k6/v2/metrics"
	"go.opentelemetry.io/otel/attribute"

	"github.com/xk6-tracing/xk6-tracing/go/spans"
)

// The slots of an ended span's shared attribute sets ([spans.Ended.Shared]).
const (
	sharedURL = 0 // the request URL's, from the tracer's urlCache
	sharedK6  = 1 // the VU's, from the tracer's k6Shared
)

// appendK6Attributes appends what says where in the test a live span
// happened: the attributes of the VU's shared set (test run, VU,
// scenario), then its iteration and group.
func (t *tracer) appendK6Attributes(attrs []attribute.KeyValue) []attribute.KeyValue {
	state := t.vu.State()
	attrs = append(attrs, t.k6.set(t.proc.run.testRunID, state, scenarioName(t.vu)).KeyValues()...)
	return appendIterationAndGroup(attrs, state, currentGroup(state))
}

// setK6Attributes gives an ended span what appendK6Attributes gives a
// live one: the VU's shared set, in e's slot for it, and its iteration
// and group appended to attrs, which it returns. The group is the one the
// span's work began in, which its caller knows.
func (t *tracer) setK6Attributes(e *spans.Ended, attrs []attribute.KeyValue, group string) []attribute.KeyValue {
	state := t.vu.State()
	e.Shared[sharedK6] = t.k6.set(t.proc.run.testRunID, state, scenarioName(t.vu))
	return appendIterationAndGroup(attrs, state, group)
}

// appendIterationAndGroup appends the k6 attributes a span does not share
// with the VU's other spans; none outside a VU (state nil).
func appendIterationAndGroup(attrs []attribute.KeyValue, state *lib.State, group string) []attribute.KeyValue {
	if state == nil {
		return attrs
	}
	attrs = append(attrs, attribute.Int64("k6.iteration", state.Iteration))
	if group != "" {
		attrs = append(attrs, attribute.String("k6.group", group))
	}
	return attrs
}

// k6Shared is the shared set of the k6 attributes a VU's spans have in
// common, made again only when the VU moves to another scenario. A tracer
// is its VU's, and its spans are built on the VU's goroutine, or, for an
// iteration's root, on the goroutine of k6's IterEnd handler while the VU
// waits for it: it needs no lock.
type k6Shared struct {
	testRunID string
	inVU      bool // the set was made with a VU state
	vu        uint64
	scenario  string
	shared    *spans.SharedAttributes
}

// set returns the set for a span of testRunID, state's VU (nil outside
// one) and scenario ("" outside one).
func (k *k6Shared) set(testRunID string, state *lib.State, scenario string) *spans.SharedAttributes {
	var vu uint64
	if state != nil {
		vu = state.VUID
	}
	if k.shared != nil && k.testRunID == testRunID && k.inVU == (state != nil) && k.vu == vu && k.scenario == scenario {
		return k.shared
	}
	kvs := []attribute.KeyValue{attribute.String("k6.test_run_id", testRunID)}
	if state != nil {
		kvs = append(kvs, attribute.Int64("k6.vu", int64(vu)))
	}
	if scenario != "" {
		kvs = append(kvs, attribute.String("k6.scenario", scenario))
	}
	*k = k6Shared{
		testRunID: testRunID, inVU: state != nil, vu: vu, scenario: scenario,
		shared: spans.NewSharedAttributes(kvs...),
	}
	return k.shared
}

// currentGroup returns the VU's group path, "" outside a group or a VU
// (state nil). It reads the tag in place: k6's GetCurrentValues would copy
// the metadata map.
func currentGroup(state *lib.State) string {
	if state == nil {
		return ""
	}
	var group string
	state.Tags.Modify(func(tm *metrics.TagsAndMeta) { group, _ = tm.Tags.Get("group") })
	return group
}

// scenarioName returns the name of the VU's current scenario, "" outside
// one.
func scenarioName(vu modules.VU) string {
	if s := lib.GetScenarioState(vu.Context()); s != nil {
		return s.Name
	}
	return ""
}

// appendRequestAttributes appends the HTTP client semantic conventions'
// request attributes that are not the URL's (see [urlCache]).
func (t *tracer) appendRequestAttributes(attrs []attribute.KeyValue, req request) []attribute.KeyValue {
	attrs = append(attrs, attribute.String("http.request.method", req.method))
	if req.name != "" {
		attrs = append(attrs, attribute.String("k6.name", req.name))
	}
	return attrs
}

// urlAttributes returns the attributes a URL gives a client span: url.full
// without credentials, server.address and server.port.
func urlAttributes(raw string) []attribute.KeyValue {
	u, err := url.Parse(raw)
	if err != nil {
		return []attribute.KeyValue{attribute.String("url.full", raw)}
	}
	attrs := make([]attribute.KeyValue, 1, 3)
	attrs[0] = attribute.String("url.full", redacted(u, raw))
	if u.Host != "" {
		host, port := u.Hostname(), u.Port()
		if port == "" {
			port = defaultPorts[u.Scheme]
		}
		attrs = append(attrs, attribute.String("server.address", host))
		if n, err := strconv.Atoi(port); err == nil {
			attrs = append(attrs, attribute.Int("server.port", n))
		}
	}
	return attrs
}

// defaultPorts are the ports of URLs that name none.
var defaultPorts = map[string]string{"http": "80", "https": "443", "ws": "80", "wss": "443"}

// redacted returns raw, parsed as u, with its credentials replaced.
func redacted(u *url.URL, raw string) string {
	if u.User == nil {
		return raw
	}
	redacted := *u
	redacted.User = url.UserPassword("REDACTED", "REDACTED")
	return redacted.String()
}

// urlCacheSize is how many URLs a tracer remembers the span attributes of.
// A load test sends the same few URLs again and again; parsing one costs
// more than all the other attributes of its span.
const urlCacheSize = 8

// urlCache holds the span attributes of the URLs a tracer's requests
// named last, replaced in turn, as shared sets: encoded once, not for
// every span. A tracer is its VU's, and spans are built on the VU's
// goroutine, so it needs no lock.
type urlCache struct {
	entries [urlCacheSize]urlEntry
	next    int
}

type urlEntry struct {
	url string
	set *spans.SharedAttributes
}

// attributes returns the shared set of raw's span attributes (see
// [urlAttributes]).
func (c *urlCache) attributes(raw string) *spans.SharedAttributes {
	for i := range c.entries {
		if e := &c.entries[i]; e.set != nil && e.url == raw {
			return e.set
		}
	}
	set := spans.NewSharedAttributes(urlAttributes(raw)...)
	c.entries[c.next] = urlEntry{url: raw, set: set}
	c.next = (c.next + 1) % urlCacheSize
	return set
}
