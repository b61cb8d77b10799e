// Sampling: a quarter of the traces are marked as sampled. The header is
// always sent; sampling only sets its flag, so a backend that honours the
// flag records a quarter of the traces.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/sampling.ts
import http from "k6/http";
import { check } from "k6";
import { Counter } from "k6/metrics";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: "w3c", sampling: 0.25 });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";
const sampled = new Counter("traces_sampled");

export const options = {
  vus: 4,
  iterations: 400,
  thresholds: {
    checks: ["rate==1"],
    // 400 traces at 0.25: 100 expected; these bounds are six standard deviations wide.
    traces_sampled: ["count>=48", "count<=152"],
  },
};

export default function (): void {
  const res = http.get(`${BASE_URL}/items`);
  const traceparent = String(res.request.headers["Traceparent"]);
  check(traceparent, { "every request carries a traceparent": (h) => h.length === 55 });
  if (traceparent.endsWith("-01")) {
    sampled.add(1);
  }
}
