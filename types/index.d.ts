/**
 * Declarations of the k6 extension module `k6/x/tracing`.
 *
 * Add this folder's `index.d.ts` to your tsconfig (`"files"` or
 * `"include"`) next to `@types/k6` to get autocompletion and type errors
 * for scripts that import `k6/x/tracing`.
 */
declare module "k6/x/tracing" {
  import * as http from "k6/http";
  import type { Page, Request } from "k6/browser";
  import { WebSocket as K6WebSocket } from "k6/websockets";
  import * as grpc from "k6/net/grpc";

  /**
   * A wire format of trace context or baggage. Names are case-insensitive;
   * OpenTelemetry's `OTEL_PROPAGATORS` names are aliases (`tracecontext`
   * for `w3c`, `ottrace` for `ot`, `xray-lambda` for `xray`).
   *
   * - `w3c`: `traceparent: 00-<32 hex trace id>-<16 hex span id>-<flags>`, and `tracestate`
   * - `baggage`: the W3C `baggage` header
   * - `jaeger`: `uber-trace-id: <trace id>:<span id>:0:<flags>`, baggage as `uberctx-<key>`
   * - `b3`: the single `b3: <trace id>-<span id>-<1|0|d>` header (Zipkin, Istio, Envoy)
   * - `b3multi`: `X-B3-TraceId`, `X-B3-SpanId`, `X-B3-Sampled` or `X-B3-Flags`
   * - `ot`: `ot-tracer-traceid`, `ot-tracer-spanid`, `ot-tracer-sampled`, baggage as `ot-baggage-<key>`
   * - `xray`: `X-Amzn-Trace-Id: Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=<1|0>`
   * - `datadog`: `x-datadog-trace-id`, `x-datadog-parent-id` (decimal),
   *   `x-datadog-sampling-priority`, and `x-datadog-tags: _dd.p.tid=<high 64 bits>`
   * - `gcp`: `X-Cloud-Trace-Context: <32 hex>/<decimal span id>;o=<1|0>`
   * - `none`: no trace headers (baggage is still sent when asked for)
   */
  export type Propagator =
    | "w3c"
    | "tracecontext"
    | "baggage"
    | "jaeger"
    | "b3"
    | "b3multi"
    | "ot"
    | "ottrace"
    | "xray"
    | "xray-lambda"
    | "datadog"
    | "gcp"
    | "none";

  /**
   * How new trace ids are made.
   *
   * - `k6`: the layout Grafana Cloud k6 recognises (prefix, run origin, time in ns, random bytes).
   * - `random`: 16 random bytes; the W3C random flag (`02`) is set.
   * - `xray`: Unix seconds in the first 4 bytes, 12 random bytes, as AWS X-Ray requires;
   *   the random flag is set. It is the only layout allowed with the `xray` propagator.
   */
  export type TraceIdFormat = "k6" | "random" | "xray";

  /**
   * Options of {@link instrumentHTTP}, {@link Client} and
   * {@link Client.configure}. Any other key is an error, thrown when the
   * options are given (in the init context for `instrumentHTTP`), with a
   * "did you mean" hint for misspelt keys.
   */
  export interface Options {
    /**
     * The formats sent with every request: one name, or a list whose
     * formats are all written with the same trace and span id. A caller's
     * headers are read in this order. `none` cannot be combined with others.
     * @default "w3c", or the `OTEL_PROPAGATORS` variable (`-e` or the environment)
     */
    propagator?: Propagator | Propagator[];
    /**
     * The probability, from 0 to 1, that a new trace is sampled. It sets
     * only the sampled flag: the headers are always sent. `null` or absent
     * means 1. A request that already carries a valid trace header keeps
     * that header's decision.
     * @default 1
     */
    sampling?: number | null;
    /**
     * W3C `tracestate` members of new traces, in order, at most 32; they
     * are put in front of a caller's members. Needs the `w3c` propagator.
     * Keys: lower-case letters, digits, `_-*&#47;`, or `tenant@system`;
     * values: printable ASCII without `,` and `=`, not ending in a space.
     * @example { k6: "load-test" }
     */
    tracestate?: Record<string, string> | null;
    /**
     * W3C baggage: `true` adds the k6 members Grafana Cloud Profiles reads
     * (`k6.test_run_id`, `k6.scenario`, `k6.name`, as the pyroscope library
     * sent them); an object adds its own members (values are percent-encoded).
     * `jaeger` (`uberctx-*`) and `ot` (`ot-baggage-*`) carry baggage too; when
     * no listed format does, the `baggage` header is added. The header stays
     * within 64 members and 8192 bytes by leaving out whole members.
     * @default false
     */
    baggage?: boolean | Record<string, string> | null;
    /**
     * Adds the k6 members (see {@link Options.baggage}) next to an object of members.
     * @default false
     */
    k6Baggage?: boolean | null;
    /**
     * How new trace ids are made.
     * @default "k6", or "xray" when the `xray` propagator is listed
     */
    traceIdFormat?: TraceIdFormat;
    /**
     * Exports a CLIENT span over OTLP for every sampled request, under the
     * span id its trace headers carry, so that the backend's spans become
     * its children. `true` uses the standard `OTEL_EXPORTER_OTLP_*`,
     * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` variables (`-e`
     * or the environment); an object changes them. Spans are flushed when
     * the test ends. `asyncRequest` spans end when the promise settles;
     * `batch` exports an `http.batch` span with the requests as children;
     * a redirect hop gets a child span of its own.
     * @default false: propagation only
     */
    spans?: boolean | SpansOptions | null;
    /**
     * How long a trace lasts.
     *
     * - `"request"` (the default): each request starts a trace of its own
     *   (inside {@link withSpan}, it is that span's child).
     * - `"iteration"`: the requests and spans of one VU iteration share
     *   one trace. With spans on, an `iteration` root span (from the
     *   iteration's start to its end, an error when the iteration failed)
     *   is their parent. `setup()`, `teardown()` and `handleSummary` have
     *   no iteration: there each request starts a trace of its own.
     * @default "request"
     */
    traceScope?: "request" | "iteration" | null;
  }

