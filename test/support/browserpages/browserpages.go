// Package browserpages serves the pages that the browser tests load in
// Chromium: a "site" origin, whose index page loads every kind of
// sub-resource and sends every kind of script request, and a "third-party"
// origin that serves an image, a script and one CORS endpoint. Both listen
// on 127.0.0.1 (on different ports, so on different origins) and record
// every request they receive, so that a test can check which requests
// carried trace headers.
package browserpages

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"html/template"
	"image"
	"image/color"
	"image/png"
	"io"
	"net"
	"net/http"
	"sync"
)

// Origin names, as recorded in Request.Origin.
const (
	Site  = "site"
	Third = "third"
)

// maxRecorded bounds memory: a runaway page cannot grow the record forever.
const maxRecorded = 100_000

// maxBody is how much of a request body is read and hashed.
const maxBody = 1 << 20

// Paths of the site origin. The index page requests each of them once,
// except PathSecond and PathPing, which belong to the second page.
const (
	PathIndex      = "/index.html"
	PathStyle      = "/static/style.css"
	PathScript     = "/static/app.js"
	PathImage      = "/static/logo.png"
	PathFrame      = "/frame.html"
	PathAPIGet     = "/api/data"   // fetch GET, with the query QueryAPIGet
	PathXHRPost    = "/api/upload" // XHR POST of BinaryBody
	PathFetchPost  = "/api/submit" // fetch POST of JSONBody
	PathFetchPut   = "/api/item"   // fetch PUT of TextBody
	PathRedirect   = "/redirect"   // 302 to PathRedirected
	PathRedirected = "/redirected"
	PathOwnContext = "/api/own" // fetch GET whose traceparent the page sets: OwnTraceparent
	PathSecond     = "/second.html"
	PathPing       = "/api/ping" // fetched by the second page, with the page's query
	// PathFailed is the path of Sites.ClosedURL, whose fetch fails.
	PathFailed = "/api/unreachable"
)

// QueryAPIGet is the query string of the fetch GET.
const QueryAPIGet = "x=1&y=%C3%A9"

// Paths of the third-party origin.
const (
	PathThirdScript = "/static/widget.js"
	PathThirdImage  = "/static/pixel.png"
	PathCORS        = "/cors/data" // the only path that answers CORS requests
)

// Bodies the index page sends. Tests hash the same bytes to check that the
// bodies arrived unchanged.
const (
	// JSONBody is sent by fetch POST with Content-Type application/json.
	JSONBody = `{"order":42,"items":["a","b"],"note":"héllo wörld ✓ <&> \"q\""}`
	// TextBody is sent by fetch PUT with Content-Type text/plain.
	TextBody = "plain text body\nline 2\r\nend\x00."
)

// OwnTraceparent is the traceparent the index page's own script sets on its
// fetch of PathOwnContext; an instrumented page must leave it untouched.
const OwnTraceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

// BinaryBody returns the XHR POST body: every byte value, 0 to 255.
func BinaryBody() []byte {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

// SHA256 returns the lower-case hex SHA-256 of b, as Request.BodySHA256.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Request is what a server saw of one request.
type Request struct {
	Origin     string // Site or Third
	Method     string
	Path       string
	Query      string
	Header     http.Header
	BodyLen    int
	BodySHA256 string // of the body's first maxBody bytes
}

// Sites are the two running servers.
type Sites struct {
	SiteURL  string // http://127.0.0.1:<port>, no trailing slash
	ThirdURL string
	// ClosedURL is where the index page sends a request that fails: a
	// loopback port nothing listens on, at PathFailed.
	ClosedURL string

	mu       sync.Mutex
	requests []Request
	dropped  int
	servers  []*http.Server
}

// Start listens on two free loopback ports and serves until Close.
func Start() (*Sites, error) {
	return StartWith(nil)
}

// StartWith is Start with each origin's handler wrapped by wrap, given the
// origin's name (Site or Third): a test instruments the servers with the
// OpenTelemetry SDK this way, as a backend under test would be. The
// recording, and the Cache-Control header, stay outermost.
func StartWith(wrap func(origin string, h http.Handler) http.Handler) (*Sites, error) {
	if wrap == nil {
		wrap = func(_ string, h http.Handler) http.Handler { return h }
	}
	closed, err := closedURL()
	if err != nil {
		return nil, err
	}
	siteLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	thirdLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = siteLn.Close()
		return nil, err
	}
	s := &Sites{SiteURL: "http://" + siteLn.Addr().String(), ThirdURL: "http://" + thirdLn.Addr().String(), ClosedURL: closed}
	site := &http.Server{Handler: s.recording(Site, wrap(Site, http.HandlerFunc(s.serveSite)))}     //nolint:gosec // test server on loopback
	third := &http.Server{Handler: s.recording(Third, wrap(Third, http.HandlerFunc(s.serveThird)))} //nolint:gosec // test server on loopback
	s.servers = []*http.Server{site, third}
	go func() { _ = site.Serve(siteLn) }()
	go func() { _ = third.Serve(thirdLn) }()
	return s, nil
}

