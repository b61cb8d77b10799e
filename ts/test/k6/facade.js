// The facade's built output (dist/) run for real inside k6, against the
// real k6/x/tracing: its validation must agree with the module on a corpus
// of good and bad options (the first problem the facade lists is the
// error the module throws, word for word), the wrappers must work, and the
// report must render what traceReport() returns.
//
//   npm run build && ../k6 run --quiet test/k6/facade.js   (from ts/)
//
// Any disagreement fails a check, and the checks threshold fails the run.
import { check } from "k6";
import http from "k6/http";
import * as tracing from "k6/x/tracing";
import {
  Client,
  OptionsError,
  instrumentHTTP,
  renderHTML,
  renderMarkdown,
  startSpan,
  traceReport,
  traceSummary,
  validateHeadersOptions,
  validateMembers,
  validateOptions,
  validateTraceparentOptions,
  withSpan,
} from "../../dist/index.js";

export const options = {
  iterations: 2,
  vus: 1,
  thresholds: { checks: ["rate==1"] },
};

// A fixed pseudo-random corpus of option objects, good and bad.
let seed = 12345;
const rand = (n) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const pick = (a) => a[rand(a.length)];

const values = [undefined, null, true, false, 0, 1, 0.5, -1, 2, NaN, Infinity, 2147483648, 1.5, "", " ", "w3c", "b3",
  "xray", "none", "k6", "random", "request", "iteration", "page", "5s", "1d", "1d2h", "0", "-1s", "soon", "1e3", "500",
  "0.5ms", "http://localhost:4318", "localhost:4318", "ftp://x", "http://", "a b", "http://h:1:2", "http://[::1]:4318",
  "https://u@h/p?q#f", "http://h/%zz", "grpc", "http/json", " grpc", "Jaeger", "tracecontext", "b3-multi", "jager",
  "xray-lambda", [], ["w3c"], ["w3c", "none"], ["b3", 2], ["xray", "w3c"], ["ot", "jaeger"], {}, { k6: "x" },
  { Vendor: "x" }, { "a b": "x" }, { k: 1 }, { a: "v,w" }, { "t@s": "v " }, { tenant: "acme corp" },
  { Vendor: "x", k6: "a,b", ok: "v", n: 1 }, { "a b": "x", k: 1, "c d": "y" }, () => 1, /x/, new Date(0)];
const keys = ["propagator", "sampling", "tracestate", "baggage", "k6Baggage", "traceIdFormat", "spans", "traceScope",
  "propagater", "sampler", "traceScop", "spanz", "endpoint", "Sampling", "spans.endpoint"];
const spansKeys = ["endpoint", "protocol", "headers", "insecure", "serviceName", "queueSize", "flushTimeout", "concurrentExports",
  "endpiont", "compression", "Insecure"];

function object(keyPool, nested) {
  const o = {};
  const n = 1 + rand(3);
  for (let i = 0; i < n; i++) {
    const k = pick(keyPool);
    o[k] = k === "spans" && !nested && rand(2) === 0 ? object(spansKeys, true) : pick(values);
  }
  return o;
}

const prefixes = /^(new Client|Client\.configure|headers|traceparent\.make|tracestate\.make|baggage\.make): /;
const disagreements = [];
let compared = 0;

// compare calls the module and checks that the facade found exactly its
// verdict: no problem when it accepts, its error first when it refuses.
function compare(what, options, problems, call) {
  let error = "";
  try {
    call();
  } catch (e) {
    error = String(e && e.message !== undefined ? e.message : e).replace(prefixes, "");
  }
  compared++;
  const first = problems.length === 0 ? "" : problems[0].message;
  if (first !== error && disagreements.length < 10) {
    disagreements.push(`${what}(${JSON.stringify(options)}): k6/x/tracing says ${JSON.stringify(error)}, the facade ${JSON.stringify(first)}`);
  }
}

for (let i = 0; i < 3000; i++) {
  const o = rand(10) === 0 ? pick(values) : object(keys, false);
  compare("new Client", o, validateOptions(o), () => new tracing.Client(o));
  compare("headers", o, validateHeadersOptions(o), () => tracing.headers(o));
}
// The hand-written parsers that mirror Go's, where no JavaScript library
// reads as Go does: k6's durations (time.ParseDuration, strconv.ParseFloat,
// days) and OTLP endpoints (url.Parse, whose verdicts differ from the WHATWG
// URL parser's on several of these).
const durations = ["5s", "1.5h", "1h30m", "2µs", "2μs", "0.000000001s", "1d", "1d2h", "1d-2h", "d", "-1d", "0d", ".5s",
  "5.s", ".s", "5 s", " 5s", "1e3", "1e-3", "1e400", "-0", "+5s", "0x1p-2", "0x10", "inf", "-Inf", "NaN", "1_000",
  "9223372036854775807ns", "9223372036854775808ns", "2562047h47m16.854775807s", "2562047h48m", "106751d", "106752d",
  "0.0000001", "1.5", 0.0000001, 0.5, 1e-7, 9.3e12, 9.3e15, -0, 1e308];