  /** Options of {@link startSpan} and {@link withSpan}. */
  export interface SpanOptions {
    /** @default "internal" */
    kind?: "internal" | "server" | "client" | "producer" | "consumer" | null;
    /** The span's attributes. */
    attributes?: Attributes | null;
  }

  /** A span attribute's value, as OpenTelemetry allows it. */
  export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

  /** Span attributes by key. */
  export type Attributes = Record<string, AttributeValue>;

  /**
   * A span the script started. It always has ids, so that requests can be
   * its children; it is exported only when spans are on and it is sampled.
   * Its methods return the span, for chaining. Bad arguments abort the
   * test with a message that names them.
   */
  export interface Span {
    /** The trace id, 32 hex digits. */
    readonly traceId: string;
    /** The span id, 16 hex digits. */
    readonly spanId: string;
    /** Whether the trace is sampled. */
    readonly sampled: boolean;
    /** Whether the span will be exported: spans on, sampled, not ended. */
    isRecording(): boolean;
    setAttribute(key: string, value: AttributeValue): Span;
    setAttributes(attributes: Attributes): Span;
    /** Adds a timed event. */
    addEvent(name: string, attributes?: Attributes | null): Span;
    /**
     * Records an `exception` event with the error's type, message and
     * stack, as OpenTelemetry's `recordException` does. The status is
     * unchanged: call `setStatus("error")` too, as {@link withSpan} does
     * for a function that throws.
     */
    recordError(error: unknown): Span;
    setStatus(code: "ok" | "error" | "unset", description?: string): Span;
    updateName(name: string): Span;
    /** Ends the span now; later calls do nothing. */
    end(): void;
  }

  /**
   * Starts a span: a child of the active span ({@link withSpan},
   * {@link group}), else of the iteration's root span under
   * `traceScope: "iteration"`, else the first span of a new trace. It uses
   * the options of {@link instrumentHTTP} (spans off when it was not
   * called). The span is not active: requests become its children only
   * inside {@link withSpan}. Call `end()` when the work is done.
   * @throws Error in the init context.
   */
  export function startSpan(name: string, options?: SpanOptions | null): Span;

  /**
   * Runs `fn` with a new span named `name` active, and ends the span when
   * `fn` returns, or when the promise it returns settles. The requests sent
   * and spans started meanwhile are the span's children. A throw or a
   * rejection is recorded on the span, which gets the error status, and
   * passes on unchanged. Returns what `fn` returns (a promise that settles
   * as `fn`'s does).
   *
   * Given a span instead of a name, it activates that span during `fn`
   * and leaves ending it to the script.
   *
   * An async `fn` keeps the span active until its promise settles; two
   * such calls that overlap on one VU share the VU's active span stack,
   * so await each before starting the next.
   *
   * @example
   * ```ts
   * tracing.withSpan("checkout", (span) => {
   *   span.setAttribute("cart.items", 3);
   *   http.post(`${BASE}/orders`, body);
   * });
   * ```
   */
  export function withSpan<T>(name: string, fn: (span: Span) => T, options?: SpanOptions | null): T;
  export function withSpan<T>(span: Span, fn: (span: Span) => T): T;

  /**
   * k6's `group(name, fn)` inside a span of that name (with the group's
   * path as `k6.group`): the group's requests become the span's children,
   * and carry the path in `k6.group` too, an `asyncRequest` sent in the
   * group even when it settles after it. k6's own `group` cannot be
   * patched (its module's exports are frozen), so import this one instead
   * where groups should be spans.
   */
  export function group<T>(name: string, fn: () => T): T;