// closedURL returns the URL of a loopback port nothing listens on, for
// the index page's request that fails.
func closedURL() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	return "http://" + addr + PathFailed, l.Close()
}

// Close stops both servers.
func (s *Sites) Close() error {
	var errs []error
	for _, srv := range s.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}

// Requests returns a copy of what both servers recorded so far, in the
// order they received it.
func (s *Sites) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Dropped is how many requests arrived after the record was full.
func (s *Sites) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// recording records each request, with its body's hash, before next
// answers it.
func (s *Sites) recording(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
		req := Request{
			Origin: origin, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), BodyLen: len(body), BodySHA256: SHA256(body),
		}
		s.mu.Lock()
		if len(s.requests) < maxRecorded {
			s.requests = append(s.requests, req)
		} else {
			s.dropped++
		}
		s.mu.Unlock()
		w.Header().Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// pixel is a 1x1 PNG.
var pixel = func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.NRGBA{R: 200, G: 20, B: 20, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}()

func write(w http.ResponseWriter, contentType, body string) {
	w.Header().Set("Content-Type", contentType)
	_, _ = io.WriteString(w, body)
}

func (s *Sites) serveSite(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/", PathIndex:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = indexPage.Execute(w, indexData{
			Third: s.ThirdURL, Closed: s.ClosedURL, JSONBody: JSONBody, TextBody: TextBody, OwnTraceparent: OwnTraceparent,
			QueryAPIGet: QueryAPIGet,
		})
	case PathStyle:
		write(w, "text/css", "#css-marker { display: none; }\n")
	case PathScript:
		write(w, "text/javascript", "window.appLoaded = true;\n")
	case PathImage:
		write(w, "image/png", string(pixel))
	case PathFrame:
		write(w, "text/html; charset=utf-8", framePage)
	case PathSecond:
		write(w, "text/html; charset=utf-8", secondPage)
	case PathAPIGet, PathXHRPost, PathFetchPost, PathFetchPut, PathOwnContext, PathPing, PathRedirected:
		write(w, "application/json", `{"ok":true}`)
	case PathRedirect:
		http.Redirect(w, r, PathRedirected, http.StatusFound)
	default:
		http.NotFound(w, r)
	}
}

// serveThird allows CORS on PathCORS only, and only for the site origin:
// the preflight's answer echoes the requested headers. Every other path
// answers without any Access-Control-* header, so a browser refuses a
// cross-origin read (or a preflight) there.
func (s *Sites) serveThird(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case PathThirdScript:
		write(w, "text/javascript", "window.thirdScriptLoaded = true;\n")
	case PathThirdImage:
		write(w, "image/png", string(pixel))
	case PathCORS:
		if r.Header.Get("Origin") == s.SiteURL {
			h := w.Header()
			h.Set("Access-Control-Allow-Origin", s.SiteURL)
			h.Add("Vary", "Origin")
			if r.Method == http.MethodOptions {
				h.Set("Access-Control-Allow-Methods", "GET, POST")
				if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
					h.Set("Access-Control-Allow-Headers", req)
				}
				h.Set("Access-Control-Max-Age", "0")
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		write(w, "application/json", `{"ok":true}`)
	default:
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}
}

type indexData struct {
	Third, Closed, JSONBody, TextBody, OwnTraceparent, QueryAPIGet string
}

