//go:build integration

package integration

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBadInputFailsTheRun checks that each bad input stops k6 with a
// non-zero exit and a message that names the option, the bad value and what
// is allowed, and that none of them is a Go panic. Mistakes in VU code
// abort the test, as exec.test.abort() does, rather than failing one
// iteration among thousands.
func TestBadInputFailsTheRun(t *testing.T) {
	t.Parallel()
	const header = "import tracing from \"k6/x/tracing\";\nimport http from \"k6/http\";\n"
	const body = "\nexport const options = { iterations: 1 };\nexport default function () { %s }\n"
	tests := []struct {
		name, init, vu string
		vars           map[string]string
		want           []string
	}{
		{name: "unknown propagator", init: `tracing.instrumentHTTP({ propagator: "zipkin" });`,
			want: []string{`instrumentHTTP: invalid option "propagator": "zipkin" is not a known propagator; allowed: a name or an array of names from "b3", "b3multi"`}},
		{name: "unknown name in OTEL_PROPAGATORS", init: `tracing.instrumentHTTP();`,
			vars: map[string]string{"OTEL_PROPAGATORS": "tracecontext,b3,zipkin"},
			want: []string{`instrumentHTTP: invalid option "propagator" (the default from OTEL_PROPAGATORS="tracecontext,b3,zipkin"): "zipkin" is not a known propagator`}},
		{name: "bad traceparent.make option", init: `tracing.traceparent.make({ traceId: "00000000000000000000000000000000" });`,
			want: []string{`traceparent.make: invalid option "traceId": "00000000000000000000000000000000" (a string) is not a valid id; allowed: 32 lower-case hex digits, not all zero`}},
		{name: "bad tracestate.make member", init: `tracing.tracestate.make({ k6: 1 });`,
			want: []string{`tracestate.make: invalid option "k6": 1 is not a string`}},
		{name: "headers with bad options in VU code", vu: `tracing.headers({ propagator: "b4" });`,
			want: []string{`test aborted: headers: invalid option "propagator": "b4" is not a known propagator (did you mean "b3"?)`}},
		{name: "sampling out of range", init: `new tracing.Client({ sampling: 2 });`,
			want: []string{`new Client: invalid option "sampling": 2 is out of range; allowed: a number from 0 to 1, or null for 1`}},
		{name: "sampling of the wrong type", init: `tracing.instrumentHTTP({ sampling: "all" });`,
			want: []string{`invalid option "sampling": "all" (a string) is not a number; allowed: a number from 0 to 1, or null for 1`}},
		{name: "unknown option key", init: `tracing.instrumentHTTP({ propagater: "w3c" });`,
			want: []string{`unknown option "propagater" (did you mean "propagator"?); allowed options: "propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat"`}},
		{name: "instrumentHTTP twice", init: `tracing.instrumentHTTP(); tracing.instrumentHTTP({ propagator: "jaeger" });`,
			want: []string{"instrumentHTTP: already instrumented: it can be called only once", "tracing.Client"}},
		{name: "instrumentHTTP in VU code", vu: `tracing.instrumentHTTP();`,
			want: []string{"instrumentHTTP: init context only: call it at the top level of the script"}},
		{name: "options that are not an object", init: `new tracing.Client("w3c");`,
			want: []string{`new Client: invalid options: "w3c" (a string) is not an object; allowed: an object such as { propagator: "w3c", sampling: 1 }`}},
		{name: "bad options to configure", init: `const c = new tracing.Client();`, vu: `c.configure({ sampling: -1 });`,
			want: []string{`Client.configure: invalid option "sampling": -1 is out of range`}},
		{name: "instrumentGRPC twice", init: `tracing.instrumentGRPC(); tracing.instrumentGRPC();`,
			want: []string{"instrumentGRPC: already instrumented: it can be called only once"}},
		{name: "instrumentGRPC in VU code", vu: `tracing.instrumentGRPC();`,
			want: []string{"test aborted: instrumentGRPC: init context only: call it at the top level of the script"}},
		{name: "instrumentGRPC with bad options", init: `tracing.instrumentGRPC({ spans: "yes" });`,
			want: []string{`instrumentGRPC: invalid option "spans": "yes" (a string) is not a boolean or an object`}},
		{name: "instrumentWebSockets twice", init: `tracing.instrumentWebSockets(); tracing.instrumentWebSockets();`,
			want: []string{"instrumentWebSockets: already instrumented: it can be called only once"}},
		{name: "instrumentWebSockets in VU code", vu: `tracing.instrumentWebSockets();`,
			want: []string{"test aborted: instrumentWebSockets: init context only: call it at the top level of the script"}},
		{name: "a WebSocket before instrumentWebSockets", vu: `new tracing.WebSocket("ws://127.0.0.1:1/");`,
			want: []string{"test aborted: new WebSocket: not instrumented: call tracing.instrumentWebSockets() in the init context first"}},
		{name: "traceReport with an unknown backend", vu: `tracing.traceReport({ backend: { type: "zipkin" } });`,
			want: []string{`test aborted: traceReport: invalid option "backend.type": "zipkin" is not a backend this module reads; allowed: "jaeger", "tempo"`}},
		{name: "traceReport with a bad K6_TRACING_BACKEND_TIMEOUT", vu: `tracing.traceReport({ backend: true });`,
			vars: map[string]string{"K6_TRACING_BACKEND_TIMEOUT": "15"},
			want: []string{`traceReport: invalid trace backend configuration: K6_TRACING_BACKEND_TIMEOUT="15": not a positive duration such as "15s"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			script := filepath.Join(t.TempDir(), "bad.js")
			src := header + tc.init + strings.Replace(body, "%s", tc.vu, 1)
			require.NoError(t, os.WriteFile(script, []byte(src), 0o600))
			r := runK6(t, script, tc.vars)
			out := r.stdout + r.stderr
			for _, w := range tc.want {
				require.Contains(t, out, w)
			}
			require.NotContains(t, out, "panic")
			require.NotContains(t, out, "goroutine ")
			require.NotEqual(t, 0, r.exitCode, "k6 must exit non-zero:\n%s", out)
		})
	}
}