const endpoints = ["http://:4318", "http://h/%zz", "http://h/%41", "http://[1.2.3.4]", "http://[::1]", "http://[::1%25eth0]:1",
  "http://[::1]x", "http://u@h", "http://u:p@h:1", "http://u p@h", "http://h%41", "http://h%c3%a9", "http://h:", "http://h:port",
  "http://h:1:2", "HTTP://H", "https://h?q", "http://h#f%zz", "http:h", "http:///p", "localhost:4318", "[::1]:4318", "h:x",
  "h", "", " ", "http://h\tx", "http://é.example", "http://h_1.example", "http://h!.example", "http://h{}.example"];
// "Did you mean" on bytes and Go's case folding, where a JavaScript
// Levenshtein library (on UTF-16 code units) would hint otherwise.
const oddKeys = ["sämpling", "propagatör", "SAMPLING", "traceİdFormat", "ſpans", "tracéstate", "k6baggage", "K6BAGGAGE",
  "bäggage", "spansé", "traceScopé", "samplingé", "é", "propagatorpropagator", "propag", "trace", "Ѕampling"];
for (const key of oddKeys) {
  const o = { [key]: 1 };
  compare("new Client", o, validateOptions(o), () => new tracing.Client(o));
  const p = { propagator: key };
  compare("new Client", p, validateOptions(p), () => new tracing.Client(p));
  const n = { spans: { [key]: 1 } };
  compare("new Client", n, validateOptions(n), () => new tracing.Client(n));
}
for (const flushTimeout of durations) {
  const o = { spans: { flushTimeout } };
  compare("new Client", o, validateOptions(o), () => new tracing.Client(o));
}
for (const endpoint of endpoints) {
  for (const insecure of [false, true]) {
    const o = { spans: { endpoint, insecure } };
    compare("new Client", o, validateOptions(o), () => new tracing.Client(o));
  }
}

const idKeys = ["traceId", "parentId", "sampled", "random", "traceid"];
const idValues = [undefined, null, true, "abc", "4bf92f3577b34da6a3ce929d0e0e4736", "4BF92F3577B34DA6A3CE929D0E0E4736",
  "00f067aa0ba902b7", "0000000000000000", 1];
const memberKeys = ["k6", "Vendor", "a b", "t@s", "x", "é", "a".repeat(257)];
const memberValues = ["v", "a,b", "v ", "", 1, null, "é", "x=y"];
for (let i = 0; i < 300; i++) {
  const ids = { [pick(idKeys)]: pick(idValues), [pick(idKeys)]: pick(idValues) };
  compare("traceparent.make", ids, validateTraceparentOptions(ids), () => tracing.traceparent.make(ids));
  const members = { [pick(memberKeys)]: pick(memberValues), [pick(memberKeys)]: pick(memberValues) };
  compare("tracestate.make", members, validateMembers("tracestate", members), () => tracing.tracestate.make(members));
  compare("baggage.make", members, validateMembers("baggage", members), () => tracing.baggage.make(members));
}

// The wrappers, in the init context.
instrumentHTTP({ propagator: ["w3c", "b3"], sampling: 1 });
const client = new Client({ propagator: "jaeger" });
let refused = "";
try {
  new Client({ propagater: "w3c", sampling: 2 });
} catch (e) {
  refused = e instanceof OptionsError ? e.problems.map((p) => p.path).join(",") : String(e);
}

export default function () {
  check(disagreements, {
    [`the facade agrees with k6/x/tracing on ${compared} calls`]: (d) => d.length === 0,
  });
  for (const d of disagreements) {
    console.error(d);
  }
  check(refused, { "a bad Client lists every problem": (r) => r === "propagater,sampling" });
  const inner = withSpan("outer", (span) => {
    const s = startSpan("inner", { kind: "client" });
    s.end();
    return span.traceId;
  });
  check(inner, { "withSpan returns what fn returns": (id) => /^[0-9a-f]{32}$/.test(id) });
  const res = client.get("http://127.0.0.1:1/refused", { timeout: "1s" });
  check(res, { "the client sends through k6/http": (r) => r.status === 0 });
  http.get("http://127.0.0.1:1/also-refused", { timeout: "1s", tags: { name: "also-refused" } });
}

// After the iterations: the module's report holds every request, and
// every renderer shows each failed request's trace.
export function teardown() {
  const report = traceReport();
  check(report, {
    "traceReport counts every request": (r) => r.requests === 2 * options.iterations && r.failedCount === r.requests,
  });
  const text = traceSummary(report, { traceUrl: "http://localhost:16686/trace/{traceId}" }).stdout;
  const md = renderMarkdown(report);
  const html = renderHTML(report);
  check(report, {
    "every renderer shows the failed traces": (r) =>
      r.failed.length > 0 && r.failed.every((e) => text.includes(e.traceId) && md.includes(e.traceId) && html.includes(e.traceId)),
  });
}

export function handleSummary(data) {
  const checks = data.metrics.checks ? data.metrics.checks.values : { passes: 0, fails: 0 };
  const text = traceSummary(traceReport(), { traceUrl: "http://localhost:16686/trace/{traceId}" }).stdout;
  return { stdout: `${text}facade in k6: ${checks.passes} checks passed, ${checks.fails} failed\n` };
}
