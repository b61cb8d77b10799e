// The checkout system's k6 load for TestExplainCheckoutSystem: requests of
// each kind (ok, slow, fail) in a fixed mix, with spans, then the trace
// report saved twice: as it is, and explained from Jaeger.
import http from "k6/http";
import exec from "k6/execution";
import { instrumentHTTP, traceReport } from "k6/x/tracing";

instrumentHTTP({ spans: true });

export const options = { vus: 2, iterations: 30 };

const kinds = ["ok", "slow", "ok", "fail", "ok"];

export default function () {
  const kind = kinds[exec.scenario.iterationInTest % kinds.length];
  // Two names, so that the explanation is given per name too.
  http.get(`${__ENV.BASE_URL}/checkout?kind=${kind}`, { tags: { name: kind === "fail" ? "declined" : "checkout" } });
}

export function handleSummary() {
  return {
    [`${__ENV.OUT}/report.json`]: JSON.stringify(traceReport()),
    [`${__ENV.OUT}/explained.json`]: JSON.stringify(traceReport({ backend: { url: __ENV.JAEGER_URL } })),
  };
}
