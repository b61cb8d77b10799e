//go:build integration

package integration

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// httpMetrics are the samples every HTTP request emits; each must carry the
// request's trace id.
var httpMetrics = []string{
	"http_reqs", "http_req_duration", "http_req_blocked", "http_req_connecting",
	"http_req_tls_handshaking", "http_req_sending", "http_req_waiting",
	"http_req_receiving", "http_req_failed",
}

// TestEveryMethodCarriesTraceContext covers the old module's test suite for
// instrumentHTTP and Client in both formats: every method, named imports,
// asyncRequest, batch, kept user headers, unmutated params, the right HTTP
// method on the wire, and trace_id metadata equal to the sent trace id on
// every http_* sample, while an un-instrumented request carries none.
func TestEveryMethodCarriesTraceContext(t *testing.T) {
	t.Parallel()
	wantMethod := map[string]string{
		"/get": "GET", "/head": "HEAD", "/post": "POST", "/put": "PUT", "/patch": "PATCH",
		"/del": "DELETE", "/options": "OPTIONS", "/request": "GET", "/async": "POST",
		"/batch-url": "GET", "/batch-array": "POST", "/batch-object": "PUT",
		"/named-get": "GET", "/named-post": "POST",
	}
	for _, api := range []string{"instrument", "client"} {
		for _, format := range []propagation.Format{propagation.W3C, propagation.Jaeger} {
			t.Run(fmt.Sprintf("%s %s", api, format), func(t *testing.T) {
				t.Parallel()
				srv := startServer(t)
				r := runK6(t, "scripts/methods.js", map[string]string{
					"BASE_URL": srv.URL, "PROPAGATOR": format.String(), "API": api,
				})
				requireSuccess(t, r)
				byURL := httpSamplesByURL(r.samples)
				batchTrace := ""
				traced := 0
				for _, req := range srv.Requests() {
					url := srv.URL + req.Path
					if req.Path == "/plain" {
						require.Empty(t, req.Header.Get(mainHeader(format)))
						for _, s := range byURL[url] {
							require.Empty(t, s.Data.Metadata, "un-instrumented request %s", s.Metric)
						}
						continue
					}
					traced++
					require.Equal(t, wantMethod[req.Path], req.Method, req.Path)
					if !strings.HasPrefix(req.Path, "/batch-url") {
						require.Equal(t, "test", req.Header.Get("X-Test-Header"), "user header kept on %s", req.Path)
					}
					require.Len(t, req.Header.Values(mainHeader(format)), 1, req.Path)
					c, ok := contextIn(format, req.Header)
					require.True(t, ok, "valid %s header on %s: %q", format, req.Path, req.Header.Get(mainHeader(format)))
					require.True(t, c.Sampled)
					code, _, ok := propagation.DecodeK6TraceID(c.TraceID)
					require.True(t, ok)
					require.EqualValues(t, propagation.LocalCode, code, "a local run uses code 33")

					got := map[string]int{}
					for _, s := range byURL[url] {
						require.Equal(t, c.TraceID.String(), s.Data.Metadata["trace_id"], "%s on %s", s.Metric, req.Path)
						got[s.Metric]++
					}
					for _, m := range httpMetrics {
						require.Equal(t, 1, got[m], "%s samples on %s", m, req.Path)
					}
					if strings.HasPrefix(req.Path, "/batch") {
						if batchTrace == "" {
							batchTrace = c.TraceID.String()
						}
						require.Equal(t, batchTrace, c.TraceID.String(), "one trace per batch")
					}
				}
				want := len(wantMethod)
				if api == "client" {
					want -= 2 // named imports are k6/http's own functions
				}
				require.Equal(t, want, traced)
			})
		}
	}
}

func TestSpanIDsAreFreshPerRequest(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	requireSuccess(t, runK6(t, "scripts/sampling.js", map[string]string{
		"BASE_URL": srv.URL, "SAMPLING": "absent", "ITERATIONS": "500",
	}))
	spans, traces, digits := map[string]bool{}, map[string]bool{}, map[rune]bool{}
	for _, req := range srv.Requests() {
		c, ok := propagation.ParseTraceparent(req.Header.Get("Traceparent"))
		require.True(t, ok)
		spans[c.SpanID.String()] = true
		traces[c.TraceID.String()] = true
		for _, d := range c.SpanID.String() {
			digits[d] = true
		}
	}
	require.Len(t, spans, 500)
	require.Len(t, traces, 500)
	require.Len(t, digits, 16, "every hex digit occurs in span ids")
}

func TestImportedModuleIsInstrumented(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	r := runK6(t, "scripts/imported.js", map[string]string{"BASE_URL": srv.URL})
	requireSuccess(t, r)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	c, ok := propagation.ParseTraceparent(reqs[0].Header.Get("Traceparent"))
	require.True(t, ok)
	for _, s := range httpSamplesByURL(r.samples)[srv.URL+"/imported"] {
		require.Equal(t, c.TraceID.String(), s.Data.Metadata["trace_id"])
	}
}

func TestCloudRunUsesCloudCode(t *testing.T) {
	t.Parallel()
	for name, env := range map[string]string{
		"cloud load generator": "K6_CLOUDRUN_INSTANCE_ID=0",
		"local run":            "XK6_TRACING_UNRELATED=1",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t)
			requireSuccess(t, runK6(t, "scripts/sampling.js", map[string]string{
				"BASE_URL": srv.URL, "SAMPLING": "1", "ITERATIONS": "3",
			}, env))
			want := int64(propagation.LocalCode)
			if strings.HasPrefix(env, "K6_CLOUDRUN") {
				want = propagation.CloudCode
			}
			for _, req := range srv.Requests() {
				c, ok := propagation.ParseTraceparent(req.Header.Get("Traceparent"))
				require.True(t, ok)
				code, _, ok := propagation.DecodeK6TraceID(c.TraceID)
				require.True(t, ok)
				require.Equal(t, want, code)
			}
		})
	}
}

// TestHTTPDebugShowsTheHeader checks that k6's --http-debug dump, which k6
// prints before the request reaches the transport, shows the trace header.
func TestHTTPDebugShowsTheHeader(t *testing.T) {
	t.Parallel()
	srv := startServer(t)
	script := filepath.Join(t.TempDir(), "debug.js")
	require.NoError(t, os.WriteFile(script, []byte(`
		import http from "k6/http";
		import tracing from "k6/x/tracing";
		tracing.instrumentHTTP();
		export const options = { iterations: 1 };
		export default function () { http.get(__ENV.BASE_URL + "/debug"); }
	`), 0o600))
	r := runK6WithArgs(t, []string{"--http-debug=headers"}, script, map[string]string{"BASE_URL": srv.URL})
	requireSuccess(t, r)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	require.Contains(t, r.stderr, "Traceparent: "+reqs[0].Header.Get("Traceparent"))
}
