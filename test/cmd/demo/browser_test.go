package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/test/support/browserenv"
	"github.com/xk6-tracing/xk6-tracing/test/support/otlpsink"
)

// journey returns the spans of a browser journey as the demo expects
// them: the page, a span per request of the shop, each the parent of the
// frontend's SERVER span; the API call's goes on to the backend.
func journey() []otlpsink.Span {
	const trace = "dc0742d0dce0c6c1bcfeed31738ffa29"
	span := func(id, parent, service, name string, attrs map[string]string) otlpsink.Span {
		return otlpsink.Span{TraceID: trace, SpanID: id, ParentID: parent, Service: service, Name: name, Attrs: attrs}
	}
	spans := []otlpsink.Span{span("p000000000000000", "", k6Service, pageSpanName, nil)}
	i := 0
	for path := range shopAssets {
		i++
		id := strings.Repeat(string(rune('a'+i)), 15) + "0"
		spans = append(spans,
			span(id, "p000000000000000", k6Service, "GET", map[string]string{
				"url.full": "http://127.0.0.1:8080" + path, "k6.browser.propagated": "true", "k6.browser.resource_type": "document",
			}),
			span(id[:15]+"1", id, frontendService, "GET "+path, nil))
	}
	return append(spans,
		span("f000000000000000", "p000000000000000", k6Service, "POST", map[string]string{
			"url.full": "http://127.0.0.1:8080" + shopAPIPath, "k6.browser.propagated": "true", "k6.browser.resource_type": "fetch",
		}),
		span("f000000000000001", "f000000000000000", frontendService, "POST "+shopAPIPath, nil),
		span("f000000000000002", "f000000000000001", frontendService, "POST "+shopAPIPath, nil),
		span("f000000000000003", "f000000000000002", backendService, "POST "+shopAPIPath, nil))
}

func TestVerifyBrowserTrace(t *testing.T) {
	t.Parallel()
	require.Empty(t, verifyBrowserTrace(buildTraces(journey())))

	noBackend := slices.DeleteFunc(journey(), func(s otlpsink.Span) bool { return s.Service == backendService })
	require.Equal(t, []string{"the API call's frontend span has no backend span under it"}, verifyBrowserTrace(buildTraces(noBackend)))

	noFetch := slices.DeleteFunc(journey(), func(s otlpsink.Span) bool { return strings.HasPrefix(s.SpanID, "f") })
	require.Equal(t, []string{"no span of the page's fetch() of " + shopAPIPath}, verifyBrowserTrace(buildTraces(noFetch)))

	noPage := slices.DeleteFunc(journey(), func(s otlpsink.Span) bool { return s.Name == pageSpanName })
	require.Equal(t, []string{`the trace's root is not k6's "browser page" span`}, verifyBrowserTrace(buildTraces(noPage)))

	require.Equal(t, []string{"0 traces, want the page's one"}, verifyBrowserTrace(nil))
}

func TestPathOf(t *testing.T) {
	t.Parallel()
	require.Equal(t, "/app/api/cart", pathOf("http://127.0.0.1:8080/app/api/cart?x=1"))
	require.Equal(t, "/", pathOf("http://127.0.0.1:8080"))
	require.Equal(t, "not a url", pathOf("not a url"))
}

// TestBrowserJourneyWithoutChromium: without Chromium the journey says
// how to get it, and the demo goes on (errNoChromium, which main ignores).
func TestBrowserJourneyWithoutChromium(t *testing.T) {
	saved := browserEnv
	t.Cleanup(func() { browserEnv = saved })
	browserEnv = func() ([]string, error) { return nil, browserenv.ErrNoChromium }
	var out strings.Builder
	err := runBrowserJourney(&out, false, "./k6", time.Second)
	require.ErrorIs(t, err, errNoChromium)
	require.Contains(t, out.String(), "the browser journey is skipped: no Chromium found")
	require.Contains(t, out.String(), "`make chromium` installs Debian's chromium package")
	require.Contains(t, out.String(), "K6_BROWSER_EXECUTABLE_PATH")
}
