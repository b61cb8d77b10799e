/**
 * xk6-tracing: the typed facade of the k6 extension `k6/x/tracing`.
 *
 * - Wrappers of every export of the module, with its types, that check
 *   their options first and throw one {@link OptionsError} listing every
 *   problem (with "did you mean" hints) instead of the first one.
 * - Option validation without calling the module: {@link validateOptions}
 *   and its siblings, in the module's exact words.
 * - The trace report of `traceReport()` as a terminal table, Markdown or
 *   HTML, with links to a tracing UI, for `handleSummary`.
 *
 * The declarations of `k6/x/tracing` come from the extension's
 * `types/index.d.ts`, which the script's tsconfig lists (this package
 * ships a copy in `types/`).
 *
 * @example
 * ```ts
 * import http from "k6/http";
 * import { instrumentHTTP, traceReport, traceSummary } from "xk6-tracing";
 *
 * instrumentHTTP({ propagator: "w3c", sampling: 1 });
 *
 * export default function () {
 *   http.get("http://127.0.0.1:8080/");
 * }
 *
 * export function handleSummary() {
 *   return traceSummary(traceReport(), { traceUrl: "http://localhost:16686/trace/{traceId}" });
 * }
 * ```
 *
 * @packageDocumentation
 */
import * as wrappers from "./wrappers.js";

export * from "./wrappers.js";

export {
  resolveBrowserOptions,
  resolveOptions,
  validateBrowserOptions,
  validateHeadersOptions,
  validateMembers,
  validateOptions,
  validateSpanOptions,
  validateTraceparentOptions,
} from "./validate.js";
export type { ResolvedOptions } from "./options-http.js";
export type { PropagateTo, ResolvedBrowserOptions } from "./options-browser.js";
export { OptionsError } from "./problems.js";
export type { OptionProblem } from "./problems.js";
export { suggest } from "./suggest.js";

export { formatDuration } from "./report.js";
export { traceLink } from "./links.js";
export { renderText } from "./render-text.js";
export { renderMarkdown } from "./render-markdown.js";
export { escapeMarkdown } from "./markdown.js";
export { renderHTML } from "./render-html.js";
export { escapeHTML } from "./html.js";
export { mergeSummaries, traceSummary } from "./summary.js";
export type { HTMLOptions, RenderOptions, SummaryFormat, TextOptions, TraceSummaryOptions } from "./render-options.js";

export type {
  AttributeValue,
  Attributes,
  BrowserOptions,
  DominantShare,
  ErrorOrigin,
  ErrorOriginCount,
  ExplainedRequest,
  ExplanationSummary,
  MemberList,
  Options,
  PageTracing,
  Propagator,
  Share,
  Span,
  SpanOptions,
  SpansOptions,
  TraceBackendOptions,
  TraceHeaders,
  TraceIdFormat,
  Traceparent,
  TraceparentOptions,
  TraceExplanation,
  TraceReport,
  TraceReportEntry,
  TraceReportOptions,
  Waterfall,
  WaterfallSpan,
} from "k6/x/tracing";

/**
 * The wrappers as one object, as `k6/x/tracing`'s default export: a
 * script can switch from `import tracing from "k6/x/tracing"` by changing
 * the import path.
 */
const tracing: typeof wrappers = { ...wrappers };
export default tracing;
