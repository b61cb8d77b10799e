// Jaeger propagation: every request carries uber-trace-id, for backends and
// gateways that read Jaeger's header (older Jaeger clients, Kong).
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/jaeger.ts
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: "jaeger" });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  // One trace for the batch, one span per request.
  const responses = http.batch([
    ["GET", `${BASE_URL}/catalog`],
    ["GET", `${BASE_URL}/cart`],
  ]);
  const ids = responses.map((r) => String(r.request.headers["Uber-Trace-Id"]).split(":"));
  check(ids, {
    "uber-trace-id is trace:span:0:flags": (all) => all.every((p) => p.length === 4 && p[0].length === 32 && p[1].length === 16),
    "the batch shares one trace": (all) => all[0][0] === all[1][0],
    "each request has its own span": (all) => all[0][1] !== all[1][1],
  });
}
