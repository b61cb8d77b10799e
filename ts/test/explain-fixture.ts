/**
 * A trace report explained by its traces, as traceReport({ backend })
 * returns it: a checkout through gateway, orders and payments whose slow
 * requests spent most of their critical path in payments "charge card",
 * and payments whose failed requests began in payments "authorize card"
 * ("card declined"). One slow request's trace could not be read.
 */
import type { TraceExplanation, TraceReport, TraceReportEntry, Waterfall } from "../src/index.js";

export const traceIds = {
  slow1: "4bf92f3577b34da6a3ce929d0e0e4736",
  slow2: "5c0a3f4688c45eb7b4df03ae1f1f5847",
  slow3: "6d1b4a5799d56fc8c5e014bf20206958",
  unread: "7e2c5b68aae670d9d6f125c031317a69",
  failed1: "0af7651916cd43dd8448eb211c80319c",
  failed2: "1b08762a27de54ee9559fc322d91420d",
} as const;

function entry(over: Partial<TraceReportEntry>): TraceReportEntry {
  return {
    traceId: traceIds.slow1,
    spanId: "00f067aa0ba902b7",
    sampled: true,
    method: "GET",
    name: "checkout",
    url: "http://127.0.0.1:8080/checkout",
    status: 200,
    error: "",
    duration: 1523.4,
    startTime: 1700000000000.4,
    scenario: "default",
    vu: 3,
    iteration: 17,
    instance: "0:1",
    ...over,
  };
}

export const slowest: TraceReportEntry[] = [
  entry({}),
  entry({ traceId: traceIds.slow2, spanId: "11a178bb1cba13c8", duration: 1402.1, startTime: 1700000001000, vu: 4 }),
  entry({ traceId: traceIds.slow3, spanId: "22b289cc2dcb24d9", duration: 1310.0, startTime: 1700000002000, vu: 5 }),
  entry({ traceId: traceIds.unread, spanId: "33c39add3edc35ea", duration: 1290.5, startTime: 1700000003000, vu: 6 }),
];

export const failed: TraceReportEntry[] = [
  entry({
    traceId: traceIds.failed1,
    spanId: "44d4abee4fed46fb",
    method: "POST",
    name: "pay",
    url: "http://127.0.0.1:8080/pay",
    status: 402,
    duration: 88.2,
    startTime: 1700000004000.6,
  }),
  entry({
    traceId: traceIds.failed2,
    spanId: "55e5bcff50fe570c",
    method: "POST",
    name: "pay",
    url: "http://127.0.0.1:8080/pay",
    status: 402,
    duration: 91.7,
    startTime: 1700000005000,
  }),
];

/** The slowest request's trace: k6's span, gateway, orders, and payments, with a failed fraud check off the critical path. */
export const waterfall: Waterfall = {
  traceId: traceIds.slow1,
  spanId: "00f067aa0ba902b7",
  name: "checkout",
  duration: 1523.4,
  truncated: 0,
  spans: [
    { spanId: "00f067aa0ba902b7", parentSpanId: "", service: "k6", operation: "GET", start: 0, duration: 1523.4, depth: 0, error: false, critical: true },
    { spanId: "a1a1a1a1a1a1a1a1", parentSpanId: "00f067aa0ba902b7", service: "gateway", operation: "GET /checkout", start: 2.1, duration: 1519, depth: 1, error: false, critical: true },
    { spanId: "b2b2b2b2b2b2b2b2", parentSpanId: "a1a1a1a1a1a1a1a1", service: "orders", operation: "POST /orders", start: 10, duration: 1500.2, depth: 2, error: false, critical: true },
    { spanId: "c3c3c3c3c3c3c3c3", parentSpanId: "b2b2b2b2b2b2b2b2", service: "payments", operation: "fraud check", start: 15, duration: 60.3, depth: 3, error: true, critical: false },
    { spanId: "d4d4d4d4d4d4d4d4", parentSpanId: "b2b2b2b2b2b2b2b2", service: "payments", operation: "charge card", start: 80, duration: 1100, depth: 3, error: false, critical: true },
    { spanId: "e5e5e5e5e5e5e5e5", parentSpanId: "b2b2b2b2b2b2b2b2", service: "orders", operation: "INSERT orders", start: 1190, duration: 300, depth: 3, error: false, critical: true },
  ],
};