  /** Where and how {@link Options.spans} are exported. */
  export interface SpansOptions {
    /**
     * The OTLP endpoint: a base URL (`/v1/traces` is added for HTTP), the
     * full traces URL, or `host:port` (https unless `insecure`).
     * @default the OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT variable, else http://localhost:4318 (4317 for gRPC)
     */
    endpoint?: string;
    /** @default the OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL variable, else "http/protobuf" */
    protocol?: "http/protobuf" | "grpc";
    /** Headers of every export request, such as authentication. */
    headers?: Record<string, string>;
    /** Plain HTTP for an `endpoint` given as `host:port`. @default false */
    insecure?: boolean;
    /** The `service.name` resource attribute. @default the OTEL_SERVICE_NAME variable, else "k6" */
    serviceName?: string;
    /** Spans waiting for export at most; more are dropped (and counted), never blocking a VU. @default 65536 */
    queueSize?: number;
    /** How long the flush at the end of the test may take: "5s", "500ms" or milliseconds. @default "5s" */
    flushTimeout?: string | number;
    /**
     * Export requests in flight at once, from 1 to 64: one at a time falls
     * behind hundreds of VUs, whose spans then fill the queue. @default 8
     */
    concurrentExports?: number;
  }

  /** Headers of a new span, as {@link headers} returns them: lower-case names. */
  export type TraceHeaders = Record<string, string>;

  /**
   * Returns the headers of a new span, for clients that
   * {@link instrumentHTTP} does not patch: WebSocket handshakes, gRPC
   * metadata, `k6/experimental/streams` uploads... Without options it uses
   * the options given to `instrumentHTTP`, or the defaults. Inside
   * {@link withSpan}, the new span is that span's child.
   *
   * @example
   * ```ts
   * const ws = new WebSocket(url, null, { headers: tracing.headers() });
   * grpcClient.invoke("svc/Method", req, { metadata: tracing.headers({ propagator: "b3" }) });
   * ```
   * @throws Error on bad options.
   */
  export function headers(options?: Omit<Options, "spans"> | null): TraceHeaders;

  /** A parsed or made W3C traceparent. */
  export interface Traceparent {
    /** The version as sent, two hex digits ("00"). */
    readonly version: string;
    /** 32 lower-case hex digits. */
    readonly traceId: string;
    /** The span id of the sender, 16 lower-case hex digits. */
    readonly parentId: string;
    /** The trace flags: 1 sampled, 2 random trace id. */
    readonly flags: number;
    /** Whether the sampled flag is set. */
    readonly sampled: boolean;
    /** A traceparent for a child span: same trace and flags, new span id. */
    child(): Traceparent;
    /** The version-00 header value. */
    toString(): string;
  }

  /** Options of {@link traceparent.make}; missing ids are new ones. */
  export interface TraceparentOptions {
    /** 32 lower-case hex digits, not all zero. */
    traceId?: string;
    /** 16 lower-case hex digits, not all zero. */
    parentId?: string;
    /** @default true */
    sampled?: boolean;
    /** Sets the W3C random flag. @default false */
    random?: boolean;
  }

  /** Parse and make W3C `traceparent` values. */
  export const traceparent: {
    /** Parses a value as the W3C processing model says; `null` when it is invalid. */
    parse(value: string): Traceparent | null;
    /** Makes a traceparent; ids not given are new. @throws Error on bad options. */
    make(options?: TraceparentOptions | null): Traceparent;
  };

  /** An ordered list of header members: a tracestate or a baggage. */
  export interface MemberList {
    /** The value of key, or undefined. */
    get(key: string): string | undefined;
    /**
     * Sets a member and returns the list. On a tracestate the key moves to
     * the front and the right-most member goes when there would be 33.
     * @throws Error on a key or value the header's grammar does not allow.
     */
    set(key: string, value: string): this;
    /** Removes key; whether it was there. */
    delete(key: string): boolean;
    /** The keys, in header order. */
    keys(): string[];
    /** The number of members. */
    readonly size: number;
    /** The header value. */
    toString(): string;
  }

  /** Parse and make W3C `tracestate` values (at most 32 members). */
  export const tracestate: {
    /** Parses a value; `null` when the specification says to discard it. */
    parse(value: string): MemberList | null;
    /** Makes a tracestate of the given members, in order. @throws Error on a bad member. */
    make(members?: Record<string, string> | null): MemberList;
  };

  /** Parse and make W3C `baggage` values; values are percent-decoded. */
  export const baggage: {
    /** Parses a value; `null` when it is invalid. */
    parse(value: string): MemberList | null;
    /** Makes a baggage of the given members, in order. @throws Error on a bad member. */
    make(members?: Record<string, string> | null): MemberList;
  };

  /**
   * Makes every request sent through `k6/http` carry trace context:
   * `get`, `head`, `post`, `put`, `patch`, `del`, `options`, `request`,
   * `asyncRequest` and `batch`, whether imported by default, by name or
   * from another module file. Each request gets a new span id; its
   * `http_req_*` samples carry the trace id as `trace_id` metadata.
   *
   * Call it once, in the init context. To trace some requests with other
   * options, use a {@link Client}.
   *
   * @example
   * ```ts
   * import http from "k6/http";
   * import tracing from "k6/x/tracing";
   *
   * tracing.instrumentHTTP({ propagator: "w3c", sampling: 0.5 });
   *
   * export default function () {
   *   http.get("http://127.0.0.1:8080/");
   * }
   * ```
   * @throws Error when called twice, outside the init context, or with bad options.
   */
  export function instrumentHTTP(options?: Options | null): void;

