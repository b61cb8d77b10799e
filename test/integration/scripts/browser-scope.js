// Two pages of one browser context, both instrumented, each load the
// site's second page (see test/support/browserpages) with the query
// "page=<iteration>-<1|2>". Each page reports, as a console line
// "BROWSER_REPORT {json}", its trace id, its query and what it saw.
//
// SITE_URL: the site origin. TRACE_SCOPE: the traceScope option, absent for
// the default. ITERATIONS: how many iterations (default 1). SPANS_ENDPOINT:
// export spans there (OTLP/HTTP).
import { browser } from "k6/browser";
import exec from "k6/execution";
import tracing from "k6/x/tracing";

export const options = {
  scenarios: {
    ui: {
      executor: "shared-iterations",
      vus: 1,
      iterations: Number(__ENV.ITERATIONS || 1),
      maxDuration: "90s",
      gracefulStop: "5s",
      options: { browser: { type: "chromium" } },
    },
  },
};

export default async function () {
  const iteration = exec.scenario.iterationInTest;
  let opts;
  if (__ENV.TRACE_SCOPE || __ENV.SPANS_ENDPOINT) {
    opts = {};
    if (__ENV.TRACE_SCOPE) opts.traceScope = __ENV.TRACE_SCOPE;
    if (__ENV.SPANS_ENDPOINT) opts.spans = { endpoint: __ENV.SPANS_ENDPOINT, flushTimeout: "10s" };
  }
  const context = await browser.newContext();
  const pages = [];
  try {
    pages.push(await context.newPage(), await context.newPage());
    const traced = [];
    for (const page of pages) {
      traced.push(opts === undefined ? await tracing.instrumentBrowser(page) : await tracing.instrumentBrowser(page, opts));
    }
    for (let i = 0; i < pages.length; i++) {
      const query = `page=${iteration}-${i + 1}`;
      await pages[i].goto(`${__ENV.SITE_URL}/second.html?${query}`, { waitUntil: "load", timeout: 30000 });
      await pages[i].waitForFunction(() => window.done === true, { polling: 100, timeout: 30000 });
      const results = await pages[i].evaluate(() => window.results);
      console.log("BROWSER_REPORT " + JSON.stringify({
        iteration, query, traceId: traced[i].traceId, sampled: traced[i].sampled, mode: traced[i].mode, results,
      }));
    }
  } finally {
    // Pages first: k6's context.close() hangs while its pages have routes.
    for (const page of pages) {
      await page.close();
    }
    await context.close();
  }
}
