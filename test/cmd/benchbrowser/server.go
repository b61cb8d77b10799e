package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The page's sub-resources: 100 in all, same origin, small.
const (
	numPNG     = 30 // <img> PNG
	numSVG     = 10 // <img> SVG
	numScripts = 20 // <script src>, half of them defer
	numStyles  = 20 // <link rel=stylesheet>
	numData    = 20 // fetch() calls of the page's script: small JSON bodies
)

// numResources is how many sub-resources the page loads.
const numResources = numPNG + numSVG + numScripts + numStyles + numData

// maxTrackedLoads bounds the server's per-load bookkeeping.
const maxTrackedLoads = 10000

// resource is one sub-resource body with its content type.
type resource struct {
	contentType string
	body        []byte
}

// site is the benchmark page and its sub-resources, built once.
type site struct {
	page      []byte
	resources map[string]resource // by path, "/r/..."
	// subCache is the Cache-Control of the sub-resources; the page itself
	// is always no-store, so that every load asks the server for it.
	subCache string
}

// newSite builds the page and its numResources sub-resources, every one
// with Cache-Control no-store, or cacheable for an hour when cacheable.
func newSite(cacheable bool) *site {
	s := &site{resources: make(map[string]resource, numResources), subCache: "no-store"}
	if cacheable {
		s.subCache = "public, max-age=3600"
	}
	var head, body, data strings.Builder
	// Each kind of sub-resource, in page order: n bodies served at path (a
	// format of the index), each loaded by element (a format of the path)
	// in the page's head or body. The scripts follow on their own, as every
	// other one defers.
	kinds := []struct {
		n           int
		path        string
		contentType string
		body        func(int) []byte
		in          *strings.Builder
		element     string
	}{
		{numStyles, "/r/style-%02d.css", "text/css; charset=utf-8", cssBody, &head, `<link rel="stylesheet" href="%s">`},
		{numData, "/r/data-%02d.json", "application/json", jsonBody, &data, `%q,`},
		{numPNG, "/r/img-%02d.png", "image/png", pngBody, &body, `<img src="%s" alt="" width="32" height="32">`},
		{numSVG, "/r/icon-%02d.svg", "image/svg+xml", svgBody, &body, `<img src="%s" alt="" width="32" height="32">`},
	}
	for _, k := range kinds {
		for i := range k.n {
			p := fmt.Sprintf(k.path, i)
			s.resources[p] = resource{contentType: k.contentType, body: k.body(i)}
			fmt.Fprintf(k.in, k.element+"\n", p)
		}
	}
	for i := range numScripts {
		p := fmt.Sprintf("/r/script-%02d.js", i)
		s.resources[p] = resource{contentType: "text/javascript; charset=utf-8", body: jsBody(i)}
		attr := ""
		if i%2 == 1 {
			attr = " defer"
		}
		fmt.Fprintf(&body, "<script src=\"%s\"%s></script>\n", p, attr)
	}
	// The page's script fetches the JSON bodies as the page starts, as an
	// application calls its APIs, and notes when the last one arrived:
	// the load event does not wait for fetch() calls, the benchmark does.
	script := "<script>\nPromise.all([\n" + data.String() + "].map((u) => fetch(u).then((r) => r.text())))\n" +
		"  .then(() => { window.__dataDone = performance.now(); }, () => { window.__dataDone = -1; });\n</script>\n"
	s.page = []byte("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>benchbrowser</title>\n" +
		script + head.String() + "</head><body>\n<h1>benchbrowser</h1>\n" + body.String() + "</body></html>\n")
	return s
}

// padding returns n bytes of comment-safe filler.
func padding(n int) string { return strings.Repeat("abcdefghij", n/10) }

func cssBody(i int) []byte {
	return fmt.Appendf(nil, "/* %s */\n.c%d { color: #%06x; margin: %dpx; }\n", padding(200+i*60), i, i*0x0a0b0c, i%7)
}

func jsBody(i int) []byte {
	return fmt.Appendf(nil, "/* %s */\nwindow.__bb = (window.__bb || 0) + 1; var s%d = %d;\n", padding(500+i*150), i, i)
}

func jsonBody(i int) []byte {
	return fmt.Appendf(nil, "{\"i\":%d,\"pad\":%q}\n", i, padding(100+i*90))
}

