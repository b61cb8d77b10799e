// Quick start: trace every k6/http request with W3C trace context.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/quickstart.ts
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

// Once, in the init context: every k6/http request from here on carries a
// traceparent header, and its samples carry the trace id as metadata.
tracing.instrumentHTTP({ propagator: "w3c" });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";

export const options = {
  vus: 1,
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  const res = http.get(`${BASE_URL}/checkout`);
  check(res, { "status is 200": (r) => r.status === 200 });

  const order = http.post(`${BASE_URL}/orders`, JSON.stringify({ item: 42 }), {
    headers: { "Content-Type": "application/json" },
  });
  check(order, { "order accepted": (r) => r.status === 200 });

  // The header k6 sent is on the response's request, to log or to check.
  console.log(`${order.request.method} ${order.request.url} traceparent=${order.request.headers["Traceparent"]}`);
}
