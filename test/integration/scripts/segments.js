// A fixed load for k6 processes that share it by execution segment:
// ITERATIONS iterations shared among VUS VUs, REQUESTS instrumented GETs
// an iteration, every one in a new trace (the default traceScope). The
// query string says who sent each request: INSTANCE (set by the test for
// each process), the segment k6 runs, and the VU and iteration numbers
// that k6 keeps unique across segments. handleSummary writes the
// process's trace report to report.json, in its working directory.
import http from "k6/http";
import exec from "k6/execution";
import tracing from "k6/x/tracing";

tracing.instrumentHTTP({ propagator: "w3c" });

const requests = Number(__ENV.REQUESTS || 10);

export const options = {
  scenarios: {
    segments: {
      executor: "shared-iterations",
      vus: Number(__ENV.VUS || 40),
      iterations: Number(__ENV.ITERATIONS || 10000),
      maxDuration: "2m",
    },
  },
  discardResponseBodies: true,
  thresholds: { http_req_failed: ["rate==0"] },
};

export default function () {
  const q =
    `instance=${__ENV.INSTANCE}` +
    `&segment=${encodeURIComponent(exec.test.options.executionSegment)}` +
    `&vu=${exec.vu.idInTest}&iter=${exec.scenario.iterationInTest}`;
  for (let i = 0; i < requests; i++) {
    // The name tag keeps one time series, not one per URL.
    http.get(`${__ENV.BASE_URL}/segments?${q}&n=${i}`, { tags: { name: "segments" } });
  }
}

export function handleSummary() {
  return { "report.json": JSON.stringify(tracing.traceReport()) };
}
