/**
 * Declarations of the k6 extension module `k6/x/tracing`.
 *
 * Add this folder's `index.d.ts` to your tsconfig (`"files"` or
 * `"include"`) next to `@types/k6` to get autocompletion and type errors
 * for scripts that import `k6/x/tracing`.
 */
declare module "k6/x/tracing" {
  import * as http from "k6/http";

  /**
   * The header format of the trace context. Names are case-insensitive;
   * `tracecontext` is OpenTelemetry's `OTEL_PROPAGATORS` name for `w3c`.
   *
   * - `w3c`: `traceparent: 00-<32 hex trace id>-<16 hex span id>-<01|00>`
   * - `jaeger`: `uber-trace-id: <32 hex trace id>:<16 hex span id>:0:<1|0>`
   */
  export type Propagator = "w3c" | "tracecontext" | "jaeger";

  /**
   * Options of {@link instrumentHTTP}, {@link Client} and
   * {@link Client.configure}. Any other key is an error, thrown when the
   * options are given (in the init context for `instrumentHTTP`), with a
   * "did you mean" hint for misspelt keys.
   */
  export interface Options {
    /**
     * The header format sent with every request.
     * @default "w3c"
     */
    propagator?: Propagator;
    /**
     * The probability, from 0 to 1, that a new trace is sampled. It sets
     * only the sampled flag: the header is always sent. `null` or absent
     * means 1. A request that already carries a valid trace header keeps
     * that header's decision.
     * @default 1
     */
    sampling?: number | null;
  }

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
   * A set of `k6/http` request functions that carry trace context with the
   * client's own options. A client always wraps the un-instrumented
   * `k6/http`, so it never injects twice when combined with
   * {@link instrumentHTTP}. Create clients in the init context.
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
     * @throws Error on bad options, or when the first client or
     * `instrumentHTTP` of a VU is created outside the init context.
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
  }

  /** The module's default export: the same functions as the named exports. */
  const tracing: {
    instrumentHTTP: typeof instrumentHTTP;
    Client: typeof Client;
  };
  export default tracing;
}
