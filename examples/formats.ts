// Several formats at once: a system whose gateway speaks B3 and whose
// services speak W3C gets both headers on every request, with the same
// trace and span id, plus tracestate and baggage members.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/formats.ts
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({
  propagator: ["w3c", "b3multi", "baggage"],
  tracestate: { k6: "load" },
  baggage: { team: "checkout" },
  k6Baggage: true,
});

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";

export const options = {
  iterations: 5,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  const res = http.get(`${BASE_URL}/cart`, { tags: { name: "cart" } });
  const sent = res.request.headers;
  const parent = tracing.traceparent.parse(String(sent["Traceparent"]));
  const bag = tracing.baggage.parse(String(sent["Baggage"]));
  check(res, {
    "one trace id in both formats": () => parent?.traceId === String(sent["X-B3-Traceid"]),
    "one span id in both formats": () => parent?.parentId === String(sent["X-B3-Spanid"]),
    "tracestate sent": () => String(sent["Tracestate"]) === "k6=load",
    "baggage has our member": () => bag?.get("team") === "checkout",
    "baggage names the request": () => bag?.get("k6.name") === "cart",
  });
}
