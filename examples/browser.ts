// Browser tracing: every request the page makes (the document, its
// stylesheet, script and image, and the fetch POST) carries its own span of
// the page's trace, in W3C and B3 headers.
//
// k6 does not put metadata on the browser module's metrics, so the trace id
// goes on them as a VU tag for the page's lifetime: each page's
// browser_http_req_duration samples then name the trace to open. A tag adds
// a time series per trace; keep it for tests whose output can afford that.
import { check } from "k6";
import { browser } from "k6/browser";
import exec from "k6/execution";
import { instrumentBrowser } from "k6/x/tracing";

const BASE_URL = __ENV.BASE_URL || "http://127.0.0.1:8080";

export const options = {
  scenarios: {
    ui: {
      executor: "shared-iterations",
      iterations: 2,
      options: { browser: { type: "chromium" } },
    },
  },
  thresholds: { checks: ["rate==1"] },
};

export default async function () {
  const page = await browser.newPage();
  try {
    const tracing = await instrumentBrowser(page, { propagator: ["w3c", "b3"] });
    exec.vu.metrics.tags.trace_id = tracing.traceId;
    console.log(`page trace ${tracing.traceId}`);

    await page.goto(`${BASE_URL}/app`);
    await page.waitForFunction(() => document.title.startsWith("ready"));
    check(await page.title(), { "the page's POST was answered": (title) => title === "ready 200" });
  } finally {
    await page.close();
    delete exec.vu.metrics.tags.trace_id;
  }
}
