// Why were the slow requests slow, and where did the failed ones fail? At
// the end of the test, the trace report's requests are read back from
// Jaeger (or Tempo) and explained: the services and operations on their
// critical paths, with their share of the time, and the span where each
// failure began. It uses the TypeScript facade (ts/, built by `make ts`),
// which k6 imports by its path. Against a checkout service whose spans,
// and k6's, go to Jaeger (`make demo` runs it so):
// Run: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 ./k6 run -e BASE_URL=http://127.0.0.1:8080 -e JAEGER_URL=http://localhost:16686 examples/explain.ts
import http from "k6/http";
import { check } from "k6";
import exec from "k6/execution";
import { instrumentHTTP, traceReport, traceSummary } from "../ts/dist/index.js";

// Spans on: k6's span of each request roots its trace in the backend.
instrumentHTTP({ propagator: "w3c", spans: true });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";
const JAEGER_URL = __ENV.JAEGER_URL ?? "http://localhost:16686";

export const options = {
  vus: 2,
  iterations: 40,
  thresholds: { checks: ["rate==1"] },
};

// The checkout service of `make demo` makes 1 checkout in 5 slow and
// another fail, on request; a real system needs no asking.
const kinds = ["ok", "slow", "ok", "fail", "ok"];

export default function (): void {
  const kind = kinds[exec.scenario.iterationInTest % kinds.length];
  const res = http.get(`${BASE_URL}/checkout?kind=${kind}`, { tags: { name: "checkout" } });
  check(res, { "checkout: paid, or declined as asked": (r) => r.status === (kind === "fail" ? 502 : 200) });
}

export function handleSummary(): Record<string, string> {
  // Waits for the services' last spans (their SDKs export every 5 s), at
  // most backend.timeout (15 s by default); a backend that cannot be read
  // costs that and one warning line, never the test's result.
  const report = traceReport({ backend: { type: "jaeger", url: JAEGER_URL } });
  return traceSummary(report, {
    traceUrl: `${JAEGER_URL}/trace/{traceId}`,
    formats: { stdout: "text" }, // or "explanation.html": "html", "explanation.md": "markdown"
  });
}
