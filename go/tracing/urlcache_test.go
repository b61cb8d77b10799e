package tracing

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
)

func TestURLAttributes(t *testing.T) {
	t.Parallel()
	require.Equal(t, []attribute.KeyValue{
		attribute.String("url.full", "https://api.example/x?q=1"),
		attribute.String("server.address", "api.example"),
		attribute.Int("server.port", 443),
	}, urlAttributes("https://api.example/x?q=1"))
	require.Equal(t, []attribute.KeyValue{
		attribute.String("url.full", "http://REDACTED:REDACTED@[::1]:8080/"),
		attribute.String("server.address", "::1"),
		attribute.Int("server.port", 8080),
	}, urlAttributes("http://u:p@[::1]:8080/"))
	require.Equal(t, []attribute.KeyValue{attribute.String("url.full", "/relative")}, urlAttributes("/relative"))
	require.Equal(t, []attribute.KeyValue{attribute.String("url.full", "%zz")}, urlAttributes("%zz"))
}

// A URL sent again costs no parsing, no encoding and no allocation: its
// spans share one set.
func TestURLCacheRemembersRecentURLs(t *testing.T) {
	var c urlCache
	first := c.attributes("http://127.0.0.1:8080/a")
	require.Equal(t, urlAttributes("http://127.0.0.1:8080/a"), first.KeyValues())
	require.Zero(t, testing.AllocsPerRun(100, func() { c.attributes("http://127.0.0.1:8080/a") }))
	require.Same(t, first, c.attributes("http://127.0.0.1:8080/a"))
}

// The cache is bounded: the oldest URL makes room for a new one, and what
// each URL gets is its own.
func TestURLCacheEvictsTheOldest(t *testing.T) {
	var c urlCache
	for i := range urlCacheSize + 1 {
		raw := fmt.Sprintf("http://h%d:%d/", i, 1000+i)
		require.Equal(t, urlAttributes(raw), c.attributes(raw).KeyValues())
	}
	for _, e := range c.entries {
		require.NotEqual(t, "http://h0:1000/", e.url, "the oldest URL was not evicted")
	}
	require.Equal(t, urlAttributes("http://h0:1000/"), c.attributes("http://h0:1000/").KeyValues())
}

// A URL the cache has not seen: parsed, then encoded once for its spans.
// Scripts that put ids in their URLs pay this on every request.
func BenchmarkURLCacheMiss(b *testing.B) {
	var c urlCache
	urls := make([]string, 2*urlCacheSize)
	for i := range urls {
		urls[i] = fmt.Sprintf("https://api.example.com/v1/items/%d?include=details", i)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.attributes(urls[i%len(urls)]) // every one evicted before it comes back
		i++
	}
}
