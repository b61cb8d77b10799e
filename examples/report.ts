// The trace report: at the end of the test, the slowest and the failed
// requests, each with a link to its trace. It uses the TypeScript facade
// (ts/, built by `make ts`), which k6 imports by its path.
// Run: ./k6 run -e BASE_URL=http://127.0.0.1:8080 examples/report.ts
import http from "k6/http";
import { check } from "k6";
import { instrumentHTTP, traceReport, traceSummary } from "../ts/dist/index.js";

// Checked before the module runs: a misspelt or bad option is one error
// that lists every problem.
instrumentHTTP({ propagator: "w3c" });

const BASE_URL = __ENV.BASE_URL ?? "http://127.0.0.1:8080";
// Jaeger's trace page; for Tempo, a Grafana Explore URL (see ts/README.md).
const TRACE_URL = __ENV.TRACE_URL ?? "http://localhost:16686/trace/{traceId}";

export const options = {
  vus: 2,
  iterations: 8,
  thresholds: { checks: ["rate==1"] },
};

export default function (): void {
  const products = http.get(`${BASE_URL}/products`);
  check(products, { "products: 200": (r) => r.status === 200 });

  // A dependency that fails: the report lists these requests with their traces.
  const stock = http.get(`${BASE_URL}/status/503`, { tags: { name: "stock" } });
  check(stock, { "stock: 503, as this example expects": (r) => r.status === 503 });
}

export function handleSummary(): Record<string, string> {
  return traceSummary(traceReport(), { traceUrl: TRACE_URL, formats: { stdout: "text" } });
}