  /**
   * Makes every `Client` of `k6/net/grpc` made after it traced: `invoke`,
   * `asyncInvoke` and `new Stream(client, method, params)` carry the trace
   * context of a new span in every configured format, as lower-case
   * metadata keys (the caller's params are not modified, and trace
   * metadata the caller set is continued); their samples (`grpc_req_duration`,
   * `grpc_streams`, the stream message metrics) carry its trace id as
   * `trace_id` metadata. With `spans`, each call exports a CLIENT span
   * with the RPC conventions (`rpc.system`, `rpc.service`, `rpc.method`,
   * `rpc.grpc.status_code`, `server.address`, `server.port`); a stream is
   * one span from its start to its end. The trace report includes the
   * calls (method `"GRPC"`, status the gRPC status code, 0 for OK).
   *
   * Call it once, in the init context, before the first `new grpc.Client()`
   * and before the script reads anything of a default import of
   * `k6/net/grpc` (k6 builds that object once, on its first read).
   *
   * @example
   * ```ts
   * import grpc from "k6/net/grpc";
   * import tracing from "k6/x/tracing";
   *
   * tracing.instrumentGRPC({ propagator: "w3c", spans: true });
   * const client = new grpc.Client();
   *
   * export default function () {
   *   client.connect("127.0.0.1:50051", { plaintext: true, reflect: true });
   *   client.invoke("shop.Orders/Get", { id: 1 });
   *   client.close();
   * }
   * ```
   * @throws Error when called twice, outside the init context, or with bad options.
   */
  export function instrumentGRPC(options?: Options | null): void;

  /**
   * Traces WebSocket sessions: every `connect` of `k6/ws`, and every
   * {@link WebSocket} of this module (`k6/websockets` makes its exports
   * anew for each import, so its own `WebSocket` cannot be traced: import
   * this module's instead, a drop-in). The handshake carries the trace context of a
   * new span in every configured format, beside the script's own headers
   * (the params are not modified; a caller's trace headers are continued);
   * the session's `ws_*` samples carry its trace id as `trace_id`
   * metadata. With `spans`, each session exports a CLIENT span
   * `WebSocket <path>` from the handshake to the close, with the
   * handshake's status, `k6.websocket.messages_sent` and
   * `k6.websocket.messages_received`, the close code, and each error as a
   * `websocket.error` event.
   *
   * Call it once, in the init context.
   *
   * @example
   * ```ts
   * import tracing, { WebSocket } from "k6/x/tracing";
   *
   * tracing.instrumentWebSockets({ propagator: "w3c", spans: true });
   *
   * export default function () {
   *   const ws = new WebSocket("ws://127.0.0.1:8080/chat");
   *   ws.onopen = () => ws.send("hello");
   *   ws.onmessage = () => ws.close();
   * }
   * ```
   * @throws Error when called twice, outside the init context, or with bad options.
   */
  export function instrumentWebSockets(options?: Options | null): void;

  /**
   * `k6/websockets`' `WebSocket`, traced with the options of
   * {@link instrumentWebSockets}, which must be called first: the same
   * arguments and API, on an object whose prototype is k6's WebSocket
   * (events name k6's object as their `target`).
   */
  export const WebSocket: typeof K6WebSocket;

  /**
   * Options of {@link instrumentBrowser}: every {@link Options} field, plus
   * how the page's requests are traced. With `spans`, the page exports a
   * `browser page` span, from `instrumentBrowser` until `page.close()` or
   * the iteration's end, with the web vitals k6 measured (`web_vital`
   * events and `web_vital.lcp`, `web_vital.fcp`, … attributes), and a
   * CLIENT span per request of the page, its child, with the span id the
   * request's headers carried (`k6.browser.propagated: false` for a request
   * that carried none of its own), `k6.browser.resource_type` and the
   * browser's error (`net::ERR_…`) as `error.type`. With k6's own
   * `--traces-output`, the page span is the child of k6's `iteration`
   * span: k6's browser spans and the page's are one trace.
   */
  export interface BrowserOptions extends Omit<Options, "traceScope"> {
    /**
     * - `"route"` (the default): a handler registered with `page.route('')`
     *   gives each request its own span id and sends headers only to the
     *   page's own origin and to `propagateTo`. Chromium's cache is off
     *   while a page has routes, as with any `page.route`.
     * - `"static"`: `page.setExtraHTTPHeaders` sends one set of headers
     *   (one span id) with every request of the page, to every origin:
     *   no interception and no cache penalty, but cross-origin `fetch`
     *   and XHR calls become CORS-preflighted requests. A later
     *   `page.setExtraHTTPHeaders` call of the script replaces them.
     * - `"fetch"`: a script in the page (`browserContext.addInitScript`)
     *   gives each `fetch` and XHR call to the page's own origin and to
     *   `propagateTo` its own span id, as OpenTelemetry JS does: no
     *   interception and no cache penalty; documents and sub-resources
     *   carry no headers (with `spans`, their spans are the page span's
     *   children). As in a real user's browser, a cross-origin call with
     *   a trace header is CORS-preflighted.
     */
    mode?: "route" | "static" | "fetch" | null;
    /**
     * Cross-origin URLs that may also receive trace headers (route and
     * fetch modes). By default only the page's own origin does, as with
     * OpenTelemetry JS: third parties have no use for the trace ids, and in
     * a real browser a `traceparent` turns a cross-origin `fetch` into a
     * CORS-preflighted request that servers reject unless they allow it.
     *
     * - an origin: `"https://api.example.com"` (the origin exactly);
     * - a URL prefix: `"https://api.example.com/v1/"`;
     * - `*` in either matches any characters but `/`: `"https://*.example.com"`;
     * - `"*"` alone matches every URL;
     * - a RegExp is tested against the whole URL.
     */
    propagateTo?: string | RegExp | ReadonlyArray<string | RegExp> | null;
    /**
     * - `"page"` (the default): one trace per instrumented page;
     * - `"iteration"`: the pages a VU instruments in one iteration share
     *   one trace.
     */
    traceScope?: "page" | "iteration" | null;
  }

