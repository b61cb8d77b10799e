package tracing

import (
	"strings"

	"github.com/grafana/sobek"

	"github.com/xk6-tracing/xk6-tracing/go/jsvalue"
	"github.com/xk6-tracing/xk6-tracing/go/options"
)

// The k6 browser module builds route.request().headers() from CDP's
// Network.requestWillBeSent event, which lacks two headers Chromium has
// already set when it pauses the request: Accept, and Origin. Since
// route.continue({ headers }) replaces the whole list, continuing with
// those headers alone would send requests without them, and a CORS
// request without Origin fails. (Puppeteer had the same gap and fixed it
// by reading Fetch.requestPaused's headers, which k6 does not expose.) So
// they are restored here as Chromium sets them: the integration test
// compares every header of a traced page with an untraced one, and fails
// when a Chromium release changes them.

// defaultAccept is Chromium's Accept header for each CDP resource type, as
// Chromium 156 sends them; the other types send "*/*". Older releases
// leave out image/jxl, which only changes which image formats a server may
// choose.
var defaultAccept = map[string]string{
	"Document": "text/html,application/xhtml+xml,application/xml;q=0.9,image/jxl,image/avif,image/webp," +
		"image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
	"Stylesheet": "text/css,*/*;q=0.1",
	"Image":      "image/jxl,image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8",
}

// corsTypes are the resource types that are fetched in CORS mode, and so
// carry Origin, when they cross origins.
var corsTypes = map[string]bool{"XHR": true, "Fetch": true, "EventSource": true, "Font": true}

// restoreBrowserHeaders adds Accept and Origin to out, a copy of req's
// headers, when Chromium would send them and req's headers lack them.
func restoreBrowserHeaders(req *sobek.Object, rawURL string, out *sobek.Object) {
	hasAccept, hasOrigin := false, false
	for _, name := range out.Keys() {
		hasAccept = hasAccept || strings.EqualFold(name, "accept")
		hasOrigin = hasOrigin || strings.EqualFold(name, "origin")
	}
	resourceType := jsvalue.CallString(req, "resourceType")
	if !hasAccept {
		accept, ok := defaultAccept[resourceType]
		if !ok {
			accept = "*/*"
		}
		_ = out.Set("Accept", accept)
	}
	if hasOrigin {
		return
	}
	// The Fetch standard sends Origin with every request whose method is
	// not GET or HEAD, and with every CORS-mode request across origins.
	// Most requests (images, scripts, styles) are neither, and skip the
	// frame lookup, which builds a large object.
	method := strings.ToUpper(jsvalue.CallString(req, "method"))
	unsafeMethod := method != "GET" && method != "HEAD"
	if !unsafeMethod && !corsTypes[resourceType] {
		return
	}
	initiator, ok := frameOrigin(req)
	if !ok {
		return
	}
	if requestOrigin, _ := options.OriginOf(rawURL); unsafeMethod || requestOrigin != initiator {
		_ = out.Set("Origin", initiator)
	}
}

// frameOrigin returns the origin of the document of req's frame, which is
// the origin its requests go out with.
func frameOrigin(req *sobek.Object) (string, bool) {
	frame, err := jsvalue.CallMethod(req, "frame")
	if err != nil {
		return "", false
	}
	obj, ok := frame.(*sobek.Object)
	if !ok {
		return "", false
	}
	return options.OriginOf(jsvalue.CallString(obj, "url"))
}
