/**
 * The exports of `k6/x/tracing`, with the same types, each checking its
 * arguments first: bad options throw one {@link OptionsError} that lists
 * every problem, and the module is not called. Where the module aborts
 * the test for bad arguments in VU code (options, span arguments), the
 * wrapper does too, with that message; the context helpers throw, as the
 * module's do.
 *
 * `k6/x/tracing` stays an import that k6 resolves when it runs the script.
 *
 * @packageDocumentation
 */
import type { Page } from "k6/browser";
import * as tracing from "k6/x/tracing";
import type {
  BrowserOptions,
  Options,
  PageTracing,
  Span,
  SpanOptions,
  TraceHeaders,
  TraceReport,
  TraceReportOptions,
} from "k6/x/tracing";
import { namesOf } from "./decoders.js";
import { describe, isNullish } from "./describe.js";
import { checkSpanName, checkSpanOptions } from "./options-span.js";
import { Problems, throwIfProblems } from "./problems.js";
import { rejectProblems } from "./usage.js";
import {
  validateBrowserOptions,
  validateHeadersOptions,
  validateMembers,
  validateOptions,
  validateTraceparentOptions,
} from "./validate.js";

/**
 * Makes every `k6/http` request carry trace context: `k6/x/tracing`'s
 * `instrumentHTTP`, after checking the options. Call it once, in the
 * init context.
 *
 * @throws {@link OptionsError} listing every problem of the options.
 * @example
 * ```ts
 * import { instrumentHTTP } from "xk6-tracing";
 *
 * instrumentHTTP({ propagator: ["w3c", "b3"], sampling: 0.5 });
 * ```
 */
export function instrumentHTTP(options?: Options | null): void {
  rejectProblems("instrumentHTTP", validateOptions(options));
  tracing.instrumentHTTP(options);
}

/**
 * Makes every `k6/net/grpc` Client made after it traced: `k6/x/tracing`'s
 * `instrumentGRPC`, after checking the options (those of
 * {@link instrumentHTTP}). Call it once, in the init context, before the
 * first `new grpc.Client()`.
 *
 * @throws {@link OptionsError} listing every problem of the options.
 * @example
 * ```ts
 * import { instrumentGRPC } from "xk6-tracing";
 *
 * instrumentGRPC({ propagator: "w3c", spans: true });
 * ```
 */
export function instrumentGRPC(options?: Options | null): void {
  rejectProblems("instrumentGRPC", validateOptions(options));
  tracing.instrumentGRPC(options);
}

/**
 * Traces WebSocket sessions (`k6/ws`'s connect and this module's
 * {@link WebSocket}): `k6/x/tracing`'s `instrumentWebSockets`, after
 * checking the options (those of {@link instrumentHTTP}). Call it once, in
 * the init context.
 *
 * @throws {@link OptionsError} listing every problem of the options.
 */
export function instrumentWebSockets(options?: Options | null): void {
  rejectProblems("instrumentWebSockets", validateOptions(options));
  tracing.instrumentWebSockets(options);
}

/**
 * `k6/websockets`' `WebSocket`, traced with the options of
 * {@link instrumentWebSockets}, which must be called first.
 */
export const WebSocket: typeof tracing.WebSocket = tracing.WebSocket;

/** The `k6/http` functions a {@link Client} carries: the module's Client's members but its own methods. */
type RequestMethod = Exclude<keyof tracing.Client, "configure" | "startSpan" | "withSpan" | "grpcClient">;

const requestMethods = namesOf<RequestMethod>({
  get: true,
  head: true,
  post: true,
  put: true,
  patch: true,
  del: true,
  options: true,
  request: true,
  asyncRequest: true,
  batch: true,
});

/** The request methods of a {@link Client}: those of `k6/x/tracing`'s Client. */
export interface Client extends Pick<tracing.Client, RequestMethod> {}

