// Browser spans: the page exports a "browser page" span, with the web vitals
// k6 measured, and a CLIENT span for each request it makes (the document,
// stylesheet, script, image and fetch POST), child of the page span, with the
// span id the request's traceparent carried: the backend's spans are its
// children. Run k6 with --traces-output as well and k6's own browser spans
// (iteration, navigation, page.goto, web_vital) join the same trace.
//
// spans: true exports to OTEL_EXPORTER_OTLP_ENDPOINT (by default
// http://localhost:4318, a local Jaeger or OpenTelemetry Collector).
import { check } from "k6";
import { browser } from "k6/browser";
import { instrumentBrowser } from "k6/x/tracing";

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

export const options = {
  scenarios: {
    ui: {
      executor: "shared-iterations",
      iterations: 1,
      options: { browser: { type: "chromium" } },
    },
  },
  thresholds: { checks: ["rate==1"] },
};

export default async function () {
  const page = await browser.newPage();
  try {
    const tracing = await instrumentBrowser(page, { spans: true });
    console.log(`page trace ${tracing.traceId}`);

    await page.goto(`${BASE_URL}/app`);
    await page.waitForFunction(() => document.title.startsWith("ready"));
    check(await page.title(), { "the page's POST was answered": (title) => title === "ready 200" });
  } finally {
    // The page span ends when the page closes (or, at the latest, with the iteration).
    await page.close();
  }
}