  /** What {@link instrumentBrowser} resolves to: the page's tracing. */
  export interface PageTracing {
    /** The trace id (32 hex digits) the page's requests carry now. */
    readonly traceId: string;
    /** Whether that trace is sampled. */
    readonly sampled: boolean;
    /** The mode in use. */
    readonly mode: "route" | "static" | "fetch";
    /**
     * The request's headers plus the trace headers of a new span of the
     * page's trace, ready for `route.continue({ headers })` (which
     * replaces the whole header list). A request whose origin may not
     * receive trace headers, or that already carries a trace context the
     * page set, gets its own headers back unchanged.
     *
     * For the script's own `page.route` handlers: k6 runs only the most
     * recently registered route that matches a URL, so a route registered
     * after `instrumentBrowser` replaces its handler for that URL.
     *
     * @throws Error when request is not a k6/browser Request.
     */
    headersFor(request: Request): Record<string, string>;
    /**
     * In static mode, the headers every request of the page carries (to
     * merge with the script's own `page.setExtraHTTPHeaders`, which
     * replaces them). In route mode, the headers of a new span of the
     * page's trace, for requests the page does not make itself (a
     * `k6/http` call or a WebSocket of the same user journey).
     */
    headers(): Record<string, string>;
  }

  /**
   * Makes every request of a k6 browser page carry trace context: the
   * document, scripts, styles, images, iframes, `fetch`, XHR and each
   * redirect hop. In route mode each request gets its own span id in the
   * page's trace; method and body pass through untouched; a request the
   * page's own tracing already marked is left as it is. Any failure
   * continues the request without trace headers and is logged once.
   *
   * Call it in VU code, before `page.goto`, and before registering the
   * script's own routes.
   *
   * @example
   * ```ts
   * import { browser } from "k6/browser";
   * import { instrumentBrowser } from "k6/x/tracing";
   *
   * export default async function () {
   *   const page = await browser.newPage();
   *   const tracing = await instrumentBrowser(page, { propagateTo: ["https://api.example.com"] });
   *   console.log(`trace ${tracing.traceId}`);
   *   await page.goto("http://127.0.0.1:8080/");
   *   await page.close();
   * }
   * ```
   * @throws Error (aborting the test) when page is not a k6/browser Page
   * or the options are bad. The promise rejects when `page.route` (or, in
   * static mode, `page.setExtraHTTPHeaders`) fails 3 times, or once after
   * the iteration ended; k6 v2.2 can fail one such call spuriously.
   */
  export function instrumentBrowser(page: Page, options?: BrowserOptions | null): Promise<PageTracing>;

  /**
   * A set of `k6/http` request functions that carry trace context with the
   * client's own options. It wraps the `k6/http` functions as they were
   * before this module's {@link instrumentHTTP}, so it never injects twice
   * when combined with it; over the other import path's instrumentation
   * (`k6/x/tracing/pyroscope`), both trace each request, as one span.
   * Clients can be created anywhere: in the init context and in VU code.
   *
   * @example
   * ```ts
   * import tracing from "k6/x/tracing";
   *
   * const client = new tracing.Client({ propagator: "jaeger" });
   *
   * export default function () {
   *   client.get("http://127.0.0.1:8080/");
   * }
   * ```
   */
  export class Client {
    /**
     * @param options - the client's options; none means the defaults.
     * @throws Error on bad options.
     */
    constructor(options?: Options | null);
    /** Replaces the client's options. @throws Error on bad options. */
    configure(options?: Options | null): void;
    /** `http.get` with trace context. */
    get: typeof http.get;
    /** `http.head` with trace context. */
    head: typeof http.head;
    /** `http.post` with trace context. */
    post: typeof http.post;
    /** `http.put` with trace context. */
    put: typeof http.put;
    /** `http.patch` with trace context. */
    patch: typeof http.patch;
    /** `http.del` with trace context. */
    del: typeof http.del;
    /** `http.options` with trace context. */
    options: typeof http.options;
    /** `http.request` with trace context. */
    request: typeof http.request;
    /** `http.asyncRequest` with trace context. */
    asyncRequest: typeof http.asyncRequest;
    /** `http.batch`: one trace for the batch, one span per request. */
    batch: typeof http.batch;
    /** {@link startSpan} with the client's options. */
    startSpan: typeof startSpan;
    /** {@link withSpan} with the client's options. */
    withSpan: typeof withSpan;
    /**
     * A `k6/net/grpc` Client traced with this client's options, as
     * {@link instrumentGRPC} traces one with its own (streams made with it
     * too). Init context only.
     */
    grpcClient(): grpc.Client;
  }

