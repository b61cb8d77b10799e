package tracing

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/xk6-tracing/xk6-tracing/go/options"
	"github.com/xk6-tracing/xk6-tracing/go/propagation"
)

// TestContextHelpers runs the JS helpers against the real module: each
// expression must be true.
func TestContextHelpers(t *testing.T) {
	t.Parallel()
	const tp = `"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"`
	tests := []struct{ name, expr string }{
		{"parse reads the fields", `(() => { const p = tracing.traceparent.parse(` + tp + `);
			return p.version === "00" && p.traceId === "4bf92f3577b34da6a3ce929d0e0e4736" &&
				p.parentId === "00f067aa0ba902b7" && p.flags === 1 && p.sampled === true; })()`},
		{"parse round-trips", `tracing.traceparent.parse(` + tp + `).toString() === ` + tp},
		{"String() uses toString", `String(tracing.traceparent.parse(` + tp + `)) === ` + tp},
		{"parse returns null for upper-case hex", `tracing.traceparent.parse(` + tp + `.toUpperCase()) === null`},
		{"parse returns null for version ff", `tracing.traceparent.parse("ff" + ` + tp + `.slice(2)) === null`},
		{"child keeps trace and flags", `(() => { const p = tracing.traceparent.parse(` + tp + `), c = p.child();
			return c.traceId === p.traceId && c.parentId !== p.parentId && c.sampled && /^[0-9a-f]{16}$/.test(c.parentId); })()`},
		{"make without options is a new sampled trace", `(() => { const p = tracing.traceparent.make();
			return /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/.test(p.toString()); })()`},
		{"make with options", `tracing.traceparent.make({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
			parentId: "00f067aa0ba902b7", sampled: false, random: true }).toString() ===
			"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02"`},
		{"tracestate set moves to the front", `tracing.tracestate.make({ a: "1", b: "2" }).set("b", "3").toString() === "b=3,a=1"`},
		{"tracestate get, delete and size", `(() => { const s = tracing.tracestate.parse("a=1, b=2");
			return s.get("b") === "2" && s.delete("a") && !s.delete("a") && s.size === 1 && s.get("a") === undefined; })()`},
		{"tracestate keys in order", `tracing.tracestate.parse("x=1,y=2").keys().join() === "x,y"`},
		{"tracestate with duplicated keys is discarded", `tracing.tracestate.parse("a=1,a=2") === null`},
		{"tracestate drops the right-most member at 33", `(() => { const s = tracing.tracestate.make();
			for (let i = 0; i < 33; i++) s.set("k" + i, "v"); return s.size === 32 && s.get("k0") === undefined; })()`},
		{"baggage decodes and encodes", `(() => { const b = tracing.baggage.parse("user=alice%20smith,team=qa;p=1");
			return b.get("user") === "alice smith" && b.get("team") === "qa" && b.size === 2; })()`},
		{"baggage make encodes", `tracing.baggage.make({ q: "a b,c" }).toString() === "q=a%20b%2Cc"`},
		{"headers of a new span", `(() => { const h = tracing.headers();
			return Object.keys(h).join() === "traceparent" && tracing.traceparent.parse(h.traceparent) !== null; })()`},
		{"headers in several formats", `(() => { const h = tracing.headers({ propagator: ["w3c", "b3"], baggage: { a: "b" } });
			const p = tracing.traceparent.parse(h.traceparent);
			return h.b3 === p.traceId + "-" + p.parentId + "-1" && h.baggage === "a=b"; })()`},
		{"headers are new each time", `tracing.headers().traceparent !== tracing.headers().traceparent`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing");`)
			require.True(t, h.mustRun(tc.expr).ToBoolean(), tc.expr)
		})
	}
}

func TestContextHelperErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, code, want string }{
		{"parse of a number", `tracing.traceparent.parse(1)`, "traceparent.parse: 1 is not a string"},
		{"make with a short trace id", `tracing.traceparent.make({ traceId: "abc" })`,
			`traceparent.make: invalid option "traceId": "abc" (a string) is not a valid id; allowed: 32 lower-case hex digits, not all zero`},
		{"make with a zero span id", `tracing.traceparent.make({ parentId: "0000000000000000" })`,
			`invalid option "parentId": "0000000000000000" (a string) is not a valid id; allowed: 16 lower-case hex digits`},
		{"make with an unknown option", `tracing.traceparent.make({ traceid: "x" })`,
			`unknown option "traceid" (did you mean "traceId"?)`},
		{"tracestate with an upper-case key", `tracing.tracestate.make({ Vendor: "x" })`, `tracestate.make: `},
		{"tracestate value with a comma", `tracing.tracestate.make().set("k", "a,b")`, `tracestate.set: `},
		{"baggage key that is not a token", `tracing.baggage.make({ "a b": "x" })`, `baggage.make: `},
		{"headers with bad options", `tracing.headers({ sampling: 2 })`, `headers: invalid option "sampling": 2 is out of range`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.mustRun(`const tracing = require("k6/x/tracing");`)
			_, err := h.run(tc.code)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestHeadersFollowInstrumentHTTP: without options, headers() uses the
// options instrumentHTTP was given.
func TestHeadersFollowInstrumentHTTP(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.mustRun(`const tracing = require("k6/x/tracing");
		tracing.instrumentHTTP({ propagator: "b3", baggage: { a: "b" } });`)
	require.Equal(t, "b3,baggage", h.mustRun(`Object.keys(tracing.headers()).join()`).String())
}

func TestIsOurHeader(t *testing.T) {
	t.Parallel()
	opts, err := options.DecodeHTTP(nil, options.Defaults{HTTP: options.Default()})
	require.NoError(t, err)
	opts.Propagator = propagation.NewPropagator(propagation.W3C, propagation.Jaeger)
	tr := &tracer{opts: opts}
	for name, want := range map[string]bool{
		"traceparent": true, "TraceParent": true, "Tracestate": true,
		"uber-trace-id": true, "Uberctx-User": true, "uberctx-": false,
		"b3": false, "baggage": false, "Content-Type": false,
	} {
		require.Equal(t, want, tr.isOurHeader(name), name)
	}
}
