// One instrumented page loads the site's index page (see test/support/browserpages)
// and reports, as a console line "BROWSER_REPORT {json}", the page's trace
// id, sampled flag and mode and what the page saw of its own requests.
//
// SITE_URL: the site origin. INSTRUMENT=0: do not instrument the page (a
// baseline of what the browser sends by itself). TRACING_OPTIONS: JSON of instrumentBrowser's
// options, absent to call it with the page only. PROPAGATE_TO_REGEXP: a
// RegExp source set as propagateTo. USER_ROUTE=1: add user routes, after
// instrumentBrowser, for the fetch GET and the CORS fetch, which add
// "x-user-route: 1" to the headers pt.headersFor gives. UNROUTE: after
// instrumentBrowser, page.unrouteAll() when "*", else page.unroute(UNROUTE).
import { browser } from "k6/browser";
import tracing from "k6/x/tracing";

export const options = {
  scenarios: {
    ui: {
      executor: "shared-iterations",
      vus: 1,
      iterations: 1,
      maxDuration: "90s",
      gracefulStop: "5s",
      options: { browser: { type: "chromium" } },
    },
  },
};

function tracingOptions() {
  if (!__ENV.TRACING_OPTIONS && !__ENV.PROPAGATE_TO_REGEXP) {
    return undefined;
  }
  const opts = __ENV.TRACING_OPTIONS ? JSON.parse(__ENV.TRACING_OPTIONS) : {};
  if (__ENV.PROPAGATE_TO_REGEXP) {
    opts.propagateTo = new RegExp(__ENV.PROPAGATE_TO_REGEXP);
  }
  return opts;
}

export default async function () {
  const page = await browser.newPage();
  try {
    const opts = tracingOptions();
    let pt = { traceId: "", sampled: null, mode: "none", headersFor: (request) => request.headers() };
    if (__ENV.INSTRUMENT !== "0") {
      pt = opts === undefined ? await tracing.instrumentBrowser(page) : await tracing.instrumentBrowser(page, opts);
    }
    if (__ENV.UNROUTE === "*") {
      await page.unrouteAll();
    } else if (__ENV.UNROUTE !== undefined) {
      await page.unroute(__ENV.UNROUTE);
    }
    if (__ENV.USER_ROUTE === "1") {
      const userRoute = async (route) => {
        await route.continue({ headers: { ...pt.headersFor(route.request()), "x-user-route": "1" } });
      };
      await page.route(/\/api\/data/, userRoute);
      await page.route(/\/cors\/data/, userRoute);
    }
    await page.goto(`${__ENV.SITE_URL}/index.html`, { waitUntil: "load", timeout: 30000 });
    await page.waitForFunction(() => window.done === true, { polling: 100, timeout: 30000 });
    const results = await page.evaluate(() => window.results);
    console.log("BROWSER_REPORT " + JSON.stringify({
      traceId: pt.traceId, sampled: pt.sampled, mode: pt.mode, results,
    }));
  } finally {
    await page.close();
  }
}
