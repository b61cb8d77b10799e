// Trace context by hand: continue a trace that started elsewhere (here a
// traceparent made in the script, as one taken from a previous response
// would be), and read and edit tracestate and baggage values.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/context.ts
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: ["w3c", "baggage"] });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  // A journey's first request starts the trace...
  const journey = tracing.traceparent.make({ sampled: true });
  const state = tracing.tracestate.make({ shop: "eu" });
  const bag = tracing.baggage.make({ user: "alice smith" });

  // ...and later requests that pass its headers continue it: same trace
  // id, a new span id, the caller's tracestate and baggage carried along.
  const res = http.get(`${BASE_URL}/orders`, {
    headers: { traceparent: journey.toString(), tracestate: state.toString(), baggage: bag.toString() },
  });
  const sent = tracing.traceparent.parse(String(res.request.headers["Traceparent"]));
  check(sent, {
    "same trace": (p) => p?.traceId === journey.traceId,
    "a new span": (p) => p !== null && p.parentId !== journey.parentId,
    "sampled as the caller decided": (p) => p?.sampled === true,
    "tracestate carried": () => String(res.request.headers["Tracestate"]) === "shop=eu",
    "baggage carried": () => tracing.baggage.parse(String(res.request.headers["Baggage"]))?.get("user") === "alice smith",
  });
}
