/**
 * Type-level checks, run by `npm run typecheck` (not by vitest): the
 * wrappers keep the module's types, and the module's report fits the
 * facade's TraceReport.
 */
import type { RefinedResponse } from "k6/http";
import type * as tracing from "k6/x/tracing";
import facade, {
  Client,
  headers,
  instrumentBrowser,
  instrumentHTTP,
  startSpan,
  traceReport,
  traceSummary,
  withSpan,
  type DominantShare,
  type ErrorOrigin,
  type ErrorOriginCount,
  type ExplainedRequest,
  type ExplanationSummary,
  type Share,
  type TraceBackendOptions,
  type TraceExplanation,
  type TraceReport,
  type TraceReportOptions,
  type Waterfall,
  type WaterfallSpan,
} from "../src/index.js";

// Every wrapper has the type of the module's export it wraps.
export const sameTypes: typeof tracing.default = facade;
import type { Page } from "k6/browser";

export function checks(page: Page, moduleReport: ReturnType<typeof tracing.traceReport>): void {
  const client = new Client({ propagator: ["w3c", "b3"], sampling: null, spans: { endpoint: "http://127.0.0.1:4318" } });
  const response: RefinedResponse<"text" | undefined> = client.get("http://127.0.0.1/");
  const count: number = withSpan("x", (span) => span.spanId.length);
  const later: Promise<number> = withSpan(startSpan("y"), async () => 1);
  const traced: Promise<tracing.PageTracing> = instrumentBrowser(page, { traceScope: "page", propagateTo: /api/ });
  const report: TraceReport = moduleReport;
  const outputs: Record<string, string> = traceSummary(report, { formats: { stdout: "text", "traces.html": "html" } });
  void [response, count, later, traced, outputs];

  // @ts-expect-error: a misspelt option is a type error as well as a run-time one
  instrumentHTTP({ propagater: "w3c" });
  // @ts-expect-error: "page" is instrumentBrowser's scope
  new Client({ traceScope: "page" });
  // @ts-expect-error: headers() has no spans
  headers({ spans: true });
  // @ts-expect-error: options apply to a span withSpan starts
  withSpan(startSpan("z"), () => 1, { kind: "client" });
  // @ts-expect-error: not a format
  traceSummary(report, { formats: { stdout: "json" } });
}

/** traceReport's options, and the explanation a backend adds to the report. */
export function explanation(): void {
  const backend: TraceBackendOptions = {
    type: "tempo",
    url: "http://localhost:3200",
    headers: { Authorization: "Basic dXNlcjprZXk=", "X-Scope-OrgID": "team-a" },
    timeout: "15s",
    settle: 6000,
    concurrency: 8,
  };
  const options: TraceReportOptions = { backend };
  const report: TraceReport = traceReport(options);
  traceReport({ backend: true });
  traceReport({ backend: { type: "jaeger", url: "http://localhost:16686" } });
  traceReport({ backend: null });
  traceReport(null);
  const x: TraceExplanation | undefined = report.explanation;
  if (x !== undefined) {
    const read: number = x.read + x.unread;
    const backendType: "jaeger" | "tempo" = x.backend.type;
    const request: ExplainedRequest | undefined = x.requests[0];
    const complete: "complete" | "partial" | "unknown" | undefined = request?.complete;
    const origin: ErrorOrigin | null | undefined = request?.errorOrigin;
    const requestShare: Share | undefined = request?.operations[0];
    const summary: ExplanationSummary | undefined = x.summaries[0];
    const dominant: DominantShare | undefined = summary?.operations[0];
    const asShare: Share | undefined = dominant; // a DominantShare is a Share with its traces
    const firstTrace: string | undefined = dominant?.traces[0];
    const origins: ErrorOriginCount[] | undefined = summary?.origins;
    const waterfall: Waterfall | null = x.waterfall;
    const span: WaterfallSpan | undefined = waterfall?.spans[0];
    const flags: [boolean, boolean] | undefined = span && [span.critical, span.error];
    void [read, backendType, complete, origin, requestShare, asShare, firstTrace, origins, flags];
  }
  const rendered: Record<string, string> = traceSummary(report, { formats: { stdout: "text" } });
  void rendered;

  // @ts-expect-error: not a backend the module reads
  traceReport({ backend: { type: "zipkin" } });
  // @ts-expect-error: a misspelt option
  traceReport({ backnd: true });
  // @ts-expect-error: headers are strings
  traceReport({ backend: { headers: { "X-Scope-OrgID": 1 } } });
  // @ts-expect-error: the explanation may be absent
  const always: TraceExplanation = report.explanation;
  void always;
}