func svgBody(i int) []byte {
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">`+
		`<circle cx="16" cy="16" r="%d" fill="#%06x"/></svg>`+"\n", 4+i, 0x102030*(i+1)&0xffffff)
}

// pngBody draws a small deterministic image, 8 to 66 pixels wide.
func pngBody(i int) []byte {
	n := 8 + 2*i
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			img.Set(x, y, color.NRGBA{R: uint8(x * 255 / n), G: uint8(y * 255 / n), B: uint8(i * 8), A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// loadKey identifies one page load: the setup and round from the page's
// query string.
type loadKey struct {
	setup string
	round int
}

// loadStats is what the server saw of one page load.
type loadStats struct {
	requests    int                 // the page and its sub-resources
	traceparent int                 // requests with a valid traceparent
	invalid     int                 // requests with a traceparent that is not valid
	traces      map[string]struct{} // distinct trace ids
	spans       map[string]struct{} // distinct parent (span) ids
}

// tracker counts, per page load, the requests and their traceparents.
type tracker struct {
	mu         sync.Mutex
	loads      map[loadKey]*loadStats
	unassigned int // requests that named no load (favicon, ...)
}

func newTracker() *tracker { return &tracker{loads: make(map[loadKey]*loadStats)} }

var traceparentRE = regexp.MustCompile(`^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$`)

// loadOf finds the load a request belongs to: the page's own query, or
// the query of the page that referred to a sub-resource.
func loadOf(r *http.Request) (loadKey, bool) {
	q := r.URL.Query()
	if r.URL.Path != "/page" {
		ref, err := url.Parse(r.Header.Get("Referer"))
		if err != nil || ref.Path != "/page" {
			return loadKey{}, false
		}
		q = ref.Query()
	}
	round, err := strconv.Atoi(q.Get("round"))
	if err != nil || q.Get("setup") == "" {
		return loadKey{}, false
	}
	return loadKey{setup: q.Get("setup"), round: round}, true
}

func (t *tracker) record(r *http.Request) {
	key, ok := loadOf(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !ok {
		t.unassigned++
		return
	}
	st := t.loads[key]
	if st == nil {
		if len(t.loads) >= maxTrackedLoads {
			t.unassigned++
			return
		}
		st = &loadStats{traces: map[string]struct{}{}, spans: map[string]struct{}{}}
		t.loads[key] = st
	}
	st.requests++
	tps := r.Header.Values("Traceparent")
	if len(tps) == 0 {
		return
	}
	m := traceparentRE.FindStringSubmatch(strings.TrimSpace(tps[0]))
	if len(tps) != 1 || m == nil || strings.Trim(m[1], "0") == "" || strings.Trim(m[2], "0") == "" {
		st.invalid++
		return
	}
	st.traceparent++
	st.traces[m[1]] = struct{}{}
	st.spans[m[2]] = struct{}{}
}

// snapshot returns a copy of the per-load counts.
func (t *tracker) snapshot() map[loadKey]loadCounts {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[loadKey]loadCounts, len(t.loads))
	for k, st := range t.loads {
		out[k] = loadCounts{
			requests: st.requests, traceparent: st.traceparent, invalid: st.invalid,
			traces: len(st.traces), spans: len(st.spans),
		}
	}
	return out
}

// reset forgets every load, between k6 runs.
func (t *tracker) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.loads = make(map[loadKey]*loadStats)
	t.unassigned = 0
}

// loadCounts is loadStats with the sets counted.
type loadCounts struct {
	requests, traceparent, invalid, traces, spans int
}

// handler serves the site and records every request in t.
func (s *site) handler(t *tracker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.record(r)
		h := w.Header()
		if r.URL.Path == "/page" {
			h.Set("Content-Type", "text/html; charset=utf-8")
			h.Set("Cache-Control", "no-store")
			h.Set("Content-Length", strconv.Itoa(len(s.page)))
			_, _ = w.Write(s.page)
			return
		}
		res, ok := s.resources[r.URL.Path]
		if !ok {
			h.Set("Cache-Control", "no-store")
			http.NotFound(w, r)
			return
		}
		h.Set("Content-Type", res.contentType)
		h.Set("Cache-Control", s.subCache)
		h.Set("Content-Length", strconv.Itoa(len(res.body)))
		_, _ = w.Write(res.body)
	})
}

// startServer serves the site on a free loopback port until stop.
func startServer(s *site, t *tracker) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{
		Handler:           s.handler(t),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), func() { _ = srv.Close() }, nil
}
