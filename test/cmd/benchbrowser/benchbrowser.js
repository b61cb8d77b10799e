// Browser overhead benchmark: how much longer a page with many sub-resources
// takes to load when instrumentBrowser puts a traceparent on every request.
//
// Run through `go run ./test/cmd/benchbrowser` (see main.go), which starts the
// page server, runs this script once and reads one console line per load.
// By hand (K6_BROWSER_* settings as in test/support/browserenv):
//
//   ./k6 run --log-format raw -e BASE_URL=http://127.0.0.1:8080 test/cmd/benchbrowser/benchbrowser.js
//
// One VU, one iteration, one browser context. Every load opens a fresh
// page, prepares it for its setup (not timed), times page.goto(url,
// { waitUntil: "load" }) and closes the page. Loads run in rounds, one load
// of every setup per round, in an order rotated each round, so that drift in
// the machine's speed and "who goes first" hit every setup alike.
//
// Setups:
//   plain   not instrumented
//   route   instrumentBrowser(page)                      (page.route in Go)
//   static  instrumentBrowser(page, { mode: "static" })  (setExtraHTTPHeaders)
//   fetch   instrumentBrowser(page, { mode: "fetch", spans })  (the page's
//           fetch() calls, from inside the page, each with a span
//           exported to SPANS_ENDPOINT when set)
//   js      a JavaScript page.route handler doing the same injection
//   routespans  (only when asked for in SETUPS) route mode with spans
//   continue  (only when asked for in SETUPS) a JavaScript page.route
//           handler that continues every request unchanged: the cost of
//           interception with a route callback, the floor of route and js
//   nomatch (only when asked for in SETUPS) a route whose pattern matches
//           no request, which k6 then continues itself, in Go, without
//           running a callback on the event loop: interception alone
//
// Environment:
//   BASE_URL       page server (required); the page is BASE_URL/page
//   ROUNDS         measured rounds (16)
//   WARMUP_ROUNDS  unmeasured rounds first (2)
//   SETUPS         comma-separated setups to run (plain,route,static,fetch,js;
//                  continue, nomatch and routespans are also allowed)
//   SPANS_ENDPOINT OTLP/HTTP endpoint for the spans of fetch and routespans
//   MAX_DURATION   bound of the whole run, a k6 duration (170s)
//
// Output: one console line per load, "BENCHBROWSER {json}", with
//   setup, round (negative in the warm-up), ms (page.goto until both the
//   load event and the page's last fetch() answer, as k6 sees it), nav
//   (the browser's own navigation start to the later of loadEventStart
//   and the last fetch() answer),
//   prep (newPage plus the setup's instrumentation), res (resource timing
//   entries: sub-resources the page loaded), wait (median over them of
//   startTime to requestStart: waiting for a connection, and for the route
//   handler when intercepted), status (the page's HTTP status).
// The measured loads also go to the Trend benchbrowser_load{setup:...}.
import { browser } from "k6/browser";
import { Trend } from "k6/metrics";
import { instrumentBrowser } from "k6/x/tracing";

const PREFIX = "BENCHBROWSER ";
const DEFAULT_SETUPS = ["plain", "route", "static", "fetch", "js"];
const ALL_SETUPS = DEFAULT_SETUPS.concat(["continue", "nomatch", "routespans"]);
const SPANS = __ENV.SPANS_ENDPOINT ? { endpoint: __ENV.SPANS_ENDPOINT, flushTimeout: "10s" } : false;

const BASE_URL = __ENV.BASE_URL;
if (!BASE_URL) {
  throw new Error("benchbrowser: set BASE_URL, e.g. -e BASE_URL=http://127.0.0.1:8080");
}
const ROUNDS = intVar("ROUNDS", "16", 1);
const WARMUP_ROUNDS = intVar("WARMUP_ROUNDS", "2", 0);
const MAX_DURATION = __ENV.MAX_DURATION || "170s";
const SETUPS = setupsVar(__ENV.SETUPS || DEFAULT_SETUPS.join(","));

if (typeof instrumentBrowser !== "function" && SETUPS.some((s) => ["route", "static", "fetch", "routespans"].includes(s))) {
  throw new Error("benchbrowser: k6/x/tracing has no instrumentBrowser; build ./k6 from a tree that has it");
}

const loadTime = new Trend("benchbrowser_load", true);