/**
 * `k6/x/tracing`'s Client, whose options (in the constructor and in
 * `configure`) and span arguments are checked first. Clients can be
 * created in the init context and in VU code.
 *
 * @example
 * ```ts
 * import { Client } from "xk6-tracing";
 *
 * const client = new Client({ propagator: "jaeger" });
 *
 * export default function () {
 *   client.get("http://127.0.0.1:8080/");
 * }
 * ```
 */
export class Client {
  private readonly inner: tracing.Client;

  /**
   * @param options - the client's options; none means the defaults.
   * @throws {@link OptionsError} listing every problem of the options.
   */
  constructor(options?: Options | null) {
    rejectProblems("new Client", validateOptions(options));
    const inner = new tracing.Client(options);
    this.inner = inner;
    const methods: Partial<Record<RequestMethod, unknown>> = {};
    for (const name of requestMethods) {
      const method = inner[name] as (...args: unknown[]) => unknown;
      methods[name] = (...args: unknown[]) => method.apply(inner, args);
    }
    Object.assign(this, methods);
  }

  /**
   * Replaces the client's options.
   * @throws {@link OptionsError} listing every problem of the options.
   */
  configure(options?: Options | null): void {
    rejectProblems("Client.configure", validateOptions(options));
    this.inner.configure(options);
  }

  /** {@link startSpan} with the client's options. */
  startSpan(name: string, options?: SpanOptions | null): Span {
    rejectProblems("startSpan", startSpanProblems(name, options));
    return this.inner.startSpan(name, options);
  }

  /** A `k6/net/grpc` Client traced with the client's options (init context only). */
  grpcClient(): ReturnType<tracing.Client["grpcClient"]> {
    return this.inner.grpcClient();
  }

  /** {@link withSpan} with the client's options. */
  withSpan<T>(name: string, fn: (span: Span) => T, options?: SpanOptions | null): T;
  withSpan<T>(span: Span, fn: (span: Span) => T): T;
  withSpan(...args: unknown[]): unknown {
    rejectProblems("withSpan", withSpanProblems(args));
    return (this.inner.withSpan as (...a: unknown[]) => unknown).apply(this.inner, args);
  }
}

/**
 * Makes every request of a k6 browser page carry trace context:
 * `k6/x/tracing`'s `instrumentBrowser`, after checking the options.
 *
 * @throws {@link OptionsError} listing every problem of the options.
 * @example
 * ```ts
 * const page = await browser.newPage();
 * const traced = await instrumentBrowser(page, { propagateTo: ["https://api.example.com"] });
 * ```
 */
export function instrumentBrowser(page: Page, options?: BrowserOptions | null): Promise<PageTracing> {
  rejectProblems("instrumentBrowser", validateBrowserOptions(options));
  return tracing.instrumentBrowser(page, options);
}

/**
 * The headers of a new span, for clients `instrumentHTTP` does not patch
 * (WebSocket handshakes, gRPC metadata...).
 *
 * @throws {@link OptionsError} listing every problem of the options.
 * @example
 * ```ts
 * const ws = new WebSocket(url, null, { headers: headers({ propagator: "b3" }) });
 * ```
 */
export function headers(options?: Omit<Options, "spans"> | null): TraceHeaders {
  rejectProblems("headers", validateHeadersOptions(options));
  return tracing.headers(options);
}

/**
 * Parse and make W3C `traceparent` values; `make`'s options are checked
 * first (an {@link OptionsError} on bad ones).
 */
export const traceparent: typeof tracing.traceparent = {
  parse: (value) => tracing.traceparent.parse(value),
  make: (options) => {
    throwIfProblems("traceparent.make", validateTraceparentOptions(options));
    return tracing.traceparent.make(options);
  },
};

/**
 * Parse and make W3C `tracestate` values (at most 32 members); `make`
 * checks its members first (an {@link OptionsError} listing every bad one).
 */
export const tracestate: typeof tracing.tracestate = {
  parse: (value) => tracing.tracestate.parse(value),
  make: (members) => {
    throwIfProblems("tracestate.make", validateMembers("tracestate", members));
    return tracing.tracestate.make(members);
  },
};

/**
 * Parse and make W3C `baggage` values (values are percent-decoded);
 * `make` checks its members first (an {@link OptionsError} listing every bad one).
 */
