// End-to-end overhead benchmark: plain http.get against instrumented
// http.get in one k6 run, same VUs, alternating time windows. With SPANS=1
// the instrumented side also exports a CLIENT span per request, to the
// OTEL_EXPORTER_OTLP_* endpoint, and a third kind of window sends with
// propagation only (a Client without spans), so that the run also tells
// what spans cost over propagation; with DURATION, every request is
// traced, for that long, in one scenario (the driver's memory run).
//
// Run through `make bench` (go run ./test/cmd/bench), which starts the target
// server and reads the JSON line this script prints. By hand:
//
//   ./k6 run --quiet -e BASE_URL=http://127.0.0.1:8080 test/cmd/bench/bench.js
//
// Environment:
//   BASE_URL  target server (required)
//   WINDOW    length of one measured window, a k6 duration of 1s or more ("3s")
//   WINDOWS   number of measured windows (12); a multiple of 4 (of 6 with
//             SPANS) makes the ABBA (ABCCBA) order cancel a linear drift
//   WARMUP    unmeasured warm-up before the first window (same as WINDOW)
//   VUS       VUs in every window (4)
//   SPANS     "1": instrumentHTTP({ spans: true }) as well
//   DURATION  one traced scenario this long instead of the windows ("60s")
import http from "k6/http";
import { Counter } from "k6/metrics";
import tracing from "k6/x/tracing";

// Captured before instrumentHTTP replaces it on the k6/http exports object:
// this is k6's own get, while http.get below is the traced one.
const plainGet = http.get;

const SPANS = __ENV.SPANS === "1";
tracing.instrumentHTTP(SPANS ? { propagator: "w3c", spans: true } : { propagator: "w3c" });
// With spans, the propagation-only windows' client: the same propagator,
// through the same Go request path, exporting nothing.
const propagationOnly = SPANS ? new tracing.Client({ propagator: "w3c" }) : null;

if (http.get === plainGet) {
  throw new Error("bench: http.get was not instrumented");
}

const BASE_URL = __ENV.BASE_URL;
if (!BASE_URL) {
  throw new Error("bench: set BASE_URL, e.g. -e BASE_URL=http://127.0.0.1:8080");
}
const URL = `${BASE_URL}/`;

const WINDOW = __ENV.WINDOW || "3s";
const WINDOW_MS = parseDurationMs(WINDOW);
const WARMUP_MS = parseDurationMs(__ENV.WARMUP || WINDOW);
const WINDOWS = positiveInt("WINDOWS", __ENV.WINDOWS || "12");
const VUS = positiveInt("VUS", __ENV.VUS || "4");
const DURATION_MS = __ENV.DURATION ? parseDurationMs(__ENV.DURATION) : 0;

const plainReqs = new Counter("plain_reqs");
const tracedReqs = new Counter("traced_reqs");
const propReqs = new Counter("prop_reqs");
// The warm-up's traced requests: with SPANS, the driver compares every
// traced request with the spans its collector received.
const warmupTracedReqs = new Counter("warmup_traced_reqs");
// One counter per measured window, so that the driver can compare each
// plain window with the traced window next to it.
const windowReqs =
  DURATION_MS > 0 ? [] : Array.from({ length: WINDOWS }, (_, i) => new Counter(windowMetric(i)));

function windowMetric(i) {
  return `reqs_w${String(i).padStart(3, "0")}`;
}

// KINDS are the kinds of window in the order of a block: the kinds, then
// the same in reverse (ABBA: plain, traced, traced, plain; with spans,
// ABCCBA), so that over a block each kind sits at the same mean time and
// a linear drift of the machine's speed hits them alike. The summary
// names each window's kind, which the Go driver reads.
const KINDS = SPANS ? ["plain", "traced", "prop"] : ["plain", "traced"];

function kindOf(i) {
  const j = i % (2 * KINDS.length);
  return KINDS[j < KINDS.length ? j : 2 * KINDS.length - 1 - j];
}

function parseDurationMs(s) {
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/y;
  const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  let ms = 0;
  let m;
  re.lastIndex = 0;
  while (re.lastIndex < s.length && (m = re.exec(s)) !== null) {
    ms += parseFloat(m[1]) * unit[m[2]];
  }
  // constant-vus refuses durations under 1s.
  if (s.length === 0 || re.lastIndex !== s.length || !(ms >= 1000)) {
    throw new Error(`bench: ${JSON.stringify(s)} is not a duration of at least 1s, such as "3s" or "1500ms"`);
  }
  return Math.round(ms);
}

function positiveInt(name, s) {
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) {
    throw new Error(`bench: ${name}=${JSON.stringify(s)} is not a positive integer`);
  }
  return n;
}

function buildScenarios() {
  if (DURATION_MS > 0) {
    return {
      soak: {
        executor: "constant-vus",
        exec: "soak",
        vus: VUS,
        duration: `${DURATION_MS}ms`,
        // Iterations finish: every counted request is one span, exactly.
        gracefulStop: "30s",
      },
    };
  }
  const scenarios = {};
  // A warm-up window that counts nothing, so the first measured window
  // (plain) does not pay for cold connections and a growing heap alone.
  scenarios.warmup = {
    executor: "constant-vus",
    exec: "warmup",
    vus: VUS,
    duration: `${WARMUP_MS}ms`,
    startTime: "0s",
    gracefulStop: "0s",
  };
  for (let i = 0; i < WINDOWS; i++) {
    const kind = kindOf(i);
    scenarios[`w${String(i).padStart(2, "0")}_${kind}`] = {
      executor: "constant-vus",
      exec: kind,
      env: { WINDOW_INDEX: String(i) },
      vus: VUS,
      duration: `${WINDOW_MS}ms`,
      startTime: `${WARMUP_MS + i * WINDOW_MS}ms`,
      // Stop at once at the end of the window, so windows do not overlap.
      gracefulStop: "0s",
    };
  }
  return scenarios;
}

export const options = {
  scenarios: buildScenarios(),
  discardResponseBodies: true,
  summaryTrendStats: ["avg"],
};

let warmupRequests = 0;

export function warmup() {
  const kind = KINDS[warmupRequests++ % KINDS.length];
  if (kind === "traced") {
    http.get(URL);
    warmupTracedReqs.add(1);
  } else if (kind === "prop") {
    propagationOnly.get(URL);
  } else {
    plainGet(URL);
  }
}

export function plain() {
  plainGet(URL);
  plainReqs.add(1);
  windowReqs[__ENV.WINDOW_INDEX].add(1);
}

export function traced() {
  http.get(URL);
  tracedReqs.add(1);
  windowReqs[__ENV.WINDOW_INDEX].add(1);
}

export function prop() {
  propagationOnly.get(URL);
  propReqs.add(1);
  windowReqs[__ENV.WINDOW_INDEX].add(1);
}

export function soak() {
  http.get(URL);
  tracedReqs.add(1);
}

function count(data, name) {
  const m = data.metrics[name];
  return m && m.values && typeof m.values.count === "number" ? m.values.count : 0;
}

export function handleSummary(data) {
  const out = {
    plain: count(data, "plain_reqs"),
    traced: count(data, "traced_reqs"),
    prop: count(data, "prop_reqs"),
    warmupTraced: count(data, "warmup_traced_reqs"),
    windows: windowReqs.map((_, i) => count(data, windowMetric(i))),
    kinds: windowReqs.map((_, i) => kindOf(i)),
  };
  return { stdout: JSON.stringify(out) + "\n" };
}
