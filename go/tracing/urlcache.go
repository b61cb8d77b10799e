package tracing

import "github.com/xk6-tracing/xk6-tracing/go/spans"

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
