/**
 * Option validation: every problem of an options object at once, each
 * with its path, in the words `k6/x/tracing` uses, and the options as the
 * module resolves them.
 *
 * The checks are those of the Go decoders that do not depend on the run:
 * the `OTEL_PROPAGATORS` and `OTEL_EXPORTER_OTLP_*` variables are not
 * read here, so a valid result assumes they are unset or valid.
 *
 * @packageDocumentation
 */
import type { BrowserOptions, Options } from "k6/x/tracing";
import { decodeBrowserOptions, type ResolvedBrowserOptions } from "./options-browser.js";
import { checkMembers, checkTraceparentOptions } from "./options-context.js";
import { decodeOptions, resolveDecoded, type ResolvedOptions } from "./options-http.js";
import { checkSpanOptions } from "./options-span.js";
import { type OptionProblem, Problems, throwIfProblems } from "./problems.js";

/**
 * Every problem of the options of `instrumentHTTP`, `new Client` and
 * `Client.configure`; an empty array when they are valid. They are in the
 * order the module checks them (the keys in order, then the checks across
 * options), so the first is the one the module throws, word for word.
 *
 * @param options - anything: the check does not trust the type.
 * @example
 * ```ts
 * validateOptions({ propagater: "w3c", sampling: 2 });
 * // [
 * //   { path: "propagater", suggestion: "propagator",
 * //     message: 'unknown option "propagater" (did you mean "propagator"?); allowed options: ...' },
 * //   { path: "sampling",
 * //     message: 'invalid option "sampling": 2 is out of range; allowed: a number from 0 to 1, or null for 1' },
 * // ]
 * ```
 */
export function validateOptions(options: unknown): OptionProblem[] {
  const problems = new Problems();
  resolveDecoded(decodeOptions(options, problems), problems);
  return problems.list;
}

/**
 * Every problem of the options of `headers()`: those of
 * {@link validateOptions}, and `spans`, which it cannot use.
 */
export function validateHeadersOptions(options: unknown): OptionProblem[] {
  const problems = new Problems();
  const decoded = decodeOptions(options, problems);
  resolveDecoded(decoded, problems);
  if (decoded.spans === true) {
    problems.invalid(
      "spans",
      "headers() sends no request, so it has no span to export; allowed: the option on instrumentHTTP or a Client",
    );
  }
  return problems.list;
}

/**
 * Every problem of the options of `instrumentBrowser`: the HTTP options,
 * `spans` included, plus `mode`, `propagateTo` and the page's `traceScope`.
 *
 * @example
 * ```ts
 * validateBrowserOptions({ mode: "static", propagateTo: "https://api.example.com" })[0]?.path; // "propagateTo"
 * ```
 */
export function validateBrowserOptions(options: unknown): OptionProblem[] {
  const problems = new Problems();
  decodeBrowserOptions(options, problems);
  return problems.list;
}

/**
 * Every problem of the options of `startSpan(name, options)` and
 * `withSpan(name, fn, options)`: `kind` and `attributes`.
 *
 * @example
 * ```ts
 * validateSpanOptions({ kind: "Server" })[0]?.message;
 * // 'invalid option "kind": "Server" (a string) is not a span kind; allowed: "internal" (the default), ...'
 * ```
 */
export function validateSpanOptions(options: unknown): OptionProblem[] {
  const problems = new Problems();
  checkSpanOptions(options, problems);
  return problems.list;
}

/** Every problem of the options of `traceparent.make`. */
export function validateTraceparentOptions(options: unknown): OptionProblem[] {
  const problems = new Problems();
  checkTraceparentOptions(options, problems);
  return problems.list;
}

/** Every problem of the members given to `tracestate.make` or `baggage.make`. */
export function validateMembers(header: "tracestate" | "baggage", members: unknown): OptionProblem[] {
  const problems = new Problems();
  checkMembers(header, members, problems);
  return problems.list;
}

/**
 * The options as `instrumentHTTP` or a `Client` would use them.
 *
 * @throws {@link OptionsError} listing every problem.
 * @example
 * ```ts
 * resolveOptions({ propagator: ["tracecontext", "xray"], baggage: { tenant: "acme corp" } });
 * // { propagator: "w3c,xray,baggage", sampling: 1, tracestate: "",
 * //   baggage: "tenant=acme%20corp", k6Baggage: false, traceIdFormat: "xray" }
 * ```
 */
export function resolveOptions(options?: Options | null): ResolvedOptions {
  const problems = new Problems();
  const resolved = resolveDecoded(decodeOptions(options, problems), problems);
  throwIfProblems("resolveOptions", problems.list);
  return resolved as ResolvedOptions;
}

/**
 * The options as `instrumentBrowser` would use them.
 *
 * @throws {@link OptionsError} listing every problem.
 */
export function resolveBrowserOptions(options?: BrowserOptions | null): ResolvedBrowserOptions {
  const problems = new Problems();
  const resolved = decodeBrowserOptions(options, problems);
  throwIfProblems("resolveBrowserOptions", problems.list);
  return resolved as ResolvedBrowserOptions;
}
