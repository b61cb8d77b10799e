// Client spans: trace every k6/http request with W3C trace context and
// export a CLIENT span for each over OTLP, so that the trace starts in k6
// and the backend's spans hang under it. With traceScope "iteration" each
// VU iteration is one trace, under an "iteration" root span, and withSpan
// adds a span of the script's own around the steps of a user journey.
//
// k6 exports to the standard OpenTelemetry endpoint variable, over
// OTLP/HTTP (protobuf) by default, and flushes at the end of the test:
//
//   # an OpenTelemetry Collector, Grafana Tempo or Jaeger v2 on this machine
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
//     ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/spans.ts
//
// For Jaeger all-in-one: `docker run -p 16686:16686 -p 4318:4318
// jaegertracing/jaeger:latest`, then find service "k6" at
// http://localhost:16686. OTEL_EXPORTER_OTLP_PROTOCOL=grpc (port 4317),
// OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES work as in any
// OpenTelemetry SDK. `make demo` runs this script against two
// instrumented local services and draws the traces it receives.
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

// Once, in the init context: every k6/http request from here on carries a
// traceparent header whose span id is the id of its exported CLIENT span.
tracing.instrumentHTTP({ propagator: "w3c", spans: true, traceScope: "iteration" });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";

export const options = {
  vus: 1,
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  const res = http.get(`${BASE_URL}/checkout`);
  check(res, { "status is 200": (r) => r.status === 200 });

  // A span of the script's own: the order request is its child.
  const order = tracing.withSpan("place order", (span) => {
    span.setAttribute("order.items", 1);
    const r = http.post(`${BASE_URL}/orders`, JSON.stringify({ item: 42 }), {
      headers: { "Content-Type": "application/json" },
    });
    if (r.status !== 200) {
      span.setStatus("error", `status ${r.status}`);
    }
    return r;
  });
  check(order, { "order accepted": (r) => r.status === 200 });

  // The header k6 sent is on the response's request, to log or to check.
  console.log(`${order.request.method} ${order.request.url} traceparent=${order.request.headers["Traceparent"]}`);
}
