// Grafana Cloud Profiles: the drop-in for the http-instrumentation-pyroscope
// library. Only the import changes; each request carries the same baggage
// header (k6.test_run_id, k6.scenario, k6.name), now percent-encoded, with
// a real test run id in local runs instead of "undefined".
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/pyroscope.js
import http from "k6/http";
import { check } from "k6";
// was: import pyroscope from "https://jslib.k6.io/http-instrumentation-pyroscope/1.0.1/index.js";
import pyroscope from "k6/x/tracing/pyroscope";

pyroscope.instrumentHTTP();

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

export const options = {
  scenarios: { checkout: { executor: "shared-iterations", iterations: 3 } },
  thresholds: { checks: ["rate==1"] },
};

export default function () {
  const res = http.get(`${BASE_URL}/vehicles/car`);
  const baggage = String(res.request.headers["Baggage"]);
  check(baggage, {
    "scenario member": (b) => b.includes("k6.scenario=checkout"),
    // ":" and "/" need no percent-encoding in baggage values.
    "name member is the URL": (b) => b.includes(`k6.name=${BASE_URL}/vehicles/car`),
    "a test run id, never undefined": (b) => /k6\.test_run_id=local-\d+-[0-9a-f]{8}/.test(b),
  });
}