  /**
   * One request of the {@link TraceReport}: the trace to open and what
   * happened to the request.
   */
  export interface TraceReportEntry {
    /** The request's trace id, 32 lower-case hex digits. */
    traceId: string;
    /** The span id the request's headers carried: the parent of the backend's first span. */
    spanId: string;
    /** Whether the request was sampled (only sampled requests export spans). */
    sampled: boolean;
    /** The HTTP method. */
    method: string;
    /** The request's `name` tag, else its URL. */
    name: string;
    /** The URL as the script gave it. */
    url: string;
    /** The response status; 0 when no response came. */
    status: number;
    /** k6's error text for the request, `""` for none. */
    error: string;
    /** k6's `http_req_duration` of the request, in milliseconds (sending, waiting and receiving). */
    duration: number;
    /** When the request was sent, in milliseconds since the Unix epoch. */
    startTime: number;
    /** The scenario that sent it, `""` outside one. */
    scenario: string;
    /** The VU that sent it (`__VU`, numbered within its k6 instance). */
    vu: number;
    /** The VU's iteration. */
    iteration: number;
    /** The k6 instance that sent it: its execution segment ("0:1" for a whole test). */
    instance: string;
  }

  /**
   * The slowest and the failed instrumented requests of this k6 process,
   * kept from the start of the test at the cost of a comparison per
   * request. A request failed when no response came or its status is 400
   * or more (k6's default for `http_req_failed`; a response callback is
   * not consulted).
   */
  export interface TraceReport {
    /** The k6 instance: its execution segment, "0:1" for a whole test. */
    instance: string;
    /** How many entries each list keeps at most. */
    limit: number;
    /** Instrumented requests that finished (with a response or an error). */
    requests: number;
    /** Every failed request, kept in `failed` or not. */
    failedCount: number;
    /** The slowest requests, slowest first. */
    slowest: TraceReportEntry[];
    /** The first failed requests, in the order they happened. */
    failed: TraceReportEntry[];
    /**
     * Where the time of the slow requests went and where the failed ones
     * began, read from their traces in a backend: present only when
     * {@link traceReport} was given a `backend`.
     */
    explanation?: TraceExplanation;
  }

  /** Options of {@link traceReport}. */
  export interface TraceReportOptions {
    /**
     * Read the report's traces back from a trace backend (Jaeger or Tempo)
     * and explain them: the report gets an `explanation`. `true` takes the
     * backend from the `K6_TRACING_BACKEND_*` environment variables.
     * @default none: no trace is read, the report has no explanation
     */
    backend?: boolean | TraceBackendOptions | null;
  }

  /** Where and how {@link traceReport} reads the report's traces back. */
  export interface TraceBackendOptions {
    /**
     * The backend's query API: `"jaeger"` (Jaeger v2, `GET /api/v3/traces/{id}`)
     * or `"tempo"` (`GET /api/v2/traces/{id}`).
     * @default "jaeger", or K6_TRACING_BACKEND_TYPE
     */
    type?: "jaeger" | "tempo";
    /**
     * The query API's base URL.
     * @default K6_TRACING_BACKEND_URL, else "http://localhost:16686" (jaeger) or "http://localhost:3200" (tempo)
     */
    url?: string;
    /**
     * Headers sent with every read, such as `Authorization` (basic auth for
     * Grafana Cloud Traces) and `X-Scope-OrgID`.
     * @default K6_TRACING_BACKEND_HEADERS, as `k=v,k2=v2` (values percent-decoded, as OTEL_EXPORTER_OTLP_HEADERS)
     */
    headers?: Record<string, string>;
    /**
     * How long reading back may take in all: a duration string (`"15s"`) or milliseconds.
     * @default "15s", or K6_TRACING_BACKEND_TIMEOUT
     */
    timeout?: string | number;
    /**
     * How long a trace's span count must stay the same for the trace to be
     * taken as whole: a duration string or milliseconds (SDKs send their
     * spans in batches, every 5 s by default).
     * @default "6s"
     */
    settle?: string | number;
    /** How many traces are read at once, at most 32. @default 4 */
    concurrency?: number;
  }

