// Fetch mode across the pages of one browser context: a page in fetch
// mode loads the site's second page (see test/support/browserpages) with
// the query "page=fetch", and closes; then a page not instrumented loads
// it with "page=plain": its fetch must carry no trace header, though k6
// runs the first page's init script in it too. Then two pages in fetch
// mode open at once: the second instrumentBrowser must abort the test,
// right after the script awaited the first one's promise (an abort raised
// in the continuation of the module's own promise must reach k6).
//
// SITE_URL: the site origin.
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

async function load(page, query) {
  await page.goto(`${__ENV.SITE_URL}/second.html?${query}`, { waitUntil: "load", timeout: 30000 });
  await page.waitForFunction(() => window.done === true, { polling: 100, timeout: 30000 });
}

export default async function () {
  const context = await browser.newContext();
  try {
    const traced = await context.newPage();
    const pt = await tracing.instrumentBrowser(traced, { mode: "fetch" });
    console.log(`FETCH_TRACE ${pt.traceId}`);
    await load(traced, "page=fetch");
    await traced.close();

    const plain = await context.newPage();
    await load(plain, "page=plain");
    await plain.close();

    const first = await context.newPage();
    const second = await context.newPage();
    await tracing.instrumentBrowser(first, { mode: "fetch" });
    console.log("FETCH_SECOND");
    await tracing.instrumentBrowser(second, { mode: "fetch" }); // aborts the test
    console.log("FETCH_SECOND_ALLOWED");
  } finally {
    await context.close();
  }
}
