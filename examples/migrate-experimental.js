// A script written for the removed k6/experimental/tracing module (or the
// http-instrumentation-tempo jslib). Only its import line changed:
//   - import tracing from "k6/experimental/tracing";
//   + import tracing from "k6/x/tracing";
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/migrate-experimental.js
import http from "k6/http";
import { check } from "k6";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({
  propagator: "w3c",
  sampling: 0.5,
});

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default () => {
  const res = http.get(`${BASE_URL}/get`, {
    headers: { "X-Example-Header": "instrumented/get" },
  });
  check(res, { "status is 200": (r) => r.status === 200 });
};
