package main

import (
	"net/http"
	"strings"
)

// The frontend's shop page, for the browser journey: a document with a
// stylesheet, an image and a script, whose script then calls the
// frontend's API with fetch(); the API call goes on to the backend. It
// has the shape examples/browser-spans.ts expects: the page's title ends
// as "ready <status of the POST>".
const (
	shopPath    = "/app"
	shopAPIPath = "/app/api/cart"
)

var shopAssets = map[string]struct{ contentType, body string }{
	shopPath: {"text/html; charset=utf-8", `<!doctype html>
<html><head><meta charset="utf-8"><title>loading</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/app/style.css"></head>
<body><h1>xk6-tracing demo shop</h1><img src="/app/logo.svg" alt="logo" width="32" height="32">
<script src="/app/app.js"></script>
<script>
fetch("/app/api/cart", { method: "POST", headers: { "content-type": "application/json" }, body: '{"item":42}' })
  .then((r) => { document.title = "ready " + r.status; }, () => { document.title = "ready error"; });
</script></body></html>
`},
	"/app/style.css": {"text/css", "h1 { font-family: sans-serif; }\n"},
	"/app/logo.svg": {"image/svg+xml", `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">` +
		`<circle cx="16" cy="16" r="12" fill="#7d64ff"/></svg>` + "\n"},
	"/app/app.js": {"text/javascript", "window.shopLoaded = true;\n"},
}

// isShopAsset reports whether the frontend serves path itself: the shop
// page and its files, not its API, which goes on to the backend.
func isShopAsset(path string) bool {
	_, ok := shopAssets[path]
	return ok && !strings.HasPrefix(path, shopAPIPath)
}

// serveShopAsset answers a request for the shop page or one of its files,
// in a SERVER span when the request carried a trace context.
func (s *service) serveShopAsset(w http.ResponseWriter, r *http.Request) {
	_, span := s.serverSpan(r, readContext(r.Header))
	a := shopAssets[r.URL.Path]
	w.Header().Set("Content-Type", a.contentType)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(a.body))
	endSpan(span, http.StatusOK, nil)
}