export const baggage: typeof tracing.baggage = {
  parse: (value) => tracing.baggage.parse(value),
  make: (members) => {
    throwIfProblems("baggage.make", validateMembers("baggage", members));
    return tracing.baggage.make(members);
  },
};

/**
 * Starts a span (not active: see {@link withSpan}); call `end()` when the
 * work is done. Uses the options of `instrumentHTTP`.
 *
 * @throws {@link OptionsError} for a bad name or bad options.
 * @example
 * ```ts
 * const span = startSpan("login", { kind: "internal", attributes: { "user.id": 42 } });
 * span.end();
 * ```
 */
export function startSpan(name: string, options?: SpanOptions | null): Span {
  rejectProblems("startSpan", startSpanProblems(name, options));
  return tracing.startSpan(name, options);
}

/**
 * Runs `fn` with a new span (or the span given) active, so that its
 * requests and spans are the span's children; see `k6/x/tracing`'s
 * `withSpan`.
 *
 * @throws {@link OptionsError} for bad arguments, before `fn` runs.
 * @example
 * ```ts
 * withSpan("checkout", (span) => {
 *   span.setAttribute("cart.items", 3);
 *   http.post(`${BASE}/orders`, body);
 * });
 * ```
 */
export function withSpan<T>(name: string, fn: (span: Span) => T, options?: SpanOptions | null): T;
export function withSpan<T>(span: Span, fn: (span: Span) => T): T;
export function withSpan(...args: unknown[]): unknown {
  rejectProblems("withSpan", withSpanProblems(args));
  return (tracing.withSpan as (...a: unknown[]) => unknown)(...args);
}

/** k6's `group(name, fn)` inside a span of that name: `k6/x/tracing`'s `group`. */
export function group<T>(name: string, fn: () => T): T {
  return tracing.group(name, fn);
}

/**
 * The module's report of the slowest and failed instrumented requests
 * of this k6 process; call it in `handleSummary`. With a `backend`, the
 * module reads the report's traces back from Jaeger or Tempo and the
 * report has an `explanation`, which the renderers show. The options are
 * passed on as they are: the module checks them.
 *
 * @throws Error when the k6 binary's `k6/x/tracing` has no `traceReport`.
 * @example
 * ```ts
 * import { traceReport, traceSummary } from "xk6-tracing";
 *
 * export function handleSummary() {
 *   const report = traceReport({ backend: { type: "jaeger", url: "http://localhost:16686" } });
 *   return traceSummary(report, { traceUrl: "http://localhost:16686/trace/{traceId}" });
 * }
 * ```
 */
export function traceReport(options?: TraceReportOptions | null): TraceReport {
  const report = (tracing as { readonly traceReport?: unknown }).traceReport;
  if (typeof report !== "function") {
    throw new Error(
      "traceReport: the k6/x/tracing of this k6 binary has no traceReport; build k6 with a version of xk6-tracing that has it",
    );
  }
  const call = report as (options?: TraceReportOptions | null) => TraceReport;
  return options === undefined ? call() : call(options);
}

function startSpanProblems(name: unknown, options: unknown): Problems["list"] {
  const problems = new Problems();
  checkSpanName(name, problems);
  checkSpanOptions(options, problems);
  return problems.list;
}

/** withSpan(name, fn, options) or withSpan(span, fn), checked in the module's order. */
function withSpanProblems([first, fn, options]: unknown[]): Problems["list"] {
  const problems = new Problems();
  if (typeof fn !== "function") {
    problems.add("fn", `invalid argument: the second argument is ${describe(fn)}, not a function`);
  }
  if (typeof first === "object" && first !== null) {
    if (!isNullish(options)) {
      problems.add(
        "options",
        "invalid argument: options apply to a span withSpan starts, not to a span it is given; " +
          "allowed: withSpan(name, fn, options) or withSpan(span, fn)",
      );
    }
  } else {
    checkSpanName(first, problems);
    checkSpanOptions(options, problems);
  }
  return problems.list;
}