// indexPage loads a stylesheet, a script, an image and an iframe from its
// own origin, a script and an image from the third party, and sends a
// fetch GET, an XHR POST with a binary body, a fetch POST with a JSON body,
// a fetch PUT, a fetch through a redirect, a CORS fetch to the third party,
// a fetch with its own traceparent and a fetch that fails (Closed). Once all of them settled and the
// page loaded, window.results holds what the page saw and window.done is
// true. html/template writes the values into the script as JS strings.
//
// The iframe starts empty and loads PathFrame 250 ms later. k6 v2.2 never
// continues an intercepted request of a frame it has not yet recorded: it
// learns of frames and of requests on two goroutines, and a new frame's
// first request can come first on a loaded machine, leaving the page
// waiting until its navigation times out (see docs/browser.md, "Two k6
// v2.2 races"). The tests check our tracing of frame requests, not that
// race, so the frame exists well before its document is requested.
var indexPage = template.Must(template.New("index").Parse(`<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>xk6-tracing browser test</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/app.js"></script>
<script src="{{.Third}}/static/widget.js"></script>
</head>
<body>
<div id="css-marker">css not loaded</div>
<img id="own-img" src="/static/logo.png" onload="this.dataset.state='load'" onerror="this.dataset.state='error'">
<img id="third-img" src="{{.Third}}/static/pixel.png" onload="this.dataset.state='load'" onerror="this.dataset.state='error'">
<iframe id="frame"></iframe>
<script>
(function () {
  const third = {{.Third}};
  const results = {};
  window.results = results;
  const failed = (e) => "error: " + e;
  const status = (name, p) => p.then((r) => { results[name] = r.status; }, (e) => { results[name] = failed(e); });
  const tasks = [];

  tasks.push(status("fetchGet", fetch("/api/data?" + {{.QueryAPIGet}})));

  tasks.push(new Promise((resolve) => {
    const body = new Uint8Array(256);
    for (let i = 0; i < 256; i++) body[i] = i;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/upload");
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.onload = () => { results.xhrPost = xhr.status; resolve(); };
    xhr.onerror = () => { results.xhrPost = "error"; resolve(); };
    xhr.send(body);
  }));

  tasks.push(status("fetchPost", fetch("/api/submit", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: {{.JSONBody}},
  })));

  tasks.push(status("fetchPut", fetch("/api/item", {
    method: "PUT", headers: { "Content-Type": "text/plain" }, body: {{.TextBody}},
  })));

  tasks.push(fetch("/redirect").then(
    (r) => { results.redirect = { status: r.status, redirected: r.redirected, path: new URL(r.url).pathname }; },
    (e) => { results.redirect = { error: failed(e) }; }));

  tasks.push(status("cors", fetch(third + "/cors/data", { mode: "cors" })));

  tasks.push(status("ownContext", fetch("/api/own", { headers: { traceparent: {{.OwnTraceparent}} } })));

  tasks.push(status("failed", fetch({{.Closed}})));

  tasks.push(new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", () => resolve());
  }));

  // The iframe gets its document once k6 surely knows the frame.
  tasks.push(new Promise((resolve) => {
    const frame = document.getElementById("frame");
    setTimeout(() => {
      frame.addEventListener("load", () => resolve(), { once: true });
      frame.src = "/frame.html";
    }, 250);
  }));

  Promise.all(tasks).then(() => {
    const frame = document.getElementById("frame");
    let frameMarker = null;
    try { frameMarker = frame.contentDocument.getElementById("frame-marker").textContent; } catch (e) { frameMarker = failed(e); }
    results.css = getComputedStyle(document.getElementById("css-marker")).display === "none";
    results.appScript = window.appLoaded === true;
    results.thirdScript = window.thirdScriptLoaded === true;
    results.ownImage = document.getElementById("own-img").dataset.state || "pending";
    results.thirdImage = document.getElementById("third-img").dataset.state || "pending";
    results.frame = frameMarker;
    window.done = true;
  });
})();
</script>
</body>
</html>
`))

// framePage is the same-origin iframe's document.
const framePage = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><p id="frame-marker">frame loaded</p></body></html>
`

// secondPage fetches PathPing with its own query string, then sets
// window.done.
const secondPage = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>second</title></head>
<body>
<script>
fetch("/api/ping" + location.search).then(
  (r) => { window.results = { ping: r.status }; window.done = true; },
  (e) => { window.results = { ping: "error: " + e }; window.done = true; });
</script>
</body></html>
`
