/**
 * A stand-in for the k6 extension module "k6/x/tracing", which exists only
 * inside a k6 binary. vitest.config.ts aliases the module to this file.
 * It records every call, so that tests can check what the wrappers passed
 * on (or that they did not call the module at all).
 */

/** One call of the module: the export (or "new Client", "client.get"...) and its arguments. */
export interface Call {
  fn: string;
  args: unknown[];
}

export const calls: Call[] = [];

/** Forgets the calls, and puts traceReport back. */
export function reset(): void {
  calls.length = 0;
  traceReport = defaultTraceReport;
}

function record(fn: string, args: unknown[]): void {
  calls.push({ fn, args });
}

const span = (name: string) => ({
  traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
  spanId: "00f067aa0ba902b7",
  sampled: true,
  name,
  end: () => record("span.end", [name]),
});

export function instrumentGRPC(...args: unknown[]): void {
  record("instrumentGRPC", args);
}

export function instrumentWebSockets(...args: unknown[]): void {
  record("instrumentWebSockets", args);
}

export class WebSocket {
  constructor(...args: unknown[]) {
    record("WebSocket", args);
  }
}

export function instrumentHTTP(...args: unknown[]): void {
  record("instrumentHTTP", args);
}

export function instrumentBrowser(...args: unknown[]): Promise<unknown> {
  record("instrumentBrowser", args);
  return Promise.resolve({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", sampled: true, mode: "route" });
}

export function headers(...args: unknown[]): Record<string, string> {
  record("headers", args);
  return { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" };
}

export function startSpan(...args: unknown[]): unknown {
  record("startSpan", args);
  return span(String(args[0]));
}

export function withSpan(...args: unknown[]): unknown {
  record("withSpan", args);
  const fn = args[1] as (s: unknown) => unknown;
  return fn(typeof args[0] === "string" ? span(args[0]) : args[0]);
}

export function group(...args: unknown[]): unknown {
  record("group", args);
  return (args[1] as () => unknown)();
}

const helpers = (header: string) => ({
  parse: (...args: unknown[]) => {
    record(`${header}.parse`, args);
    return null;
  },
  make: (...args: unknown[]) => {
    record(`${header}.make`, args);
    return { toString: () => `${header} made` };
  },
});

export const traceparent = helpers("traceparent");
export const tracestate = helpers("tracestate");
export const baggage = helpers("baggage");

const requestMethods = ["get", "head", "post", "put", "patch", "del", "options", "request", "asyncRequest", "batch"];

export class Client {
  [method: string]: unknown;

  constructor(...args: unknown[]) {
    record("new Client", args);
    for (const m of requestMethods) {
      this[m] = (...a: unknown[]) => {
        record(`client.${m}`, a);
        return { status: 200, client: this };
      };
    }
    this.configure = (...a: unknown[]) => record("client.configure", a);
    this.startSpan = (...a: unknown[]) => {
      record("client.startSpan", a);
      return span(String(a[0]));
    };
    this.withSpan = (...a: unknown[]) => {
      record("client.withSpan", a);
      return (a[1] as (s: unknown) => unknown)(span(String(a[0])));
    };
    this.grpcClient = (...a: unknown[]) => {
      record("client.grpcClient", a);
      return { grpc: true };
    };
  }
}

const defaultTraceReport: ((...args: unknown[]) => unknown) | undefined = (...args: unknown[]) => {
  record("traceReport", args);
  return { instance: "0:1", limit: 20, requests: 0, failedCount: 0, slowest: [], failed: [] };
};

/** The module's traceReport; a test may remove it (undefined), as in a k6 built without it. */
export let traceReport: ((...args: unknown[]) => unknown) | undefined = defaultTraceReport;

export function setTraceReport(fn: ((...args: unknown[]) => unknown) | undefined): void {
  traceReport = fn;
}

export default {
  instrumentHTTP,
  instrumentGRPC,
  instrumentWebSockets,
  WebSocket,
  instrumentBrowser,
  Client,
  headers,
  traceparent,
  tracestate,
  baggage,
  startSpan,
  withSpan,
  group,
  get traceReport() {
    return traceReport;
  },
};