const slowTraces = [traceIds.slow1, traceIds.slow2, traceIds.slow3];

const services = [
  { service: "payments", operation: "", time: 3197.8, share: 0.755, traces: slowTraces },
  { service: "orders", operation: "", time: 550.6, share: 0.13, traces: [traceIds.slow2, traceIds.slow1, traceIds.slow3] },
  { service: "gateway", operation: "", time: 296.5, share: 0.07, traces: slowTraces },
  { service: "k6", operation: "", time: 190.6, share: 0.045, traces: slowTraces },
];

const operations = [
  { service: "payments", operation: "charge card", time: 3007.2, share: 0.71, traces: slowTraces },
  { service: "orders", operation: "POST /orders", time: 550.6, share: 0.13, traces: [traceIds.slow2, traceIds.slow1, traceIds.slow3] },
  { service: "gateway", operation: "GET /checkout", time: 296.5, share: 0.07, traces: slowTraces },
  { service: "payments", operation: "fraud check", time: 190.6, share: 0.045, traces: [traceIds.slow3] },
  { service: "k6", operation: "GET", time: 190.6, share: 0.045, traces: slowTraces },
];

const origins = [{ service: "payments", operation: "authorize card", message: "card declined", count: 2, traces: [traceIds.failed1, traceIds.failed2] }];

const read = {
  spans: 6,
  complete: "unknown",
  rootMissing: false,
  orphans: 0,
  clipped: 0,
  error: "",
} as const;

export const explanation: TraceExplanation = {
  backend: { type: "jaeger", url: "http://localhost:16686" },
  elapsed: 2312.5,
  read: 5,
  unread: 1,
  warning: "",
  requests: [
    ...slowest.slice(0, 3).map((e, i) => ({
      ...read,
      traceId: e.traceId,
      spanId: e.spanId,
      name: e.name,
      failed: false,
      duration: e.duration,
      services: services.map((s) => ({ service: s.service, operation: "", time: s.time / 3, share: s.share })),
      operations: operations.map((o) => ({ service: o.service, operation: o.operation, time: o.time / 3, share: o.share })),
      errorOrigin: i === 0 ? { service: "payments", operation: "fraud check", message: "timeout", spanId: "c3c3c3c3c3c3c3c3" } : null,
    })),
    {
      ...read,
      traceId: traceIds.unread,
      spanId: "33c39add3edc35ea",
      name: "checkout",
      failed: false,
      duration: 0,
      spans: 0,
      services: [],
      operations: [],
      errorOrigin: null,
      error: "trace not found after 15s",
    },
    ...failed.map((e) => ({
      ...read,
      traceId: e.traceId,
      spanId: e.spanId,
      name: e.name,
      failed: true,
      duration: e.duration,
      spans: 4,
      services: [{ service: "payments", operation: "", time: 60, share: 0.68 }],
      operations: [{ service: "payments", operation: "authorize card", time: 60, share: 0.68 }],
      errorOrigin: { service: "payments", operation: "authorize card", message: "card declined", spanId: "f6f6f6f6f6f6f6f6" },
    })),
  ],
  summaries: [
    { name: "", requests: 5, unread: 1, services, operations, origins },
    { name: "checkout", requests: 3, unread: 1, services, operations, origins: [] },
    { name: "pay", requests: 2, unread: 0, services: [], operations: [], origins },
  ],
  waterfall,
};

/** The report of the test, explained. */
export const explained: TraceReport = {
  instance: "0:1",
  limit: 20,
  requests: 1204,
  failedCount: 2,
  slowest,
  failed,
  explanation,
};
