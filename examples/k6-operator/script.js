// The script of the k6-operator example (testrun.yaml): one test shared by
// the TestRun's runner pods, each running its execution segment of the
// load. Every request carries W3C trace context and becomes a CLIENT span,
// exported over OTLP to the collector that OTEL_EXPORTER_OTLP_ENDPOINT in
// the pods' environment names; each iteration is one trace.
//
// Locally, against a service and a collector on this machine:
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
//     ./k6 run -e BASE_URL=http://127.0.0.1:8080 -e DURATION=10s examples/k6-operator/script.js
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: "w3c", spans: true, traceScope: "iteration" });

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

// The whole test's load: k6-operator gives each pod its share (a rate of
// 40 iterations a second becomes 10 on each of 4 pods).
export const options = {
  scenarios: {
    shop: {
      executor: "constant-arrival-rate",
      rate: Number(__ENV.RATE || 40),
      timeUnit: "1s",
      duration: __ENV.DURATION || "5m",
      preAllocatedVUs: Number(__ENV.VUS || 40),
    },
  },
  thresholds: { checks: ["rate==1"] },
};

export default function () {
  const products = http.get(`${BASE_URL}/products`);
  check(products, { "products listed": (r) => r.status === 200 });

  // A span of the script's own; the order request is its child.
  const order = tracing.withSpan("checkout", (span) => {
    span.setAttribute("cart.items", 1);
    return http.post(`${BASE_URL}/orders`, JSON.stringify({ item: 42 }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  check(order, { "order placed": (r) => r.status === 200 });
}
