/**
 * Type-level checks, run by `npm run typecheck` (not by vitest): the
 * wrappers keep the module's types, and the module's report fits the
 * facade's TraceReport.
 */
import type { RefinedResponse } from "k6/http";
import type * as tracing from "k6/x/tracing";
import facade, { Client, headers, instrumentBrowser, instrumentHTTP, startSpan, traceSummary, withSpan, type TraceReport } from "../src/index.js";

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