export const options = {
  scenarios: {
    bench: {
      executor: "shared-iterations",
      vus: 1,
      iterations: 1,
      maxDuration: MAX_DURATION,
      options: { browser: { type: "chromium" } },
    },
  },
  summaryTrendStats: ["med", "p(90)", "count"],
  thresholds: Object.fromEntries(SETUPS.map((s) => [`benchbrowser_load{setup:${s}}`, ["med>=0"]])),
};

function intVar(name, def, min) {
  const s = __ENV[name] || def;
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`benchbrowser: ${name}=${JSON.stringify(s)} is not an integer >= ${min}`);
  }
  return n;
}

function setupsVar(s) {
  const list = s.split(",").map((x) => x.trim()).filter((x) => x !== "");
  for (const x of list) {
    if (!ALL_SETUPS.includes(x)) {
      throw new Error(`benchbrowser: SETUPS has ${JSON.stringify(x)}; allowed: ${ALL_SETUPS.join(", ")}`);
    }
  }
  if (list.length === 0) {
    throw new Error("benchbrowser: SETUPS is empty");
  }
  return list;
}

const HEX = "0123456789abcdef";

// randomHex returns n random lowercase hex digits, not all zero (an
// all-zero trace or span id is invalid).
function randomHex(n) {
  let s = "";
  let zero = true;
  for (let i = 0; i < n; i++) {
    const d = (Math.random() * 16) | 0;
    if (d !== 0) zero = false;
    s += HEX[d];
  }
  return zero ? s.slice(0, -1) + "1" : s;
}

// prepare instruments a fresh page for its setup.
async function prepare(page, setup) {
  switch (setup) {
    case "plain":
      return;
    case "route":
      await instrumentBrowser(page);
      return;
    case "static":
      await instrumentBrowser(page, { mode: "static" });
      return;
    case "fetch":
      await instrumentBrowser(page, { mode: "fetch", spans: SPANS });
      return;
    case "routespans":
      await instrumentBrowser(page, { spans: SPANS });
      return;
    case "js": {
      // What a user would write without the extension: one trace for the
      // page, a new span id for every request.
      const traceId = randomHex(32);
      await page.route("", async (route) => {
        const h = route.request().headers();
        h.traceparent = "00-" + traceId + "-" + randomHex(16) + "-01";
        await route.continue({ headers: h });
      });
      return;
    }
    case "continue":
      await page.route("", async (route) => {
        await route.continue();
      });
      return;
    case "nomatch":
      await page.route("http://route.invalid/**", async (route) => {
        await route.continue();
      });
      return;
  }
}

async function measure(context, setup, round) {
  const p0 = Date.now();
  const page = await context.newPage();
  try {
    await prepare(page, setup);
    const url = `${BASE_URL}/page?setup=${setup}&round=${round}`;
    const t0 = Date.now();
    const resp = await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => window.__dataDone !== undefined, { polling: "raf", timeout: 30000 });
    const ms = Date.now() - t0;
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0];
      const done = window.__dataDone < 0 ? -1 : Math.max(nav ? nav.loadEventStart : -1, window.__dataDone);
      const res = performance.getEntriesByType("resource");
      // From the start of a sub-resource fetch to its request going out:
      // queueing for a connection, and the interception round trip.
      const waits = res.map((e) => e.requestStart - e.startTime).filter((x) => x >= 0).sort((a, b) => a - b);
      return {
        nav: done,
        res: res.length,
        wait: waits.length ? waits[waits.length >> 1] : -1,
      };
    });
    if (round >= 0) {
      loadTime.add(ms, { setup });
    }
    console.log(
      PREFIX +
        JSON.stringify({
          setup,
          round,
          ms,
          nav: Math.round(timing.nav * 10) / 10,
          prep: t0 - p0,
          res: timing.res,
          wait: Math.round(timing.wait * 10) / 10,
          status: resp ? resp.status() : 0,
        }),
    );
  } finally {
    await page.close();
  }
}

export default async function () {
  const context = await browser.newContext();
  try {
    for (let round = -WARMUP_ROUNDS; round < ROUNDS; round++) {
      const shift = ((round % SETUPS.length) + SETUPS.length) % SETUPS.length;
      const order = SETUPS.slice(shift).concat(SETUPS.slice(0, shift));
      for (const setup of order) {
        await measure(context, setup, round);
      }
    }
  } finally {
    await context.close();
  }
}