  /**
   * The report's traces read back from a backend, and what they say: for
   * the slow requests, the services and operations (span names) that had
   * the most time on the critical path; for the failed ones, the deepest
   * span with an error status. Durations are in milliseconds, shares from
   * 0 to 1.
   */
  export interface TraceExplanation {
    /** The backend the traces were read from. */
    backend: {
      /** Its query API. */
      type: "jaeger" | "tempo";
      /** Its base URL. */
      url: string;
    };
    /** How long reading back took, in milliseconds. */
    elapsed: number;
    /** Requests whose trace was read. */
    read: number;
    /** Requests whose trace could not be read. */
    unread: number;
    /** `""`, or the warning k6 logged about the backend (down, slow, failing). */
    warning: string;
    /**
     * One per request of the report: `slowest`'s first (slowest first),
     * then `failed`'s; a request in both lists appears once, as failed.
     */
    requests: ExplainedRequest[];
    /**
     * `[0]` is every request (its `name` is `""`); then, when the requests
     * have several names, one per name, ordered by name.
     */
    summaries: ExplanationSummary[];
    /**
     * The trace of the slowest request whose trace was read (failed or
     * not), as a small waterfall; `null` when no trace was read.
     */
    waterfall: Waterfall | null;
  }

  /** One request of the report, explained by its trace. */
  export interface ExplainedRequest {
    /** The request's trace id. */
    traceId: string;
    /** The request's span id: the report entry's `spanId`. */
    spanId: string;
    /** The report entry's `name`. */
    name: string;
    /** Whether the request failed. */
    failed: boolean;
    /** The trace root's duration in milliseconds: k6's request span, or the stand-in root. */
    duration: number;
    /** Spans in the trace's tree. */
    spans: number;
    /** Whether the backend holds the whole trace: Tempo says `"complete"` or `"partial"`; Jaeger's is `"unknown"`. */
    complete: "complete" | "partial" | "unknown";
    /** k6's span was not in the trace: a stand-in root spans the spans under it. */
    rootMissing: boolean;
    /** Spans of the trace whose parent is missing from it. */
    orphans: number;
    /**
     * Spans left out for lying wholly outside their parent's time (clock
     * skew between hosts), with their descendants; spans partly outside
     * are clipped to their parent and kept.
     */
    clipped: number;
    /** Self time on the critical path per service, most first. */
    services: Share[];
    /** Self time on the critical path per service and operation (span name), most first. */
    operations: Share[];
    /** The deepest span with an error status; `null` when no span has one. */
    errorOrigin: ErrorOrigin | null;
    /** Why the trace could not be read; `""` when it was (otherwise the fields above are empty). */
    error: string;
  }

  /** A service's (or a service's operation's) time on the critical path. */
  export interface Share {
    /** The service (`service.name`). */
    service: string;
    /** The operation (span name); `""` in a service's share. */
    operation: string;
    /** Self time on the critical path, in milliseconds. */
    time: number;
    /** `time` over the duration it is a part of, from 0 to 1. */
    share: number;
  }

  /** A {@link Share} over many traces, with the traces it comes from. */
  export interface DominantShare extends Share {
    /** The trace ids, the one with the most time first. */
    traces: string[];
  }

  /** Where a failed request began: the deepest span with an error status. */
  export interface ErrorOrigin {
    /** The span's service. */
    service: string;
    /** The span's operation (name). */
    operation: string;
    /** The error's message; `""` for none. */
    message: string;
    /** The span's id. */
    spanId: string;
  }

  /** How many failed requests began in the same place with the same message. */
  export interface ErrorOriginCount {
    /** The service of the error span. */
    service: string;
    /** The operation (name) of the error span. */
    operation: string;
    /** The error's message; `""` for none. */
    message: string;
    /** Failed requests that began there. */
    count: number;
    /** Their trace ids. */
    traces: string[];
  }

  /** The explanation of some of the requests: all of them, or those of one name. */
  export interface ExplanationSummary {
    /** The requests' name; `""` for all requests. */
    name: string;
    /** Requests explained (whose trace was read), slow and failed. */
    requests: number;
    /** Requests whose trace could not be read. */
    unread: number;
    /**
     * Over the slow (not failed) requests, the services with the most time
     * on the critical paths, most first; `share` is their time over the sum
     * of those requests' durations.
     */
    services: DominantShare[];
    /** The same per service and operation. */
    operations: DominantShare[];
    /** Over the failed requests, where they began, the most frequent first. */
    origins: ErrorOriginCount[];
  }

  /** One trace as a small waterfall. */
  export interface Waterfall {
    /** The trace id. */
    traceId: string;
    /** The request's span id. */
    spanId: string;
    /** The request's name. */
    name: string;
    /** The root's duration, in milliseconds. */
    duration: number;
    /** The spans, depth first, children by start time; at most 60. */
    spans: WaterfallSpan[];
    /** Spans left out after the first 60. */
    truncated: number;
  }

  /** A span of a {@link Waterfall}. */
  export interface WaterfallSpan {
    /** The span's id. */
    spanId: string;
    /** Its parent's span id; `""` for the root. */
    parentSpanId: string;
    /** The span's service. */
    service: string;
    /** The span's operation (name). */
    operation: string;
    /** When the span started, in milliseconds after the root's start. */
    start: number;
    /** The span's duration, in milliseconds. */
    duration: number;
    /** How deep the span is in the tree: 0 for the root. */
    depth: number;
    /** Whether the span has an error status. */
    error: boolean;
    /** Whether the span has self time on the critical path. */
    critical: boolean;
  }

