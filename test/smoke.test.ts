// The smoke test `xk6 lint` runs (its smoke check looks for smoke.test.js|ts
// in the root, test/, tests/, examples/ or scripts/): the basic API of
// k6/x/tracing, with nothing to talk to. Requests go to a reserved name k6
// refuses to dial (blockHostnames), which still shows the headers k6 would
// have sent on res.request. Run: ./k6 run test/smoke.test.ts
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: ["w3c", "b3"], baggage: { tenant: "smoke" } });
const jaeger = new tracing.Client({ propagator: "jaeger" });

const URL = "http://smoke.invalid/";

export const options = {
  iterations: 1,
  blockHostnames: ["*.invalid"],
  thresholds: { checks: ["rate==1"] },
};

const traceparentRe = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/;

export default function (): void {
  const made = tracing.traceparent.make({ sampled: true });
  const parsed = tracing.traceparent.parse(made.toString());
  check(parsed, {
    "traceparent round-trips": (p) => p?.traceId === made.traceId && p.parentId === made.parentId,
    "a child keeps the trace": (p) => p !== null && p.child().traceId === made.traceId && p.child().parentId !== made.parentId,
    "an invalid traceparent is null": () => tracing.traceparent.parse("00-00000000000000000000000000000000-0000000000000000-01") === null,
  });

  const state = tracing.tracestate.make({ k6: "smoke" }).set("vendor", "1");
  const bag = tracing.baggage.make({ user: "alice smith" });
  check(null, {
    "tracestate puts a set key first": () => state.toString() === "vendor=1,k6=smoke",
    "baggage values are percent-encoded": () => tracing.baggage.parse(bag.toString())?.get("user") === "alice smith",
  });

  const h = tracing.headers();
  const tp = tracing.traceparent.parse(h["traceparent"] ?? "");
  check(h, {
    "headers() writes every format with one span": (x) =>
      tp !== null && x["b3"] === `${tp.traceId}-${tp.parentId}-1`,
    "headers() adds the baggage": (x) => x["baggage"] === "tenant=smoke",
  });

  // instrumentHTTP patched k6/http: the request k6 built carries the headers.
  const res = http.get(URL);
  const sent = tracing.traceparent.parse(String(res.request.headers["Traceparent"]));
  check(res, {
    "the request was refused locally": (r) => r.status === 0 && r.error_code === 1111,
    "an instrumented request carries a traceparent": (r) => traceparentRe.test(String(r.request.headers["Traceparent"])),
    "and the same context as b3": (r) => sent !== null && r.request.headers["B3"]?.[0] === `${sent.traceId}-${sent.parentId}-1`,
  });

  // A Client uses its own options, over the un-instrumented k6/http.
  const viaClient = jaeger.get(URL);
  check(viaClient, {
    "a client request carries its own format": (r) => /^[0-9a-f]{32}:[0-9a-f]{16}:0:1$/.test(String(r.request.headers["Uber-Trace-Id"])),
    "and not instrumentHTTP's": (r) => r.request.headers["Traceparent"] === undefined,
  });

  // Inside withSpan, requests are the span's children; spans are off, so
  // nothing is exported.
  tracing.withSpan("smoke", (span) => {
    const child = tracing.traceparent.parse(String(http.get(URL).request.headers["Traceparent"]));
    check(span, {
      "a span has ids": (s) => /^[0-9a-f]{32}$/.test(s.traceId) && /^[0-9a-f]{16}$/.test(s.spanId),
      "without spans nothing records": (s) => !s.isRecording(),
      "a request in withSpan is the span's child": (s) => child?.traceId === s.traceId && child.parentId !== s.spanId,
    });
  });
}
