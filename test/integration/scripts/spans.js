// Client spans over OTLP: instrumentHTTP exports one CLIENT span per
// sampled request to OTLP_ENDPOINT; a Client with sampling 0 exports none.
// k6 flushes them at the end of the test, without a call here. SERVICE_URL,
// when set, is a service instrumented with the OpenTelemetry SDK.
import http from "k6/http";
import { group } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ spans: { endpoint: __ENV.OTLP_ENDPOINT, protocol: __ENV.OTLP_PROTOCOL || "http/protobuf", flushTimeout: "5s" } });
const unsampled = new tracing.Client({ sampling: 0, spans: { endpoint: __ENV.OTLP_ENDPOINT } });

export const options = { iterations: 1, vus: 1 };

export default function () {
  http.get(`${__ENV.BASE_URL}/ok`, { tags: { name: "home" } });
  group("checkout", () => {
    http.post(`${__ENV.BASE_URL}/status/503`, "x");
  });
  http.request("PUT", `${__ENV.BASE_URL}/caller`, "y", {
    headers: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
  });
  http.get(__ENV.CLOSED_URL, { timeout: "2s" });
  unsampled.get(`${__ENV.BASE_URL}/unsampled`);
  if (__ENV.SERVICE_URL) {
    http.get(`${__ENV.SERVICE_URL}/api/items`);
  }
}