  /**
   * The trace report so far, for `handleSummary`: which traces to open.
   * Every instrumented request (instrumentHTTP, a Client) is considered.
   * With a `backend`, the report's traces are read back from Jaeger or
   * Tempo and explained (the report's `explanation`).
   *
   * @param options - `backend`: where to read the traces back; none means no explanation.
   * @example
   * ```ts
   * import { traceReport } from "k6/x/tracing";
   *
   * export function handleSummary() {
   *   const report = traceReport();
   *   return { "traces.json": JSON.stringify(report, null, 2) };
   * }
   * ```
   * @example
   * ```ts
   * import { traceReport } from "k6/x/tracing";
   *
   * export function handleSummary() {
   *   const report = traceReport({ backend: { type: "jaeger", url: "http://localhost:16686" } });
   *   // report.explanation.summaries[0].operations[0]: where the slow requests' time went
   *   return { "traces.json": JSON.stringify(report, null, 2) };
   * }
   * ```
   */
  export function traceReport(options?: TraceReportOptions | null): TraceReport;

  /** The module's default export: the same functions as the named exports. */
  const tracing: {
    instrumentHTTP: typeof instrumentHTTP;
    instrumentGRPC: typeof instrumentGRPC;
    instrumentWebSockets: typeof instrumentWebSockets;
    WebSocket: typeof WebSocket;
    instrumentBrowser: typeof instrumentBrowser;
    Client: typeof Client;
    headers: typeof headers;
    traceparent: typeof traceparent;
    tracestate: typeof tracestate;
    baggage: typeof baggage;
    startSpan: typeof startSpan;
    withSpan: typeof withSpan;
    group: typeof group;
    traceReport: typeof traceReport;
  };
  export default tracing;
}

/**
 * A drop-in for the http-instrumentation-pyroscope library: the same
 * module, whose options default to `{ propagator: "none", baggage: true }`,
 * so that each request carries the `baggage` header Grafana Cloud Profiles
 * reads and nothing else, and no `trace_id` metadata, having no trace
 * header. Any option of `k6/x/tracing` may be given, or, as the library
 * takes, a {@link GenerateHeaders} function. Stacked with `k6/x/tracing`'s
 * `instrumentHTTP`, in either order, each request carries both modules'
 * headers for one span.
 */
declare module "k6/x/tracing/pyroscope" {
  import tracing, { Options } from "k6/x/tracing";
  import * as http from "k6/http";

  /**
   * The library's header function: called with each request's URL, body
   * (`null` for `get` and `head`) and params, it returns the headers to add
   * to the request, over the caller's headers of the same name. They
   * replace the default baggage; the caller's params are not modified.
   *
   * @example
   * ```ts
   * import pyroscope from "k6/x/tracing/pyroscope";
   *
   * const client = new pyroscope.Client((url) => ({ "X-Profile-Target": String(url) }));
   * ```
   * @throws Error from the request when it returns anything but an object, `null` or `undefined`.
   */
  export type GenerateHeaders = (
    url: Parameters<typeof http.get>[0],
    body: http.RequestBody | null | undefined,
    params: http.RefinedParams<http.ResponseType> | null | undefined,
  ) => Record<string, string> | null | undefined;

  /** {@link tracing.instrumentHTTP}, which also takes a {@link GenerateHeaders} function. */
  export function instrumentHTTP(options?: Options | GenerateHeaders | null): void;

  /** {@link tracing.Client}, which also takes a {@link GenerateHeaders} function. */
  export class Client extends tracing.Client {
    constructor(options?: Options | GenerateHeaders | null);
  }

  export const instrumentBrowser: typeof tracing.instrumentBrowser;
  export const instrumentGRPC: typeof tracing.instrumentGRPC;
  export const instrumentWebSockets: typeof tracing.instrumentWebSockets;
  export const WebSocket: typeof tracing.WebSocket;
  export const headers: typeof tracing.headers;
  export const traceparent: typeof tracing.traceparent;
  export const tracestate: typeof tracing.tracestate;
  export const baggage: typeof tracing.baggage;
  export const startSpan: typeof tracing.startSpan;
  export const withSpan: typeof tracing.withSpan;
  export const group: typeof tracing.group;
  export const traceReport: typeof tracing.traceReport;
  /** The module's default export: the same functions as the named exports. */
  const pyroscope: {
    instrumentHTTP: typeof instrumentHTTP;
    instrumentGRPC: typeof tracing.instrumentGRPC;
    instrumentWebSockets: typeof tracing.instrumentWebSockets;
    WebSocket: typeof tracing.WebSocket;
    instrumentBrowser: typeof tracing.instrumentBrowser;
    Client: typeof Client;
    headers: typeof tracing.headers;
    traceparent: typeof tracing.traceparent;
    tracestate: typeof tracing.tracestate;
    baggage: typeof tracing.baggage;
    startSpan: typeof tracing.startSpan;
    withSpan: typeof tracing.withSpan;
    group: typeof tracing.group;
    traceReport: typeof tracing.traceReport;
  };
  export default pyroscope;
}
