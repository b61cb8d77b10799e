// The TypeScript facade, built into ts/dist, in a real k6 run: its
// wrappers instrument k6/http and reject bad options with every problem
// at once, and handleSummary writes the trace report in three formats.
//
// Environment: BASE_URL (the recording server), OUT_DIR (where the
// report files go), TRACE_URL (the link template).
import http from "k6/http";
import { check } from "k6";
import { Client, instrumentHTTP, OptionsError, traceReport, traceSummary, withSpan } from "../../../ts/dist/index.js";
import type { Options } from "../../../ts/dist/index.js";

const BASE = __ENV.BASE_URL;
const OUT = __ENV.OUT_DIR;

// Misspelt and out of range: the wrapper names both, before the module runs.
let rejected = "";
try {
  instrumentHTTP({ propgator: "w3c", sampling: 2 } as unknown as Options);
} catch (e) {
  rejected = e instanceof OptionsError ? `${e.problems.length} problems: ${e.message}` : `not an OptionsError: ${e}`;
}

instrumentHTTP({ propagator: "w3c" });
const client = new Client({ propagator: "b3" });

export const options = {
  iterations: 2,
  thresholds: { checks: ["rate==1"] },
};

export default function () {
  const ok = http.get(`${BASE}/facade/ok`);
  const failed = client.get(`${BASE}/status/503`);
  const refused = http.get("http://127.0.0.1:9/facade/closed");
  withSpan("facade span", () => http.get(`${BASE}/facade/in-span`, { tags: { name: "in span" } }));
  check(null, {
    "ok": () => ok.status === 200,
    "503": () => failed.status === 503,
    "refused": () => refused.status === 0,
  });
}

export function handleSummary() {
  return {
    ...traceSummary(traceReport(), {
      traceUrl: __ENV.TRACE_URL,
      formats: { [`${OUT}/report.txt`]: "text", [`${OUT}/report.md`]: "markdown", [`${OUT}/report.html`]: "html" },
    }),
    [`${OUT}/report.json`]: JSON.stringify(traceReport()),
    [`${OUT}/rejected.txt`]: rejected,
  };
}
