package tracing

import (
	"testing"

	"github.com/grafana/sobek"
	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
)

func TestRestoreBrowserHeaders(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, request string
		want          map[string]string
	}{
		{"a document", `req("Document", "GET", "http://site.test/", "about:blank", {})`,
			map[string]string{"Accept": defaultAccept["Document"]}},
		{"an image", `req("Image", "GET", "http://cdn.test/a.png", "http://site.test/", {})`,
			map[string]string{"Accept": defaultAccept["Image"]}},
		{"the page's own Accept", `req("Fetch", "GET", "http://site.test/api", "http://site.test/", { accept: "application/json" })`,
			map[string]string{"accept": "application/json"}},
		{"a same-origin POST", `req("Fetch", "POST", "http://site.test/api", "http://site.test/x", {})`,
			map[string]string{"Accept": "*/*", "Origin": "http://site.test"}},
		{"a cross-origin fetch", `req("Fetch", "GET", "http://api.test/", "http://site.test/x", {})`,
			map[string]string{"Accept": "*/*", "Origin": "http://site.test"}},
		{"a cross-origin script (no-cors)", `req("Script", "GET", "http://cdn.test/a.js", "http://site.test/", {})`,
			map[string]string{"Accept": "*/*"}},
		{"an Origin already there", `req("XHR", "PUT", "http://site.test/api", "http://site.test/", { Origin: "http://site.test" })`,
			map[string]string{"Accept": "*/*", "Origin": "http://site.test"}},
		{"a frame without an origin", `req("Fetch", "POST", "http://site.test/api", "about:blank", {})`,
			map[string]string{"Accept": "*/*"}},
	}
	for _, c := range cases {
		rt := sobek.New()
		_, err := rt.RunString(`function req(type, method, url, frameURL, headers) {
			return { resourceType: () => type, method: () => method, url: () => url,
				frame: () => ({ url: () => frameURL }), headers: () => headers };
		}`)
		require.NoError(t, err)
		v, err := rt.RunString(c.request)
		require.NoError(t, err)
		req := v.ToObject(rt)
		src, err := jsvalue.CallMethod(req, "headers")
		require.NoError(t, err)
		out := rt.NewObject()
		for _, k := range src.ToObject(rt).Keys() {
			_ = out.Set(k, src.ToObject(rt).Get(k))
		}
		restoreBrowserHeaders(req, jsvalue.CallString(req, "url"), out)
		got := map[string]string{}
		for _, k := range out.Keys() {
			got[k] = out.Get(k).String()
		}
		require.Equal(t, c.want, got, c.name)
	}
}
