// The rate mode of benchgrpc (go run ./test/cmd/benchgrpc): plain and
// traced gRPC unary calls in one k6 run, same VUs, alternating windows in
// ABBA order (plain, traced, traced, plain, ...). The driver embeds this
// script, starts the gRPC server and reads the JSON line handleSummary
// prints.
//
// Environment:
//   GRPC_ADDR  the server, host:port, with reflection (required)
//   WINDOW     length of one measured window, in ms ("1000")
//   WARMUP     unmeasured warm-up before the first window, in ms
//   WINDOWS    number of measured windows, a multiple of 4 for ABBA
//   VUS        VUs in every window
//   SPANS      "1": the traced side exports a CLIENT span per call
// A namespace import, not the default one: k6 builds the default export
// object when the script first reads it, so a default import read before
// instrumentGRPC (for the plain Client) would never see the traced Client.
import * as grpc from "k6/net/grpc";
import { Counter } from "k6/metrics";
import tracing from "k6/x/tracing";

// Made before instrumentGRPC: k6's own Client, untraced.
const plainClient = new grpc.Client();
const SPANS = __ENV.SPANS === "1";
tracing.instrumentGRPC(SPANS ? { propagator: "w3c", spans: true } : { propagator: "w3c" });
// Made after: traced.
const tracedClient = new grpc.Client();

const ADDR = __ENV.GRPC_ADDR;
const METHOD = "grpc.testing.TestService/UnaryCall";
const WINDOW_MS = Number(__ENV.WINDOW);
const WARMUP_MS = Number(__ENV.WARMUP);
const WINDOWS = Number(__ENV.WINDOWS);
const VUS = Number(__ENV.VUS);
for (const [name, v] of Object.entries({ GRPC_ADDR: ADDR, WINDOW_MS, WARMUP_MS, WINDOWS, VUS })) {
  if (!v) {
    throw new Error(`benchgrpc: ${name} is not set`);
  }
}

const plainCalls = new Counter("plain_calls");
const tracedCalls = new Counter("traced_calls");
// The warm-up's calls, not measured: the driver compares every call with
// what the server received.
const warmupPlainCalls = new Counter("warmup_plain_calls");
const warmupTracedCalls = new Counter("warmup_traced_calls");
const windowCalls = Array.from({ length: WINDOWS }, (_, i) => new Counter(windowMetric(i)));

function windowMetric(i) {
  return `calls_w${String(i).padStart(3, "0")}`;
}

// ABBA: plain, traced, traced, plain, and again.
function kindOf(i) {
  return i % 4 === 0 || i % 4 === 3 ? "plain" : "traced";
}

const scenarios = {
  warmup: { executor: "constant-vus", exec: "warmup", vus: VUS, duration: `${WARMUP_MS}ms`, gracefulStop: "0s" },
};
for (let i = 0; i < WINDOWS; i++) {
  scenarios[`w${String(i).padStart(3, "0")}_${kindOf(i)}`] = {
    executor: "constant-vus",
    exec: kindOf(i),
    env: { WINDOW_INDEX: String(i) },
    vus: VUS,
    duration: `${WINDOW_MS}ms`,
    startTime: `${WARMUP_MS + i * WINDOW_MS}ms`,
    gracefulStop: "0s", // windows do not overlap
  };
}

export const options = { scenarios, summaryTrendStats: ["avg"] };

// Each VU connects both clients once, in its first iteration.
let connected = false;

function connect() {
  if (!connected) {
    plainClient.connect(ADDR, { plaintext: true, reflect: true });
    tracedClient.connect(ADDR, { plaintext: true, reflect: true });
    connected = true;
  }
}

// ok says whether a call succeeded: at a window's end k6 cancels the
// iteration, and invoke answers DeadlineExceeded instead of throwing, at
// once and maybe more than once before the VU stops; those do not count.
function ok(res) {
  return res.status === grpc.StatusOK;
}

let warmupCalls = 0;

export function warmup() {
  connect();
  if (warmupCalls++ % 2 === 0) {
    if (ok(plainClient.invoke(METHOD, {}))) {
      warmupPlainCalls.add(1);
    }
  } else if (ok(tracedClient.invoke(METHOD, {}))) {
    warmupTracedCalls.add(1);
  }
}

export function plain() {
  connect();
  if (ok(plainClient.invoke(METHOD, {}))) {
    plainCalls.add(1);
    windowCalls[__ENV.WINDOW_INDEX].add(1);
  }
}

export function traced() {
  connect();
  if (ok(tracedClient.invoke(METHOD, {}))) {
    tracedCalls.add(1);
    windowCalls[__ENV.WINDOW_INDEX].add(1);
  }
}

function count(data, name) {
  const m = data.metrics[name];
  return m && m.values && typeof m.values.count === "number" ? m.values.count : 0;
}

export function handleSummary(data) {
  const out = {
    plain: count(data, "plain_calls"),
    traced: count(data, "traced_calls"),
    warmupPlain: count(data, "warmup_plain_calls"),
    warmupTraced: count(data, "warmup_traced_calls"),
    windows: windowCalls.map((_, i) => count(data, windowMetric(i))),
    kinds: windowCalls.map((_, i) => kindOf(i)),
  };
  return { stdout: JSON.stringify(out) + "\n" };
}
